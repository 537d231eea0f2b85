"""The database extract reads where each field is held from the data map: a project that
files a field under another category than the records hold it in is refused."""

from dataclasses import replace
from datetime import date

import pytest

from earlyhelp.datamap.registry import holding_for
from earlyhelp.extracts.database import SOURCES, cohort_frame
from earlyhelp.extracts.projects import ExtractRefused, approve
from earlyhelp.policy.schema import ProjectField

ON = date(2026, 11, 25)


def test_every_extract_source_reads_fields_the_data_map_holds():
    for name, source in SOURCES.items():
        for model, field in source.held_in:
            holding = holding_for(model)  # raises for a model left out of the map
            assert field in {f.name for f in model._meta.concrete_fields}, (name, field)
            assert field in holding.categories or field == "public_id", (name, field)


def test_a_field_filed_under_another_category_is_refused_naming_both(family, case, keys_dir):
    approved = approve("liia", ON)
    misfiled = ProjectField(name="postcode", category="housing", rule="postcode_to_district")
    fields = [f for f in approved.project.fields if f.name != "postcode"] + [misfiled]
    wanting = replace(approved, project=approved.project.model_copy(update={"fields": fields}))
    with pytest.raises(ExtractRefused) as refused:
        cohort_frame(wanting)
    assert str(refused.value) == (
        "project 'liia': 'postcode' is listed under category 'housing', but the case records "
        "hold it as identity-and-contact"
    )


def test_a_dropped_field_leaves_nothing_so_its_category_is_not_checked(family, case, keys_dir):
    approved = approve("liia", ON)
    fields = [
        f.model_copy(update={"category": "housing"}) if f.name == "name" else f
        for f in approved.project.fields
    ]
    frame, _ = cohort_frame(
        replace(approved, project=approved.project.model_copy(update={"fields": fields}))
    )
    assert "name" not in frame.columns
