"""The notice's building blocks: text parts that may carry a link, and the blocks made of them.

A part is ``{"text", "href"}`` (``href`` None for plain text); a block is a heading, a
paragraph of parts, or a list of items each made of parts. The web page and the Markdown
are both written from these, so they can never say different things.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from earlyhelp.policy.schema import Link

# {"text": words, "href": address or None}
Part = dict[str, str | None]
# {"kind": "heading" | "paragraph" | "list", ...}: see each builder below.
Block = dict[str, Any]


def text_part(text: str) -> Part:
    """Words with no link."""
    return {"text": text, "href": None}


def link_part(text: str, href: str | None) -> Part:
    """Words linking to ``href`` (None: shown as plain words)."""
    return {"text": text, "href": href}


def href_for(address: str | None) -> str | None:
    """A followable address: emails get mailto:, bare www. addresses get https://."""
    if not address:
        return None
    if "@" in address and "/" not in address:
        return f"mailto:{address}"
    if address.startswith("www."):
        return f"https://{address}"
    return address


def policy_link(link: Link) -> Part:
    """A link the policy declares, by its label; followable as ``href_for`` makes it."""
    return link_part(link.label, href_for(link.url))


def email_part(address: str) -> Part:
    """An email address shown as itself, linked with mailto:."""
    return link_part(address, href_for(address))


def paragraph(*parts: Part | str) -> Block:
    """``{"kind": "paragraph", "parts", "text"}``; a str part is plain words, ``text`` the
    paragraph without its links."""
    items = [text_part(p) if isinstance(p, str) else p for p in parts]
    return {"kind": "paragraph", "parts": items, "text": "".join(str(p["text"]) for p in items)}


def list_block(items: Iterable[list[Part] | str]) -> Block:
    """``{"kind": "list", "items", "texts"}``: each item a list of parts (a str is plain
    words); ``texts`` the items without their links."""
    rows = [[text_part(i)] if isinstance(i, str) else i for i in items]
    return {
        "kind": "list",
        "items": rows,
        "texts": ["".join(str(p["text"]) for p in row) for row in rows],
    }


def heading_block(text: str, level: int = 3) -> Block:
    """``{"kind": "heading", "text", "level"}``; level 3 or 4, under a section's level 2."""
    return {"kind": "heading", "text": text, "level": level}


def as_sentence(text: str) -> str:
    """``text`` stripped, with a full stop added unless it already ends a sentence."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def markdown_parts(parts: list[Part]) -> str:
    """Parts as one line of Markdown, links as ``[text](href)``."""
    out = []
    for part in parts:
        text = str(part["text"])
        out.append(f"[{text}]({part['href']})" if part["href"] else text)
    return "".join(out)
