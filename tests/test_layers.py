"""Imports go one way between the layers of src/earlyhelp.

Every ``import`` and ``from ... import`` in every module under src/earlyhelp is read with
``ast`` (those inside functions too, relative ones resolved to absolute names), and three
rules are enforced:

1. ``earlyhelp.lib`` imports no other part of earlyhelp (only ``earlyhelp.lib`` modules) and
   no Django: it holds pure helpers any layer may use.
2. The policy core (the modules ``tests/policy/test_policy_code_is_pure.py`` names:
   ``policy/schema.py``, ``policy/describe.py`` and the ``loader``, ``decisions`` and
   ``render`` packages) imports no Django and no app: from earlyhelp, only ``earlyhelp.lib``
   and other policy core modules. The Django side of the policy app (``active``, ``checks``,
   ``fields``, ``views``, the command) may import the core, never the other way round.
3. Nothing outside ``earlyhelp.synthetic`` imports ``earlyhelp.synthetic``: made-up families
   never reach the service's own code. Synthetic's own modules, its management commands
   among them, may. (Naming it in ``INSTALLED_APPS`` is a string, not an import.)

Each rule is also run on small example sources, a forbidden import and an allowed one, so
the rule is shown to fail when it should.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest

import earlyhelp
from tests.policy.test_policy_code_is_pure import CORE_MODULES

SRC = Path(earlyhelp.__file__).parent.parent
PACKAGE = SRC / "earlyhelp"


def module_name(path: Path) -> str:
    """``src/earlyhelp/policy/render/notice.py`` -> ``earlyhelp.policy.render.notice``;
    a package's ``__init__.py`` is the package."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module ``source`` (the text of ``module``) imports, as absolute dotted names.

    ``from a import b`` gives both ``a`` and ``a.b`` (``b`` may be a module); relative
    imports are resolved against ``module``.
    """
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names if alias.name != "*"}
    return found


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _core_names() -> set[str]:
    return {module_name(path) for path in CORE_MODULES}


def _in_core(name: str, core: set[str]) -> bool:
    # A name imported from a core module (``from ...decisions import decide_share`` gives
    # ``...decisions.decide_share``) is within it.
    return any(_within(name, module) for module in core)


def lib_rule(module: str, imports: set[str]) -> list[str]:
    """Rule 1: what ``module`` (in earlyhelp.lib) imports that it must not."""
    return [
        name
        for name in sorted(imports)
        if _within(name, "django")
        or (
            _within(name, "earlyhelp")
            and not _within(name, "earlyhelp.lib")
            and name != "earlyhelp"
        )
    ]


def policy_core_rule(module: str, imports: set[str], core: set[str] | None = None) -> list[str]:
    """Rule 2: what ``module`` (in the policy core) imports that it must not."""
    core = _core_names() if core is None else core
    return [
        name
        for name in sorted(imports)
        if _within(name, "django")
        or (
            _within(name, "earlyhelp")
            and name not in ("earlyhelp", "earlyhelp.policy")
            and not _within(name, "earlyhelp.lib")
            and not _in_core(name, core)
        )
    ]


def synthetic_rule(module: str, imports: set[str]) -> list[str]:
    """Rule 3: ``earlyhelp.synthetic`` imported from outside it."""
    if _within(module, "earlyhelp.synthetic"):
        return []
    return [name for name in sorted(imports) if _within(name, "earlyhelp.synthetic")]


def _modules(where: Path) -> list[Path]:
    return sorted(p for p in where.rglob("*.py") if "migrations" not in p.parts)


def _broken(paths: list[Path], rule: Callable[[str, set[str]], list[str]]) -> dict[str, list]:
    broken = {}
    for path in paths:
        module = module_name(path)
        imports = imported_modules(
            path.read_text(encoding="utf-8"), module, path.name == "__init__.py"
        )
        if found := rule(module, imports):
            broken[module] = found
    return broken


LIB_MODULES = _modules(PACKAGE / "lib")
ALL_MODULES = _modules(PACKAGE)


def test_the_layers_are_found() -> None:
    # Rules over no modules would pass whatever was imported.
    assert {"earlyhelp.lib.dates", "earlyhelp.lib.words"} <= {module_name(p) for p in LIB_MODULES}
    assert {
        "earlyhelp.policy.decisions.sharing",
        "earlyhelp.policy.loader.parsing",
        "earlyhelp.policy.render.notice",
    } <= _core_names()
    assert any(_within(module_name(p), "earlyhelp.synthetic") for p in ALL_MODULES)


def test_lib_imports_no_other_earlyhelp_package_and_no_django() -> None:
    assert _broken(LIB_MODULES, lib_rule) == {}


def test_policy_core_imports_no_django_and_no_app_only_lib_and_the_core() -> None:
    assert _broken(list(CORE_MODULES), policy_core_rule) == {}


def test_nothing_outside_synthetic_imports_synthetic() -> None:
    assert _broken(ALL_MODULES, synthetic_rule) == {}


CORE = {"earlyhelp.policy.schema", "earlyhelp.policy.decisions.common"}


@pytest.mark.parametrize(
    ("rule", "module", "source", "forbidden"),
    [
        # Rule 1: lib.
        (lib_rule, "earlyhelp.lib.x", "from earlyhelp.people.models import Person", True),
        (lib_rule, "earlyhelp.lib.x", "from django.db import models", True),
        (lib_rule, "earlyhelp.lib.x", "def f():\n    import earlyhelp.policy.schema", True),
        (lib_rule, "earlyhelp.lib.x", "from ..policy import schema", True),
        (lib_rule, "earlyhelp.lib.x", "from earlyhelp.lib.words import day_words", False),
        (lib_rule, "earlyhelp.lib.x", "from .words import day_words\nimport polars", False),
        # Rule 2: the policy core.
        (policy_core_rule, "earlyhelp.policy.schema", "from django.conf import settings", True),
        (
            policy_core_rule,
            "earlyhelp.policy.schema",
            "from earlyhelp.audit.log import record",
            True,
        ),
        (policy_core_rule, "earlyhelp.policy.schema", "from .active import active_policy", True),
        (policy_core_rule, "earlyhelp.policy.schema", "from earlyhelp.policy import fields", True),
        (
            policy_core_rule,
            "earlyhelp.policy.schema",
            "from earlyhelp.lib.dates import add_months",
            False,
        ),
        (
            policy_core_rule,
            "earlyhelp.policy.schema",
            "from .decisions.common import Decision",
            False,
        ),
        (policy_core_rule, "earlyhelp.policy.schema", "import pydantic", False),
        # Rule 3: synthetic.
        (
            synthetic_rule,
            "earlyhelp.people.views",
            "from earlyhelp.synthetic import families",
            True,
        ),
        (synthetic_rule, "earlyhelp.people.views", "import earlyhelp.synthetic.generator", True),
        (synthetic_rule, "earlyhelp.people.views", "from earlyhelp import synthetic", True),
        (synthetic_rule, "earlyhelp.people.views", "from ..synthetic.notes import note", True),
        (
            synthetic_rule,
            "earlyhelp.synthetic.management.commands.generate",
            "from earlyhelp.synthetic.generator import generate",
            False,
        ),
        (synthetic_rule, "earlyhelp.people.views", "from earlyhelp.people import models", False),
    ],
)
def test_each_rule_flags_a_forbidden_import_and_passes_an_allowed_one(
    rule: Callable[..., list[str]], module: str, source: str, forbidden: bool
) -> None:
    imports = imported_modules(source, module)
    found = rule(module, imports, CORE) if rule is policy_core_rule else rule(module, imports)
    assert bool(found) is forbidden, found
