"""`earlyhelp datamap` prints the map; `policy check` warns where the map and policy differ."""

import csv
import io

from django.core.management import call_command
from django.test.utils import isolate_apps

from earlyhelp.datamap.mapping import map_csv, policy_warnings
from earlyhelp.datamap.registry import delete, register, unregister
from earlyhelp.policy.active import active_policy


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_text_map_names_each_model_its_fields_reach_and_erasure():
    text = _run("datamap")
    block = text.split("people.Relationship (Relationship)\n")[1].split("\n\n")[0]
    assert block.splitlines() == [
        "  reached: person [subject]",
        "  reached: relative [mentioned]",
        "  source: information-from-others",
        "  person: family-relationships",
        "  relative: family-relationships",
        "  kind: family-relationships",
        "  has_parental_responsibility: family-relationships",
        "  erasure: deleted when the retention period ends (child-records or adult-records) "
        "or erasure is granted",
    ]


def test_the_csv_map_has_a_row_per_classified_field():
    rows = list(csv.DictReader(io.StringIO(_run("datamap", "--format", "csv"))))
    contact = {r["field"]: r for r in rows if r["model"] == "cases.Contact"}
    assert set(contact) == {"case", "kind", "occurred_at", "note", "people_present"}
    assert contact["note"]["category"] == "call-and-meeting-records"
    assert contact["note"]["reached from the person"] == (
        "people_present (present) (subject); "
        "case → members → person (a child the case is about) (subject); "
        "case → members → person (another member of the case) (mentioned)"
    )


def test_a_csv_cell_that_a_spreadsheet_would_run_is_neutralised(monkeypatch):
    from earlyhelp.cases.models import Contact

    monkeypatch.setattr(Contact._meta, "verbose_name", "=cmd")
    titles = {r["model"]: r["title"] for r in csv.DictReader(io.StringIO(map_csv()))}
    assert titles["cases.Contact"] == "'=cmd"


def test_the_demo_policy_warns_of_categories_no_model_holds():
    warnings = {w.path: w for w in policy_warnings(active_policy())}
    ids = {c.id: f"categories[{i}]" for i, c in enumerate(active_policy().categories)}
    # The notice's "other criminal offence data" has no field of its own here.
    assert warnings[ids["other-criminal"]].code == "category-not-held"
    # Contact notes and nursery consents are recorded: no warning for their categories.
    assert ids["call-and-meeting-records"] not in warnings
    assert ids["nursery-media"] not in warnings


@isolate_apps("earlyhelp.people")
def test_a_field_whose_category_no_purpose_covers_is_a_policy_warning():
    from django.db import models

    from earlyhelp.people.models import Person

    class Hobby(models.Model):
        person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
        data_categories = {"person": "nursery-media"}

        class Meta:
            app_label = "people"

        def __str__(self) -> str:
            return "throwaway"

    policy = active_policy()
    covering = [p for p in policy.purposes if "nursery-media" in p.categories]
    uncovered = policy.model_copy(
        update={
            "purposes": [
                p.model_copy(
                    update={"categories": [c for c in p.categories if c != "nursery-media"]}
                )
                if p in covering
                else p
                for p in policy.purposes
            ]
        }
    )
    register(Hobby, "person", erasure=delete())
    try:
        found = [w for w in policy_warnings(uncovered) if w.path == "people.Hobby.person"]
    finally:
        unregister(Hobby)
    assert [w.code for w in found] == ["category-without-purpose"]
    assert "'nursery-media', which no purpose in the policy covers" in found[0].message


def test_policy_check_prints_the_data_map_warnings(settings):
    text = _run("policy", "check", str(settings.POLICY_PATH), "--today", "2026-11-29")
    assert "category 'other-criminal' is declared, but no model in the data map holds it" in text
