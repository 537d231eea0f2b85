"""`earlyhelp policy ...`, run as the console script."""

import csv
import io
from pathlib import Path

from tests.cli import earlyhelp

from . import CAMDEN, camden_dict, camden_policy, write_policy

SECRET = {"EARLYHELP_SECRET_KEY": "x" * 50}


def test_policy_check_passes_the_camden_policy_and_prints_its_warnings():
    result = earlyhelp("policy", "check", str(CAMDEN), "--today", "2026-11-25", **SECRET)
    assert result.returncode == 0, result.stderr
    assert "valid (version" in result.stdout
    assert "warning:" in result.stdout and "national-insights" in result.stdout


def test_policy_check_exits_2_naming_an_undeclared_category_in_an_agreement(tmp_path: Path):
    data = camden_dict()
    data["agreements"][0]["categories"].append("shoe-size")
    path = write_policy(tmp_path, data)
    result = earlyhelp("policy", "check", str(path), **SECRET)
    assert result.returncode == 2
    assert "agreements[0].categories[" in result.stderr
    assert "'shoe-size' is not a declared category" in result.stderr
    assert "Traceback" not in result.stderr


def test_policy_check_exits_2_naming_a_special_category_purpose_with_no_article_9(tmp_path):
    data = camden_dict()
    data["purposes"][0]["lawful_basis"].pop("article_9")
    result = earlyhelp("policy", "check", str(write_policy(tmp_path, data)), **SECRET)
    assert result.returncode == 2
    assert "purposes[0].lawful_basis.article_9" in result.stderr


def test_policy_check_exits_2_for_a_file_that_is_not_there(tmp_path):
    result = earlyhelp("policy", "check", str(tmp_path / "missing.toml"), **SECRET)
    assert result.returncode == 2
    assert "the file does not exist" in result.stderr


def test_policy_render_md_is_the_notice(tmp_path):
    result = earlyhelp("policy", "render", "--format", "md", **SECRET)
    assert result.returncode == 0
    assert result.stdout.startswith("# Early Help Services Privacy Notice")
    assert "## 12. Legal basis for processing information" in result.stdout


def test_policy_render_html_is_a_whole_document():
    result = earlyhelp("policy", "render", "--format", "html", **SECRET)
    assert result.stdout.lstrip().startswith("<!DOCTYPE html>")
    assert 'id="legal-basis"' in result.stdout


def test_policy_ropa_csv_has_one_row_per_purpose():
    result = earlyhelp("policy", "ropa", "--format", "csv", **SECRET)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["purpose_id"] for row in rows] == [p.id for p in camden_policy().purposes]
    for column in ("recipients", "retention", "article_6", "transfers", "security_measures"):
        assert all(column in row for row in rows)


def test_policy_ropa_html_lists_every_purpose():
    result = earlyhelp("policy", "ropa", "--format", "html", **SECRET)
    for purpose in camden_policy().purposes:
        assert f'id="purpose-{purpose.id}"' in result.stdout


def test_policy_diff_says_what_a_family_would_see_changed(tmp_path):
    data = camden_dict()
    data["dpo"]["name"] = "Jo Example"
    new = write_policy(tmp_path, data)
    result = earlyhelp("policy", "diff", str(CAMDEN), str(new), **SECRET)
    assert result.returncode == 0
    assert "Jo Example" in result.stdout


def test_policy_diff_of_a_file_with_itself_says_nothing_changed():
    result = earlyhelp("policy", "diff", str(CAMDEN), str(CAMDEN), **SECRET)
    assert "has not changed" in result.stdout


def test_service_refuses_to_start_on_an_invalid_policy_naming_the_key(tmp_path):
    data = camden_dict()
    data["agreements"][0]["categories"].append("shoe-size")
    path = write_policy(tmp_path, data)
    result = earlyhelp("check", EARLYHELP_POLICY=str(path), **SECRET)
    assert result.returncode != 0
    assert "earlyhelp.E003" in result.stderr
    assert "agreements[0].categories[" in result.stderr


def test_service_refuses_to_start_without_its_policy_file(tmp_path):
    result = earlyhelp("check", EARLYHELP_POLICY=str(tmp_path / "none.toml"), **SECRET)
    assert result.returncode != 0
    assert "earlyhelp.E002" in result.stderr
