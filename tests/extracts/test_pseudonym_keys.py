"""Pseudonym keys: one per project, kept outside the database and git."""

import stat
from typing import get_args

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.cases.choices import AssessmentKind
from earlyhelp.extracts.keys import fingerprint, project_key
from earlyhelp.policy.schema import AssessmentKind as PolicyAssessmentKind


def test_keys_init_makes_a_private_key_for_every_project(settings, tmp_path):
    settings.KEYS_DIR = tmp_path
    call_command("keys", "init")
    for project in ("liia", "national-insights"):
        path = tmp_path / "pseudonym-keys" / project
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert len(project_key(tmp_path, project)) == 64
    assert project_key(tmp_path, "liia") != project_key(tmp_path, "national-insights")


def test_keys_init_never_replaces_a_key(settings, tmp_path):
    settings.KEYS_DIR = tmp_path
    call_command("keys", "init")
    before = project_key(tmp_path, "liia")
    call_command("keys", "init")
    assert project_key(tmp_path, "liia") == before


def test_rotating_a_project_key_keeps_the_old_one_beside_it(settings, tmp_path):
    settings.KEYS_DIR = tmp_path
    call_command("keys", "init")
    before = project_key(tmp_path, "liia")
    call_command("keys", "rotate-pseudonym", "--project", "liia")
    after = project_key(tmp_path, "liia")
    assert after != before and fingerprint(after) != fingerprint(before)
    retired = [p for p in (tmp_path / "pseudonym-keys").iterdir() if ".retired-" in p.name]
    assert [p.read_text().strip() for p in retired] == [before]


def test_rotating_needs_a_project_of_the_policy(settings, tmp_path):
    settings.KEYS_DIR = tmp_path
    with pytest.raises(CommandError, match="--project: 'nope' is not a project"):
        call_command("keys", "rotate-pseudonym", "--project", "nope")


def test_fingerprint_does_not_reveal_the_key():
    key = "ab" * 32
    assert key[:12] not in fingerprint(key) and len(fingerprint(key)) == 12


def test_policy_knows_the_same_assessment_kinds_as_the_case_records():
    assert set(get_args(PolicyAssessmentKind)) == set(AssessmentKind.values)
