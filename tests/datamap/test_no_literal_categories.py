"""No view types a list of data categories: a page's audit event records the categories of
the models it shows (datamap.registry.categories_of), so a field added to a model is counted
without a list to keep up."""

import ast
from pathlib import Path

import earlyhelp
from earlyhelp.policy.active import active_policy

SOURCE = Path(earlyhelp.__file__).parent


def checked_files() -> list[Path]:
    """Views, view helpers, the access guards and the moves service."""
    found = {
        *SOURCE.glob("**/views.py"),
        *SOURCE.glob("**/*_views.py"),
        *SOURCE.glob("**/guards.py"),
        *SOURCE.glob("**/moves.py"),
    }
    return sorted(path for path in found if "migrations" not in path.parts)


def category_literals(path: Path, ids: set[str], root: Path = SOURCE) -> list[str]:
    """Each string constant in `path` that is one of `ids`, as "file:line: 'id'".

    Dictionary keys are not categories: a template's context names its variables
    ("documents": the case's documents), and a view passes categories as values.
    """
    tree = ast.parse(path.read_text(), filename=str(path))
    keys = {id(key) for node in ast.walk(tree) if isinstance(node, ast.Dict) for key in node.keys}
    hits = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in ids
        and id(node) not in keys
    ]
    return [
        f"{path.relative_to(root)}:{node.lineno}: {node.value!r}"
        for node in sorted(hits, key=lambda node: (node.lineno, node.col_offset))
    ]


def test_the_files_checked_include_the_people_cases_and_access_views():
    names = {str(path.relative_to(SOURCE)) for path in checked_files()}
    assert {
        "people/views.py",
        "cases/views.py",
        "access/views.py",
        "access/governance_views.py",
        "access/guards.py",
        "people/moves.py",
    } <= names


def test_no_view_guard_or_move_names_a_data_category_of_the_policy():
    ids = {category.id for category in active_policy().categories}
    assert ids, "the policy names its data categories"
    found = [line for path in checked_files() for line in category_literals(path, ids)]
    assert found == [], "derive these from the models shown, with categories_of():\n" + "\n".join(
        found
    )


def test_a_category_typed_anywhere_in_a_file_is_found(tmp_path):
    page = tmp_path / "views.py"
    page.write_text(
        'SHOWN = ("health",)\n'
        "def page(request):\n"
        '    record(request, categories=["identity-and-contact"], page="health-check")\n'
        '    return render(request, "page.html", {"health": None, "shown": {"documents"}})\n'
    )
    ids = {"health", "identity-and-contact", "documents"}
    found = category_literals(page, ids, root=tmp_path)
    assert found == [
        "views.py:1: 'health'",
        "views.py:3: 'identity-and-contact'",
        "views.py:4: 'documents'",
    ]
