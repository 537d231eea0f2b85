"""`policy check` warns where retention cannot work (issue 18 item 7): a record class in the
data map with no retention rule and no stated reason to keep it, a record class naming a
rule the policy does not declare, and a policy that says nothing about destruction."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command
from django.test.utils import isolate_apps

from earlyhelp.datamap.mapping import policy_warnings
from earlyhelp.datamap.registry import (
    Holding,
    Reach,
    anonymise,
    delete,
    holdings,
    keep,
    register,
    unregister,
)
from earlyhelp.extracts.models import Objection
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.loader import check_warnings, policy_from_dict
from earlyhelp.policy.loader.warnings import retention_holding_warnings

from . import TODAY, camden_dict, camden_policy, write_policy


def _holding(erasure) -> Holding:
    # A real data map entry for a real model, not registered: only its erasure matters here.
    return Holding(model=Objection, reaches=(Reach("person"),), erasure=erasure)


def _codes(found) -> list[str]:
    return [w.code for w in found]


def test_a_record_class_deleted_with_no_retention_rule_is_warned_of_by_its_title() -> None:
    found = retention_holding_warnings(camden_policy(), [_holding(delete())])
    assert _codes(found) == ["record-class-without-retention-rule"]
    assert found[0].path == "extracts.Objection"
    assert "record class 'Objection' has no retention rule" in found[0].message


def test_a_record_class_anonymised_with_no_retention_rule_is_warned_of_too() -> None:
    found = retention_holding_warnings(camden_policy(), [_holding(anonymise("person"))])
    assert _codes(found) == ["record-class-without-retention-rule"]


def test_a_record_class_kept_for_a_stated_reason_needs_no_retention_rule() -> None:
    kept = _holding(keep(reason="the audit trail is kept whole"))
    assert retention_holding_warnings(camden_policy(), [kept]) == []


def test_a_record_class_naming_declared_rules_gives_no_warning() -> None:
    ruled = _holding(delete(retention_rules=("child-records", "adult-records")))
    assert retention_holding_warnings(camden_policy(), [ruled]) == []


def test_a_record_class_naming_a_rule_the_policy_does_not_declare_is_warned_of() -> None:
    ruled = _holding(delete(retention_rules=("child-records", "youth-justice")))
    found = retention_holding_warnings(camden_policy(), [ruled])
    assert _codes(found) == ["record-class-unknown-retention-rule"]
    assert "names the retention rule 'youth-justice', which the policy does not declare" in (
        found[0].message
    )


def test_the_same_rule_id_is_no_warning_once_the_policy_declares_it() -> None:
    data = camden_dict()
    data["retention"]["rules"].append(
        {
            "id": "youth-justice",
            "subject": "child",
            "trigger": "case_closure",
            "period": {"years": 6},
            "statutory": True,
            "services": ["youth-justice"],
        }
    )
    ruled = _holding(keep(retention_rules=("youth-justice",)))
    assert retention_holding_warnings(policy_from_dict(data), [ruled]) == []


def test_a_policy_without_destruction_settings_warns_that_nobody_can_sign_off_destruction() -> None:
    data = camden_dict()
    del data["retention"]["destruction"]
    found = [w for w in check_warnings(policy_from_dict(data), TODAY) if w.code == "no-destruction"]
    assert len(found) == 1
    assert found[0].path == "retention.destruction"
    assert "nobody can sign off destruction" in found[0].message


def test_the_camden_policy_states_its_destruction_settings_so_gives_no_such_warning() -> None:
    assert "no-destruction" not in _codes(check_warnings(camden_policy(), TODAY))


def test_the_data_maps_warnings_flag_every_live_record_class_without_a_rule_or_reason() -> None:
    found = {
        w.path
        for w in policy_warnings(active_policy())
        if w.code == "record-class-without-retention-rule"
    }
    expected = {
        h.name for h in holdings() if not h.erasure.retention_rules and h.erasure.action != "keep"
    }
    assert found == expected
    # Every rule the live data map names is one the policy declares.
    assert not [
        w
        for w in policy_warnings(active_policy())
        if w.code == "record-class-unknown-retention-rule"
    ]


@isolate_apps("earlyhelp.people")
def test_registering_a_record_class_without_a_rule_makes_policy_check_say_so(
    tmp_path: Path,
) -> None:
    from django.db import models

    from earlyhelp.people.models import Person

    class Hobby(models.Model):
        person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
        data_categories = {"person": "identity-and-contact"}

        class Meta:
            app_label = "people"

        def __str__(self) -> str:
            return "throwaway"

    data = camden_dict()
    del data["retention"]["destruction"]
    path = write_policy(tmp_path, data)
    register(Hobby, "person", erasure=delete())
    out = io.StringIO()
    try:
        call_command("policy", "check", str(path), "--today", TODAY.isoformat(), stdout=out)
    finally:
        unregister(Hobby)
    text = out.getvalue()
    assert "people.Hobby: record class 'Hobby' has no retention rule" in text
    assert "retention.destruction: the policy says nothing about destroying records" in text
