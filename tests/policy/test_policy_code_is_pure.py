"""The policy core imports no Django or database code and writes no policy value as a literal."""

import ast
from pathlib import Path

import earlyhelp.policy

from . import camden_policy

PACKAGE = Path(earlyhelp.policy.__file__).parent
# Calendar facts only: 0 and 1, Saturday's weekday number (5), months in a year (12).
ALLOWED_NUMBERS = {0, 1, 5, 12}
# The core the rest of the service calls; apps.py, active.py, checks.py, views.py and the
# command are the Django side around it.
CORE_MODULES = ("schema.py", "loader.py", "decisions.py", "render.py")


def _tree(name: str) -> ast.Module:
    return ast.parse((PACKAGE / name).read_text(encoding="utf-8"))


def test_policy_core_imports_no_django_or_database_code() -> None:
    for path in (PACKAGE / name for name in CORE_MODULES):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("django", "psycopg", "sqlite3")), (path.name, name)


def test_decision_code_holds_no_ages_periods_or_deadlines() -> None:
    numbers = {
        node.value
        for node in ast.walk(_tree("decisions.py"))
        if isinstance(node, ast.Constant) and type(node.value) is int
    }
    assert numbers <= ALLOWED_NUMBERS


def test_decision_code_names_no_recipient_category_purpose_or_project() -> None:
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
        for node in ast.walk(_tree("decisions.py"))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert not strings & policy_ids
