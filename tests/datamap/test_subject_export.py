"""`earlyhelp subject export`: everything held about one person, and nothing about anyone
else except where the data map marks them as mentioned; for the IG officer only, audited."""

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from earlyhelp.access.roles import Role
from earlyhelp.audit.log import record
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.models import Case, CaseMember
from earlyhelp.datamap.export import ExportRefused, export_subject
from earlyhelp.datamap.registry import holding_for
from earlyhelp.people.merge import merge_people
from earlyhelp.people.models import Person
from earlyhelp.synthetic.generator import generate
from tests.factories import (
    AttendanceFactory,
    ContactFactory,
    DocumentFactory,
    ObjectionFactory,
    PersonFactory,
    RestrictionFactory,
)

AS_OF = date(2026, 11, 1)


def _read(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _rows(document: dict) -> dict[str, list[dict]]:
    return {h["model"]: h["rows"] for h in document["holdings"]}


@pytest.fixture
def officer(make_user):
    return make_user("grace", Role.INFORMATION_GOVERNANCE)


def test_the_export_holds_rows_from_every_app_that_holds_data_about_the_person(
    family, case, officer, tmp_path
):
    yusuf = family["yusuf"]
    ContactFactory(case=case).people_present.add(yusuf)
    AttendanceFactory(person=yusuf)
    ObjectionFactory(person=yusuf)
    RestrictionFactory(person=yusuf, created_by=officer)
    record(action="view", record_type="person", record_id=yusuf.public_id, actor=officer)

    exported = export_subject(yusuf, tmp_path, officer)

    rows = _rows(_read(exported.path))
    apps = {model.split(".")[0] for model in rows}
    assert apps == {"people", "cases", "access", "extracts", "audit"}
    assert [r["fields"] for r in rows["people.Person"]] == [
        [
            {"label": "Given name", "value": "Yusuf", "category": "identity-and-contact"},
            {"label": "Family name", "value": "Haddad", "category": "identity-and-contact"},
            {"label": "Date of birth", "value": "2016-02-09", "category": "identity-and-contact"},
        ]
    ]
    assert exported.path.name == f"subject-{yusuf.public_id}.json"
    assert exported.path.stat().st_mode & 0o777 == 0o600


def test_a_relative_is_in_the_export_only_as_mentioned_and_their_own_facts_are_not(
    family, case, officer, tmp_path
):
    yusuf, mum = family["yusuf"], family["mum"]
    exported = export_subject(yusuf, tmp_path, officer)
    rows = _rows(_read(exported.path))

    relationships = rows["people.Relationship"]
    # Yusuf -> Leila (his own), Mum -> Yusuf and Dad -> Yusuf (they name him, and say whose
    # relationship it is: the link to the person is hidden only on a row about them).
    by_role = sorted(
        (r["role"], [(f["label"], f["value"]) for f in r["fields"][:2]]) for r in relationships
    )
    assert by_role == [
        ("mentioned", [("Person", "Amira Haddad"), ("Relative", "Yusuf Haddad")]),
        ("mentioned", [("Person", "Tomasz Nowak"), ("Relative", "Yusuf Haddad")]),
        ("subject", [("Relative", "Leila Haddad"), ("Kind", "Sibling")]),
    ]
    people = [f["value"] for r in rows["people.Person"] for f in r["fields"]]
    assert "Amira" not in people and mum.family_name in people  # his own name only
    assert len(rows["people.Person"]) == 1


def test_a_generated_persons_export_holds_nothing_about_anyone_else(officer, tmp_path):
    generate(12, seed=4, as_of=AS_OF)
    # The person with the most case records: every kind of row is there to check.
    person = (
        Person.objects.annotate(n=Count("case_memberships__case__contacts"))
        .order_by("-n", "pk")
        .first()
    )
    exported = export_subject(person, tmp_path, officer)
    rows = _rows(_read(exported.path))
    assert {"people.Person", "cases.Case", "cases.Contact", "people.Relationship"} <= set(rows)

    # An oracle written out by hand, not the registry's own reaches.
    case_ids = set(CaseMember.objects.filter(person=person).values_list("case_id", flat=True))
    from earlyhelp.cases import models as c
    from earlyhelp.people import models as p

    child_of = set(
        CaseMember.objects.filter(person=person, role="child").values_list("case_id", flat=True)
    )

    def reached(model: str, pk: int, role: str) -> bool:
        label = model.split(".")[1]
        row = {m._meta.label: m for m in (*_models(p), *_models(c))}[model].objects.get(pk=pk)
        subject = role == "subject"
        if label == "Person":
            return row.pk == person.pk and subject
        if label == "Relationship":
            return row.person_id == person.pk if subject else row.relative_id == person.pk
        if label == "Case":
            return row.pk in case_ids and subject
        # The family's case records, each reached through its case: about the case's
        # children, naming its other members.
        case_of = {
            "Assessment": lambda r: r.case_id,
            "Plan": lambda r: r.case_id,
            "Allocation": lambda r: r.case_id,
            "ClosureRequest": lambda r: r.case_id,
            "Reopening": lambda r: r.case_id,
            "CaseNote": lambda r: r.case_id,
            "PlanGoal": lambda r: r.plan.case_id,
            "PlanReview": lambda r: r.plan.case_id,
            "Need": lambda r: r.assessment.case_id,
            "PlanAction": lambda r: r.goal.plan.case_id,
            "GoalProgress": lambda r: r.review.plan.case_id,
            "NeedOutcome": lambda r: r.closure.case_id,
        }
        if label in case_of:
            return case_of[label](row) in (child_of if subject else case_ids)
        if label == "Contact":
            present = row.people_present.filter(pk=person.pk).exists()
            return (present or row.case_id in child_of) if subject else row.case_id in case_ids
        if label == "Correction":
            if row.person_id is not None:
                return row.person_id == person.pk and subject
            return row.case_id in (child_of if subject else case_ids)
        if label == "Document":
            if subject:
                return row.person_id == person.pk or (
                    row.person_id is None and row.case_id in child_of
                )
            return row.case_id in case_ids and row.person_id != person.pk
        if label == "Household":
            return row.members.filter(pk=person.pk).exists()
        if label == "Address":
            return (
                row.residents.filter(person=person).exists()
                or row.households.filter(members=person).exists()
            )
        return row.person_id == person.pk and subject

    for model, model_rows in rows.items():
        for row in model_rows:
            assert reached(model, row["id"], row["role"]), (model, row["id"], row["role"])
    assert Case.objects.exclude(pk__in=case_ids).exists(), "other families' cases exist"


def _models(module):
    from django.db import models

    return [
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, models.Model) and not v._meta.abstract
    ]


def test_only_an_information_governance_officer_may_export_and_a_refusal_is_audited(
    family, make_user, tmp_path
):
    worker = make_user("priya", Role.PRACTITIONER, Role.TEAM_MANAGER)
    with pytest.raises(ExportRefused, match="only an information governance officer"):
        export_subject(family["yusuf"], tmp_path, worker)
    assert list(tmp_path.iterdir()) == []
    refused = AuditEvent.objects.get(action="export")
    assert (refused.rule, refused.flagged, refused.actor) == ("access:refused", True, worker)
    assert refused.record_id == str(family["yusuf"].public_id)


def test_an_export_is_audited_with_the_rule_it_relied_on_and_its_categories(
    family, case, officer, tmp_path
):
    export_subject(family["yusuf"], tmp_path, officer)
    event = AuditEvent.objects.get(action="export")
    assert event.rule == "access:governance"
    assert event.record_id == str(family["yusuf"].public_id)
    assert {"identity-and-contact", "family-relationships", "reports-and-plans"} <= set(
        event.categories
    )
    assert event.details["rows"] == sum(event.details["models"].values()) > 0
    assert "Yusuf" not in json.dumps(event.details)


def test_a_merged_record_is_not_exported_the_kept_record_is_named(officer, tmp_path):
    kept = PersonFactory()
    merged = PersonFactory(merged_into=kept)
    with pytest.raises(ValueError, match=f"merged into record {kept.public_id}"):
        export_subject(merged, tmp_path, officer)
    assert list(tmp_path.iterdir()) == []


def test_the_command_writes_the_file_and_says_what_it_holds(family, case, officer, tmp_path):
    out = tmp_path / "requests"
    call_command(
        "subject", "export", str(family["leila"].public_id), "--out", str(out), "--by", "grace"
    )
    document = _read(out / f"subject-{family['leila'].public_id}.json")
    assert document["person"] == str(family["leila"].public_id)
    assert document["exported_by"] == "grace"


@pytest.mark.parametrize(
    ("person", "by", "message"),
    [
        ("not-a-uuid", "grace", "person: 'not-a-uuid' is not a record id"),
        ("00000000-0000-4000-8000-000000000000", "grace", "person: no record has the id"),
        (None, "nobody", "--by: no active staff account is called 'nobody'"),
        (None, "priya", "only an information governance officer"),
    ],
)
def test_the_command_refuses_bad_arguments_naming_the_argument(
    family, officer, make_user, tmp_path, person, by, message
):
    make_user("priya", Role.PRACTITIONER)
    with pytest.raises(CommandError, match=message):
        call_command(
            "subject",
            "export",
            person or str(family["mum"].public_id),
            "--out",
            str(tmp_path),
            "--by",
            by,
        )
    assert not list(tmp_path.glob("*.json"))


def test_a_policy_id_in_a_row_is_shown_in_the_policys_words(family, case, officer, tmp_path):
    ObjectionFactory(person=family["yusuf"], project="liia")
    rows = _rows(_read(export_subject(family["yusuf"], tmp_path, officer).path))
    case_fields = {f["label"]: f["value"] for f in rows["cases.Case"][0]["fields"]}
    assert case_fields["Service"] == "Family Support and Complex Families"
    objection = {f["label"]: f["value"] for f in rows["extracts.Objection"][0]["fields"]}
    assert objection["Project"] == "London Innovation and Improvement Alliance"


def test_a_parent_reads_case_notes_of_visits_they_were_not_at_as_naming_them(
    family, case, officer, tmp_path
):
    mum, yusuf = family["mum"], family["yusuf"]
    ContactFactory(case=case, note="Visit with mum").people_present.add(mum)
    ContactFactory(case=case, note="Saw Yusuf at school")
    roles = {
        _field(r, "Note"): r["role"]
        for r in _rows(_read(export_subject(mum, tmp_path, officer).path))["cases.Contact"]
    }
    assert roles == {"Visit with mum": "subject", "Saw Yusuf at school": "mentioned"}
    # To a child the case is about, every note of the case is about them.
    child = _rows(_read(export_subject(yusuf, tmp_path / "yusuf", officer).path))
    assert {r["role"] for r in child["cases.Contact"]} == {"subject"}


def test_a_document_about_a_sibling_names_them_and_is_not_about_the_reader(
    family, case, officer, tmp_path
):
    DocumentFactory(case=case, person=family["leila"], title="Nursery report on Leila")
    DocumentFactory(case=case, person=None, title="Family plan letter")
    rows = _rows(_read(export_subject(family["yusuf"], tmp_path, officer).path))
    documents = {_field(r, "Title"): r for r in rows["cases.Document"]}
    assert documents["Family plan letter"]["role"] == "subject"
    leilas = documents["Nursery report on Leila"]
    assert leilas["role"] == "mentioned"
    assert _field(leilas, "Person") == "Leila Haddad"


def test_the_kept_records_export_holds_what_its_merged_records_hold(officer, tmp_path):
    kept, merged = PersonFactory(), PersonFactory(nhs_number="9990000018")
    look = record(action="view", record_type="person", record_id=merged.public_id, actor=officer)
    merge_people(kept, merged, officer, "Same child: same school and birthday")
    merged.refresh_from_db()
    document = _read(export_subject(kept, tmp_path, officer).path)
    assert document["records"] == [str(kept.public_id), str(merged.public_id)]
    people = _rows(document)["people.Person"]
    assert {_field(r, "NHS number") for r in people} >= {"9990000018"}
    # The look at the merged record, before the merge, is part of the person's history.
    assert look.pk in [r["id"] for r in _rows(document)["audit.AuditEvent"]]


def test_an_export_whose_audit_event_fails_leaves_no_file(family, officer, tmp_path, monkeypatch):
    from earlyhelp.datamap import export

    def refuse(*args, **kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(export, "record", refuse)
    with pytest.raises(RuntimeError):
        export_subject(family["yusuf"], tmp_path, officer)
    assert list(tmp_path.iterdir()) == []


def test_the_command_names_the_folder_it_cannot_write_into(family, officer, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for out, message in (
        (str(blocker / "sub"), "--out: cannot write the export into"),
        ("  ", "--out: give the folder"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command(
                "subject", "export", str(family["mum"].public_id), "--out", out, "--by", "grace"
            )
    assert not AuditEvent.objects.filter(action="export").exists()


def _field(row: dict, label: str) -> str | None:
    return next((f["value"] for f in row["fields"] if f["label"] == label), None)


def test_an_audit_event_says_the_rule_it_relied_on_and_an_event_with_none_says_no_rule(officer):
    person = PersonFactory()
    holding = holding_for(AuditEvent)
    with_rule = AuditEvent(action="view", rule="access:governance", record_type="person")
    without = AuditEvent(action="view", rule="", record_type="person")
    with_rule.record_id = without.record_id = str(person.public_id)
    labels = [label for label, _value, _category in holding.entry(with_rule).fields]
    assert "Rule" in labels and all(value for _l, value, _c in holding.entry(with_rule).fields)
    assert "Rule" not in [label for label, _value, _category in holding.entry(without).fields]
