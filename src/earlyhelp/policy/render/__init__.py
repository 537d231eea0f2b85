"""Render the privacy notice and the Article 30 record from a policy alone.

``notice`` builds the notice as plain data (``notice_html_context``) and as Markdown;
``ropa`` the record of processing activities; ``diff`` says what changed between two
notices; ``blocks`` and ``common`` hold what those share. This package is their public
face: the web page, the command and other apps import from here.
"""

from earlyhelp.policy.render.common import law_text, retention_sentence
from earlyhelp.policy.render.diff import diff_notices
from earlyhelp.policy.render.notice import (
    FIELD_RULE_WORDS,
    complaint_sentences,
    deadline_sentences,
    notice_html_context,
    notice_markdown,
    rule_sentences,
)
from earlyhelp.policy.render.ropa import ROPA_COLUMN_LABELS, ropa_csv, ropa_rows, ropa_table

__all__ = [
    "FIELD_RULE_WORDS",
    "ROPA_COLUMN_LABELS",
    "complaint_sentences",
    "deadline_sentences",
    "diff_notices",
    "law_text",
    "notice_html_context",
    "notice_markdown",
    "retention_sentence",
    "ropa_csv",
    "ropa_rows",
    "ropa_table",
    "rule_sentences",
]
