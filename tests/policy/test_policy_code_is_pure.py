"""The policy core imports no Django or database code and writes no policy value as a literal."""

import ast
from pathlib import Path

import pytest

import earlyhelp.policy

from . import camden_policy

PACKAGE = Path(earlyhelp.policy.__file__).parent
# Calendar facts only: 0 and 1, months in a year (12). Saturday's weekday number lives in
# earlyhelp.lib.dates, with the rest of the calendar arithmetic.
ALLOWED_NUMBERS = {0, 1, 12}
# The core the rest of the service calls, as modules and packages of modules; apps.py,
# active.py, checks.py, fields.py, views.py and the command are the Django side around it.
CORE = ("schema", "describe", "loader", "decisions", "render")


def core_modules(*names: str) -> list[Path]:
    """Every module of the named core modules and packages (a package: all its .py files)."""
    paths = []
    for name in names:
        path = PACKAGE / name
        paths += sorted(path.rglob("*.py")) if path.is_dir() else [path.with_suffix(".py")]
    return paths


CORE_MODULES = core_modules(*CORE)
DECISION_MODULES = core_modules("decisions")


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


def test_the_core_is_found_module_by_module() -> None:
    # A package renamed away would otherwise leave the checks below reading nothing.
    assert {p.parent.name for p in DECISION_MODULES} == {"decisions"}
    assert len(DECISION_MODULES) > 1
    assert all(p.exists() for p in CORE_MODULES)


@pytest.mark.parametrize("path", CORE_MODULES, ids=_name)
def test_policy_core_imports_no_django_or_database_code(path: Path) -> None:
    for node in ast.walk(_tree(path)):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        for name in names:
            assert not name.startswith(("django", "psycopg", "sqlite3")), (_name(path), name)


@pytest.mark.parametrize("path", DECISION_MODULES, ids=_name)
def test_decision_code_holds_no_ages_periods_or_deadlines(path: Path) -> None:
    numbers = {
        node.value
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Constant) and type(node.value) is int
    }
    assert numbers <= ALLOWED_NUMBERS


@pytest.mark.parametrize("path", DECISION_MODULES, ids=_name)
def test_decision_code_names_no_recipient_category_purpose_or_project(path: Path) -> None:
    policy_ids = set()
    policy = camden_policy()
    for items in (
        policy.recipients,
        policy.categories,
        policy.purposes,
        policy.projects,
        policy.agreements,
        policy.retention.rules,
    ):
        policy_ids |= {item.id for item in items}
    strings = {
        node.value
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert not strings & policy_ids
