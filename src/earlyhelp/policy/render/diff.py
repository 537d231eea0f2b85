"""What changed between two versions of the notice, in the words a family would read."""

from __future__ import annotations

import difflib
from typing import Any

from earlyhelp.policy.render.notice import notice_html_context
from earlyhelp.policy.schema import Policy


def _section_lines(section: dict[str, Any]) -> list[str]:
    lines = []
    for block in section["blocks"]:
        if block["kind"] == "list":
            lines += block["texts"]
        else:
            lines.append(block["text"])
    return lines


def diff_notices(old: Policy, new: Policy) -> list[str]:
    """What a family reading the notice would see changed, in plain words."""
    changes = []
    if old.last_updated != new.last_updated:
        changes.append(
            f"The notice was last updated in {new.last_updated:%B %Y} "
            f"(before: {old.last_updated:%B %Y})."
        )
    old_sections = {s["slug"]: s for s in notice_html_context(old)["sections"]}
    for section in notice_html_context(new)["sections"]:
        before = old_sections.get(section["slug"])
        where = f"Section {section['number']} ({section['title']})"
        if before is not None and before["title"] != section["title"]:
            changes.append(
                f"Section {section['number']} is now called '{section['title']}' "
                f"(before: '{before['title']}')."
            )
        old_lines = _section_lines(before) if before else []
        new_lines = _section_lines(section)
        matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                continue
            if op == "replace" and a2 - a1 == b2 - b1:
                changes += [
                    f'{where} now says: "{n}" instead of: "{o}"'
                    for o, n in zip(old_lines[a1:a2], new_lines[b1:b2], strict=True)
                ]
                continue
            changes += [f'{where} no longer says: "{line}"' for line in old_lines[a1:a2]]
            changes += [f'{where} now also says: "{line}"' for line in new_lines[b1:b2]]
    return changes
