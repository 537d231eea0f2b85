import re
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from earlyhelp.access.models import User
from earlyhelp.cases.models import (
    Allocation,
    Assessment,
    Attendance,
    Case,
    CaseMember,
    ClosureRequest,
    Contact,
    Document,
    GoalProgress,
    GroupSession,
    Need,
    NeedOutcome,
    Plan,
    PlanAction,
    PlanGoal,
    PlanReview,
    Team,
)
from earlyhelp.consent.models import MediaConsent
from earlyhelp.consent.services import nursery_processing
from earlyhelp.people.identifiers import nhs_number_is_valid, postcode_is_valid, upn_is_valid
from earlyhelp.people.matching import name_keys
from earlyhelp.people.models import (
    Address,
    ContactMethod,
    Household,
    HouseholdMember,
    Person,
    PersonAddress,
    PersonName,
    Relationship,
)
from earlyhelp.policy.active import active_policy
from earlyhelp.synthetic import casework_vocabulary as cv
from earlyhelp.synthetic.casework import (
    CaseworkPolicy,
    Catalogue,
    make_casework,
    make_sessions,
    make_teams,
    service_options,
)
from earlyhelp.synthetic.families import FamilyFactory
from earlyhelp.synthetic.generator import generate, policy_services
from earlyhelp.synthetic.models import GeneratedDataset

AS_OF = date(2026, 11, 25)


def snapshot() -> dict[str, list[tuple]]:
    """Everything a seed writes, by public id or natural key (database ids aside)."""
    return {
        "people": list(
            Person.objects.order_by("public_id").values_list(
                "public_id",
                "given_name",
                "family_name",
                "given_key",
                "family_key",
                "date_of_birth",
                "nhs_number",
                "upn",
                "created_at",
            )
        ),
        "addresses": list(
            PersonAddress.objects.order_by(
                "person__public_id", "moved_in", "address__public_id"
            ).values_list("person__public_id", "address__postcode", "moved_in", "moved_out")
        ),
        "former names": list(
            PersonName.objects.order_by("person__public_id", "family_name").values_list(
                "person__public_id", "given_name", "family_name", "used_until"
            )
        ),
        "consents": list(
            MediaConsent.objects.order_by("child__public_id", "use").values_list(
                "child__public_id", "given_by__public_id", "use", "decision", "how", "decided_on"
            )
        ),
        "cases": list(
            Case.objects.order_by("public_id").values_list(
                "public_id",
                "service",
                "household__public_id",
                "team__name",
                "reason",
                "started",
                "ended",
                "closure_reason",
            )
        ),
        "members": list(
            CaseMember.objects.order_by("case__public_id", "person__public_id").values_list(
                "case__public_id", "person__public_id", "role"
            )
        ),
        "contacts": list(
            Contact.objects.order_by("public_id").values_list(
                "public_id", "case__public_id", "kind", "occurred_at", "note", "recorded_at"
            )
        ),
        "present": list(
            Contact.people_present.through.objects.order_by(
                "contact__public_id", "person__public_id"
            ).values_list("contact__public_id", "person__public_id")
        ),
        "assessments": list(
            Assessment.objects.order_by("public_id").values_list(
                "public_id", "kind", "started", "completed", "family_views", "needs", "summary"
            )
        ),
        # Sorted here: goals are encrypted, so the database can only order them by ciphertext.
        "goals": sorted(
            PlanGoal.objects.values_list(
                "plan__public_id", "plan__review_date", "goal", "actions", "status"
            )
        ),
        "documents": list(
            Document.objects.order_by("public_id").values_list(
                "public_id", "title", "size", "sha256"
            )
        ),
        "staff": list(
            User.objects.order_by("username").values_list(
                "username", "first_name", "last_name", "teams__name", "groups__name"
            )
        ),
        "cases allocated": list(
            Case.objects.order_by("public_id").values_list(
                "public_id", "allocated_worker__username", "referred_to_social_care_on"
            )
        ),
        "allocations": list(
            Allocation.objects.order_by("public_id").values_list(
                "public_id",
                "case__public_id",
                "worker__username",
                "allocated_by__username",
                "allocated_at",
                "reason",
                "seen_at",
            )
        ),
        "assessment views": list(
            Assessment.objects.order_by("public_id").values_list(
                "public_id",
                "child_views",
                "took_part",
                "family_agreed",
                "family_agreed_on",
                "reviews__public_id",
            )
        ),
        "needs": list(
            Need.objects.order_by("public_id").values_list(
                "public_id", "assessment__public_id", "outcome", "description"
            )
        ),
        "goal needs": sorted(
            PlanGoal.objects.values_list("plan__public_id", "goal", "need__public_id")
        ),
        "actions": sorted(
            PlanAction.objects.values_list("goal__plan__public_id", "action", "who", "by_when")
        ),
        "reviews": list(
            PlanReview.objects.order_by("public_id").values_list(
                "public_id",
                "plan__public_id",
                "reviewed_on",
                "next_review",
                "summary",
                "author__username",
            )
        ),
        "progress": sorted(
            GoalProgress.objects.values_list("review__public_id", "goal__goal", "status", "comment")
        ),
        "closures": list(
            ClosureRequest.objects.order_by("public_id").values_list(
                "public_id",
                "case__public_id",
                "reason",
                "summary",
                "closing_on",
                "referred_to_social_care_on",
                "requested_by__username",
                "requested_at",
                "decision",
                "decided_by__username",
                "decided_at",
            )
        ),
        "outcomes": sorted(
            NeedOutcome.objects.values_list(
                "closure__public_id", "need__public_id", "achieved", "sustained", "evidence"
            )
        ),
        "run by": list(
            GroupSession.run_by.through.objects.order_by(
                "groupsession__public_id", "user__username"
            ).values_list("groupsession__public_id", "user__username")
        ),
        "attendance": list(
            Attendance.objects.order_by("session__public_id", "person__public_id").values_list(
                "session__public_id", "person__public_id", "status", "walk_in"
            )
        ),
    }


def clear_generated_data() -> None:
    PlanGoal.objects.all().delete()
    Assessment.objects.update(reviews=None)
    for model in (
        Attendance,
        GroupSession,
        Case,
        Team,
        Relationship,
        HouseholdMember,
        Household,
        Person,
        Address,
        GeneratedDataset,
    ):
        model.objects.all().delete()
    User.objects.filter(username__startswith="synthetic-").delete()


def leaf_services() -> set[str]:
    """The ids a case may name: services without sub-services, and sub-services."""
    ids = set()
    for service in active_policy().services:
        ids.update(sub.id for sub in service.sub_services)
        if not service.sub_services:
            ids.add(service.id)
    return ids


# -- families, without the database ----------------------------------------------------


def test_same_seed_makes_the_same_families():
    first = [FamilyFactory(7, AS_OF).family() for _ in range(50)]
    second = [FamilyFactory(7, AS_OF).family() for _ in range(50)]
    assert first == second


def test_different_seeds_make_different_families():
    assert FamilyFactory(7, AS_OF).family() != FamilyFactory(8, AS_OF).family()


def test_no_two_people_of_a_family_share_a_first_name():
    factory = FamilyFactory(4, AS_OF)
    for _ in range(300):
        names = [person.given_name for person in factory.family().people]
        assert len(set(names)) == len(names), names


def test_a_familys_casework_depends_on_the_family_alone():
    services = [
        ("early", "Integrated Early Years", []),
        ("family", "Family Support", []),
        ("youth", "Youth Support", [("justice", "Youth Justice"), ("club", "Youth Service")]),
    ]
    options = service_options(services)
    policy = CaseworkPolicy(
        outcomes=(("school", "Getting a good education"), ("home", "Secure housing")),
        closure_reasons=(("done", "Needs met", False), ("up", "Stepped up", True)),
        review_weeks=6,
    )
    catalogue = Catalogue(options, make_teams(services), make_sessions(9, AS_OF, options), policy)
    factory = FamilyFactory(9, AS_OF)
    families = [factory.family() for _ in range(120)]
    first = [make_casework(family, catalogue, AS_OF) for family in families]
    again = [make_casework(family, catalogue, AS_OF) for family in reversed(families)]
    assert first == list(reversed(again))
    # Only the policy's outcomes and closure reasons, whatever the vocabulary's ids.
    cases = [case for work in first for case in work.cases]
    assert {case.closure_reason for case in cases if case.ended} == {"done", "up"}
    assert {need.outcome for case in cases for a in case.assessments for need in a.found_needs} == {
        "school",
        "home",
    }
    assert all(case.referred_to_social_care_on for case in cases if case.closure_reason == "up")
    themes = {case.theme for work in first for case in work.cases}
    assert {"early_years", "family"} <= themes
    assert {case.service for work in first for case in work.cases} <= {
        "early",
        "family",
        "justice",
        "club",
    }


# -- writing to the database -------------------------------------------------------------


@pytest.mark.django_db
def test_generated_database_is_the_same_for_a_seed_whatever_the_batch_size():
    generate(60, seed=3, as_of=AS_OF, batch_size=7)
    first = snapshot()
    clear_generated_data()
    generate(60, seed=3, as_of=AS_OF, batch_size=60)
    assert snapshot() == first
    assert first["cases"] and first["contacts"] and first["attendance"]
    assert first["allocations"] and first["needs"] and first["reviews"] and first["closures"]


@pytest.mark.django_db
def test_generating_a_seed_twice_adds_nothing():
    counts, added = generate(20, seed=5, as_of=AS_OF)
    people, contacts = Person.objects.count(), Contact.objects.count()
    again, added_again = generate(20, seed=5, as_of=AS_OF)
    assert (added, added_again) == (20, 0)
    assert again == counts
    assert (Person.objects.count(), Contact.objects.count()) == (people, contacts)


@pytest.mark.django_db
def test_more_families_for_a_seed_adds_the_same_families_as_making_them_at_once():
    counts_at_once, _ = generate(40, seed=6, as_of=AS_OF)
    at_once = snapshot()
    clear_generated_data()
    generate(15, seed=6, as_of=AS_OF)
    counts, added = generate(40, seed=6, as_of=AS_OF)
    assert added == 25
    assert snapshot() == at_once
    assert counts == counts_at_once


@pytest.mark.django_db
def test_adding_to_a_seed_on_another_as_of_date_is_refused_naming_the_option():
    generate(5, seed=8, as_of=AS_OF)
    with pytest.raises(ValueError, match="--as-of"):
        generate(10, seed=8, as_of=date(2027, 1, 1))


@pytest.mark.django_db
def test_counts_match_the_rows_written():
    counts, _ = generate(120, seed=10, as_of=AS_OF)
    assert counts["people"] == Person.objects.count()
    assert counts["households"] == Household.objects.count()
    assert counts["addresses"] == Address.objects.count()
    assert counts["address history entries"] == PersonAddress.objects.count()
    assert counts["former names"] == PersonName.objects.count()
    assert counts["telephones and emails"] == ContactMethod.objects.count()
    assert counts["cases"] == Case.objects.count()
    assert counts["open cases"] == Case.objects.filter(ended=None).count()
    assert counts["contacts"] == Contact.objects.count()
    assert counts["people present at contacts"] == Contact.people_present.through.objects.count()
    assert counts["assessments"] == Assessment.objects.count()
    assert counts["plans"] == Plan.objects.count()
    assert counts["plan goals"] == PlanGoal.objects.count()
    assert counts["documents"] == Document.objects.count()
    assert counts["attendance records"] == Attendance.objects.count()
    assert counts["teams"] == Team.objects.count()
    assert counts["group sessions"] == GroupSession.objects.count()
    assert counts["nursery consent decisions"] == MediaConsent.objects.count()


@pytest.mark.django_db
def test_children_at_the_nursery_have_their_parents_decisions_on_each_use():
    generate(200, seed=12, as_of=AS_OF)
    processing = nursery_processing()
    consents = list(MediaConsent.objects.select_related("child", "given_by"))
    assert consents, "no child on an open, allocated case of the nursery service"
    for consent in consents:
        assert Relationship.objects.filter(
            person=consent.given_by, relative=consent.child, has_parental_responsibility=True
        ).exists()
        assert Case.objects.filter(
            service__in=processing.services, ended=None, members__person=consent.child
        ).exists()
        words = processing.consent_use(consent.use).text_on(consent.decided_on)
        assert (consent.text_version, consent.wording) == (words.version, words.wording)
    assert {c.decision for c in consents} <= {"given", "refused"}
    assert {c.use for c in consents} == {u.id for u in processing.uses}


@pytest.mark.django_db
def test_every_identifier_and_postcode_is_valid_and_nhs_numbers_are_unique():
    generate(300, seed=11, as_of=AS_OF)
    nhs_numbers = [n for n in Person.objects.values_list("nhs_number", flat=True) if n]
    assert nhs_numbers and all(nhs_number_is_valid(n) for n in nhs_numbers)
    assert all(n.startswith("999") for n in nhs_numbers)  # the NHS test range
    assert len(set(nhs_numbers)) == len(nhs_numbers)
    upns = [u for u in Person.objects.values_list("upn", flat=True) if u]
    assert upns and all(upn_is_valid(u) for u in upns)
    assert len(set(upns)) == len(upns)
    assert all(postcode_is_valid(p) for p in Address.objects.values_list("postcode", flat=True))


@pytest.mark.django_db
def test_families_have_children_of_all_ages_and_relatives_in_and_outside_the_household():
    generate(300, seed=12, as_of=AS_OF)
    ages = {
        AS_OF.year - born.year - ((AS_OF.month, AS_OF.day) < (born.month, born.day))
        for born in Person.objects.values_list("date_of_birth", flat=True)
    }
    assert set(range(0, 18)) <= ages
    assert max(ages) >= 70
    living_elsewhere = Person.objects.filter(households=None)
    assert living_elsewhere.exists()
    assert Relationship.objects.filter(person__in=living_elsewhere).exists()
    kinds = set(Relationship.objects.values_list("kind", flat=True))
    assert {"parent", "sibling", "step_parent", "grandparent", "partner"} <= kinds
    assert Relationship.objects.filter(kind="parent", has_parental_responsibility=False).exists()
    assert set(Relationship.objects.values_list("source", flat=True)) == {"family"}


@pytest.mark.django_db
def test_every_child_is_younger_than_their_parents_by_sixteen_years():
    generate(200, seed=13, as_of=AS_OF)
    for rel in Relationship.objects.filter(kind="parent").select_related("person", "relative"):
        gap = (rel.relative.date_of_birth - rel.person.date_of_birth).days // 365
        assert gap >= 16, (rel.person.public_id, rel.relative.public_id)


@pytest.mark.django_db
def test_people_have_name_keys_address_history_former_names_and_contact_methods():
    generate(200, seed=14, as_of=AS_OF)
    for person in Person.objects.all():
        assert (person.given_key, person.family_key) == name_keys(
            person.given_name, person.family_name
        )
    # Every household member lives at the household's address from when they joined.
    for member in HouseholdMember.objects.select_related("household"):
        assert PersonAddress.objects.filter(
            person_id=member.person_id,
            address_id=member.household.address_id,
            moved_in=member.joined_on,
            moved_out=None,
        ).exists()
    earlier = PersonAddress.objects.exclude(moved_out=None)
    assert earlier.exists()
    for entry in earlier.select_related("person"):
        assert entry.moved_in <= entry.moved_out
        assert entry.person.date_of_birth <= entry.moved_in
    former = PersonName.objects.select_related("person")
    assert former.exists()
    for name in former:
        assert name.kind == PersonName.Kind.FORMER
        assert name.family_name != name.person.family_name
        assert (name.given_key, name.family_key) == name_keys(name.given_name, name.family_name)
        assert name.person.date_of_birth < name.used_until <= AS_OF
    # Mothers who took a partner's surname, and children whose surname changed.
    assert former.filter(person__relationships__kind="partner").exists()
    assert former.filter(person__date_of_birth__gt=date(2008, 11, 25)).exists()
    methods = ContactMethod.objects.all()
    assert {m.kind for m in methods} == {"telephone", "email"}
    assert {m.source for m in methods} == {"family"}
    assert all(m.value.startswith("07700 900") for m in methods.filter(kind="telephone"))


@pytest.mark.django_db
def test_about_a_third_of_families_have_cases_every_one_of_a_policy_service():
    generate(400, seed=15, as_of=AS_OF)
    known = Household.objects.filter(cases__isnull=False).distinct().count()
    assert 0.25 * 400 <= known <= 0.45 * 400
    services = leaf_services()
    cases = Case.objects.select_related("team")
    assert {case.service for case in cases} <= services
    assert len({case.service for case in cases}) >= 5
    for case in cases:
        assert case.team.service == case.service
        assert case.reason
    teams = Team.objects.values("service").annotate(n=Count("id"))
    assert {row["service"] for row in teams} == services
    assert all(2 <= row["n"] <= 3 for row in teams)


@pytest.mark.django_db
def test_closed_cases_have_closure_reasons_and_open_cases_none():
    generate(300, seed=16, as_of=AS_OF)
    closed = Case.objects.exclude(ended=None)
    still_open = Case.objects.filter(ended=None)
    assert closed.exists() and still_open.exists()
    for case in closed:
        assert case.closure_reason
        assert case.started < case.ended < AS_OF
    assert not still_open.exclude(closure_reason="").exists()
    assert all(case.started <= AS_OF for case in still_open)


@pytest.mark.django_db
def test_case_members_are_the_households_children_and_adults():
    generate(200, seed=17, as_of=AS_OF)
    for case in Case.objects.prefetch_related("members__person"):
        home = set(
            HouseholdMember.objects.filter(household_id=case.household_id).values_list(
                "person_id", flat=True
            )
        )
        roles = {member.person_id: member.role for member in case.members.all()}
        assert roles and set(roles) <= home
        assert "child" in roles.values()
        for member in case.members.all():
            if member.person.age_on(case.started) < 18:
                assert member.role == "child"


@pytest.mark.django_db
def test_contacts_belong_to_cases_of_the_household_and_name_family_and_professionals():
    generate(200, seed=18, as_of=AS_OF)
    contacts = Contact.objects.select_related("case").prefetch_related("people_present")
    assert contacts.count() > 500
    roles = [role.label for role in cv.PROFESSIONAL_ROLES]
    naming_family = naming_professional = 0
    families: dict[int, dict[int, str]] = {}
    for contact in contacts:
        case = contact.case
        assert case.started <= contact.occurred_at.date()
        assert contact.occurred_at.date() <= (case.ended or AS_OF)
        assert contact.occurred_at <= contact.recorded_at
        family = family_of(case.household_id, families)
        assert {person.pk for person in contact.people_present.all()} <= set(family)
        naming_family += any(name in contact.note for name in family.values())
        naming_professional += any(role in contact.note for role in roles)
    assert naming_family / contacts.count() > 0.95
    assert naming_professional / contacts.count() > 0.2
    notes = list(contacts.values_list("note", flat=True))
    assert len(set(notes)) / len(notes) > 0.99
    assert set(contacts.values_list("kind", flat=True)) >= {
        "home_visit",
        "phone_call",
        "meeting",
        "session",
    }


def family_of(household_id: int, known: dict[int, dict[int, str]]) -> dict[int, str]:
    """Person id -> given name of a household's members and their relatives elsewhere."""
    if household_id not in known:
        home = set(
            HouseholdMember.objects.filter(household_id=household_id).values_list(
                "person_id", flat=True
            )
        )
        related = set(
            Relationship.objects.filter(relative_id__in=home).values_list("person_id", flat=True)
        ) | set(
            Relationship.objects.filter(person_id__in=home).values_list("relative_id", flat=True)
        )
        known[household_id] = dict(
            Person.objects.filter(pk__in=home | related).values_list("pk", "given_name")
        )
    return known[household_id]


@pytest.mark.django_db
def test_assessments_and_plans_have_family_views_and_two_to_four_goals():
    generate(200, seed=19, as_of=AS_OF)
    assessments = Assessment.objects.select_related("case")
    assert assessments.filter(kind="early_help").exists()
    for assessment in assessments:
        assert assessment.family_views and assessment.strengths and assessment.needs
        assert assessment.case.started <= assessment.started
        if assessment.completed:
            assert assessment.started < assessment.completed
    plans = Plan.objects.annotate(goal_count=Count("goals"))
    assert plans.exists()
    for plan in plans:
        assert 2 <= plan.goal_count <= 4
        assert plan.agreed < plan.review_date


@pytest.mark.django_db
def test_documents_are_metadata_of_pdfs_with_a_content_hash():
    generate(200, seed=20, as_of=AS_OF)
    documents = Document.objects.all()
    assert documents.exists()
    for document in documents:
        assert document.content_type == "application/pdf"
        assert re.fullmatch(r"[0-9a-f]{64}", document.sha256)
        assert document.size > 0 and document.title
    assert documents.values("sha256").distinct().count() == documents.count()


@pytest.mark.django_db
def test_group_sessions_of_every_kind_have_attendance_after_birth():
    generate(300, seed=21, as_of=AS_OF)
    kinds = set(GroupSession.objects.values_list("kind", flat=True))
    assert kinds == {"stay_and_play", "youth_project", "parenting_programme"}
    attended = set(Attendance.objects.values_list("session__kind", flat=True))
    assert attended == kinds
    assert Attendance.objects.filter(status="absent").exists()
    for row in Attendance.objects.select_related("session", "person"):
        assert row.person.date_of_birth <= row.session.held_on <= AS_OF
    assert set(GroupSession.objects.values_list("service", flat=True)) <= leaf_services()


@pytest.mark.django_db
def test_teams_are_shared_by_seeds_and_sessions_belong_to_each_seed():
    generate(10, seed=22, as_of=AS_OF)
    teams, sessions = Team.objects.count(), GroupSession.objects.count()
    generate(10, seed=23, as_of=AS_OF)
    assert Team.objects.count() == teams == len(make_teams(policy_services()))
    assert GroupSession.objects.count() == 2 * sessions


@pytest.mark.django_db
def test_generate_command_prints_the_counts_it_made(capsys):
    call_command("generate", "--families", "25", "--seed", "21", "--as-of", "2026-11-25")
    out = capsys.readouterr().out
    assert "Generated 25 families for seed 21" in out
    assert f"{Person.objects.count():,}" in out
    assert f"{Contact.objects.count():,}" in out


@pytest.mark.django_db
def test_generate_command_names_a_bad_argument():
    with pytest.raises(CommandError, match="--families"):
        call_command("generate", "--families", "0", "--seed", "1")
