"""A case is named as a worker names it, by its service and its children, on its own page
and on every page about it; never by its opening date alone."""

from datetime import date

from django.urls import reverse

from earlyhelp.cases.choices import CaseRole, service_name
from earlyhelp.cases.models import CaseMember
from earlyhelp.cases.templatetags.case_tags import case_name
from tests.factories import PersonFactory


def test_a_case_is_named_by_its_service_and_children_in_name_order(case):
    CaseMember.objects.filter(case=case, role=CaseRole.CHILD).delete()
    for given in ("Zara", "Adam", "Maya"):
        child = PersonFactory(given_name=given, family_name="Osei", date_of_birth=date(2016, 1, 1))
        CaseMember.objects.create(case=case, person=child, role=CaseRole.CHILD)
    service = service_name(case.service)
    assert case_name(case) == f"{service} for Adam Osei, Maya Osei and Zara Osei"


def test_a_case_without_children_is_named_by_its_service(case):
    CaseMember.objects.filter(case=case, role=CaseRole.CHILD).delete()
    assert case_name(case) == service_name(case.service)


def test_the_case_page_and_its_forms_name_the_case(client, practitioner, case, family):
    named = case_name(case)
    assert family["yusuf"].full_name in named
    for url in (
        reverse("cases:case", args=[case.public_id]),
        reverse("cases:add_contact", args=[case.public_id]),
        reverse("cases:add_document", args=[case.public_id]),
    ):
        assert named in client.get(url).content.decode(), url
