"""Page titles: the base template says "Error: " when a form has errors; no page says it
again (a screen reader would read "Error: Error: ...")."""

from pathlib import Path

import earlyhelp

TITLE_WITH_ITS_OWN_ERROR = "{% block title %}{% if form.errors %}Error:"


def test_no_page_adds_a_second_error_prefix_to_its_title():
    root = Path(earlyhelp.__file__).parent
    doubled = [
        str(path.relative_to(root))
        for path in root.rglob("templates/**/*.html")
        if TITLE_WITH_ITS_OWN_ERROR in path.read_text()
    ]
    assert doubled == []
    assert (
        "{% if form.errors %}Error: {% endif %}" in (root / "web/templates/base.html").read_text()
    )
