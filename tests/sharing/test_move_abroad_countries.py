"""A child's move abroad: the country is chosen by its name from the ISO 3166 list (the
United Kingdom left out), its ISO 3166-1 alpha-2 code kept for the policy's transfer rules
and its name shown on every page; a country not on the list is refused naming the field."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.policy.active import active_policy
from earlyhelp.sharing import countries, transfers
from earlyhelp.sharing.models import Relocation, Transfer
from earlyhelp.sharing.partner_holdings import _transfer_says
from earlyhelp.sharing.services import ShareRefused
from tests.sharing.sharing_records import a_disclosure

MOVE = "sharing:relocation"


def _move_form(**changes) -> dict:
    return {
        "country": "CA",
        "receiving_authority": "Children's Aid Society of Toronto",
        "moved_on_day": "20",
        "moved_on_month": "11",
        "moved_on_year": "2026",
        **changes,
    }


def test_the_countries_are_listed_by_name_without_the_united_kingdom():
    choices = dict(countries.abroad_choices(active_policy()))
    assert "GB" not in choices
    assert choices["CA"] == "Canada" and choices["IE"] == "Ireland"
    assert choices["KR"] == "South Korea"  # the everyday name, not "Korea, Republic of"
    names = [name for _, name in countries.abroad_choices(active_policy())]
    assert names.index("Åland Islands") < names.index("Albania")  # by name, accents aside


def test_the_move_abroad_page_offers_country_names_not_codes(client, sign_in, worker, family):
    sign_in(worker)
    page = client.get(reverse(MOVE, args=[family["yusuf"].public_id])).content.decode()
    assert re.search(r'<select name="country" class="govuk-select"', page)
    assert '<option value="CA">Canada</option>' in page
    assert 'value="GB"' not in page and "United Kingdom<" not in page
    assert "two-letter" not in page


def test_choosing_a_country_keeps_its_iso_code_and_its_name(client, sign_in, worker, family):
    sign_in(worker)
    response = client.post(reverse(MOVE, args=[family["yusuf"].public_id]), _move_form())
    assert response.status_code == 302
    move = Relocation.objects.get()
    assert (move.country, move.country_name) == ("CA", "Canada")


@pytest.mark.parametrize("country", ["GB", "ZZ", "Canada", ""])
def test_a_country_not_on_the_list_is_refused_naming_the_field(
    client, sign_in, worker, family, country
):
    sign_in(worker)
    response = client.post(
        reverse(MOVE, args=[family["yusuf"].public_id]), _move_form(country=country)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose the country they have moved to" in page
    # The error summary leads to the list, which its label names.
    assert 'href="#id_country_0"' in page and 'id="id_country_0"' in page
    assert Relocation.objects.count() == 0


def test_the_service_refuses_a_code_iso_3166_does_not_give(request_as, worker, family):
    with pytest.raises(ShareRefused, match=r"^country: ZZ is not a country's ISO 3166 code"):
        transfers.record_relocation(
            request_as(worker),
            family["yusuf"],
            country="ZZ",
            receiving_authority="Somewhere",
            moved_on=date(2026, 11, 20),
        )
    assert Relocation.objects.count() == 0


def test_a_name_given_to_the_service_must_be_the_countrys(request_as, worker, family):
    with pytest.raises(ShareRefused, match=r"^country_name: France is not a name of Canada"):
        transfers.record_relocation(
            request_as(worker),
            family["yusuf"],
            country="CA",
            country_name="France",
            receiving_authority="Children's Aid Society of Toronto",
            moved_on=date(2026, 11, 20),
        )
    assert Relocation.objects.count() == 0


def test_without_a_name_the_service_keeps_the_lists_name(request_as, worker, family):
    move = transfers.record_relocation(
        request_as(worker),
        family["yusuf"],
        country="nz",
        receiving_authority="Oranga Tamariki",
        moved_on=date(2026, 11, 20),
    )
    assert (move.country, move.country_name) == ("NZ", "New Zealand")


def test_a_transfer_with_no_recorded_move_shows_the_countrys_name_on_its_page(
    client, sign_in, worker, family
):
    shared = a_disclosure(family["yusuf"], worker)
    Transfer.objects.create(
        disclosure=shared,
        country="NZ",
        region="",
        route="appropriate-safeguards",
        route_law="UK GDPR Articles 46 and 45B (the data protection test)",
    )
    sign_in(worker)
    page = client.get(reverse("sharing:disclosure", args=[shared.public_id])).content.decode()
    assert "New Zealand" in page
    assert not re.search(r"\bNZ\b", page)


def test_a_route_not_covering_the_country_is_refused_naming_the_country_not_its_code(
    request_as, worker, family, assessment_key
):
    move = transfers.record_relocation(
        request_as(worker),
        family["yusuf"],
        country="CA",
        receiving_authority="Children's Aid Society of Toronto",
        moved_on=date(2026, 11, 20),
    )
    with pytest.raises(ShareRefused) as refused:
        transfers.share_abroad(
            request_as(worker),
            family["yusuf"],
            country="CA",
            route="uk-approval-regulations",
            relocation=move,
            recipient="other-local-authorities",
            purpose="best-interests-and-health",
            item_keys=[assessment_key],
            method="secure_email",
            reference="EM-1",
        )
    assert str(refused.value).startswith("route: ")
    assert "does not cover Canada" in str(refused.value)
    assert not re.search(r"\bCA\b", str(refused.value))


def test_the_share_abroad_page_names_the_move_by_its_country(
    client, sign_in, request_as, worker, family
):
    transfers.record_relocation(
        request_as(worker),
        family["yusuf"],
        country="CA",
        receiving_authority="Children's Aid Society of Toronto",
        moved_on=date(2026, 11, 20),
    )
    sign_in(worker)
    page = client.get(reverse("sharing:share_abroad", args=[family["yusuf"].public_id]))
    text = page.content.decode()
    assert "Canada, from 20 November 2026" in text and "(CA)" not in text


def test_a_subject_access_bundle_names_the_country_of_a_transfer(worker, family):
    shared = a_disclosure(family["yusuf"], worker)
    transfer = Transfer.objects.create(
        disclosure=shared,
        country="NZ",
        route="appropriate-safeguards",
        route_law="UK GDPR Articles 46 and 45B (the data protection test)",
    )
    says = {label: value for label, value, _ in _transfer_says(transfer)}
    assert says["Country"] == "New Zealand"


def test_a_move_is_named_by_the_lists_name_for_its_code_and_an_old_typed_one_never_blank():
    assert Relocation(country="CA", country_name="canada (typed)").country_words == "Canada"
    old = Relocation(country="UK", country_name="")
    assert old.country_words == countries.NOT_LISTED
    assert Relocation(country="UK", country_name="United Kingdom").country_words == (
        "United Kingdom"
    )
