"""Where the consent app holds data about a person: its entries in the data map.

A consent record is about the child and names the parent who decided. It is the council's
evidence that consent was given, refused or withdrawn (UK GDPR Article 7(1): the controller
must be able to show it), so erasure keeps it while the child's records are kept.
"""

from __future__ import annotations

from pathlib import Path

from earlyhelp.cases import documents
from earlyhelp.consent import models as m
from earlyhelp.datamap.registry import RECORD_RULES, Reach, Role, delete, keep, register
from earlyhelp.policy.active import active_policy

EVIDENCE = (
    "the record of what a parent agreed to or withdrew, kept to show the consent "
    "(UK GDPR Article 7(1))"
)


def _consent_says(row: m.MediaConsent) -> list[tuple[str, str, str]]:
    from earlyhelp.consent.words import use_name

    return [
        ("Use", use_name(active_policy(), row.processing, row.use), m.CATEGORY),
        ("Decision", row.get_decision_display(), m.CATEGORY),
        ("By", row.given_by.full_name, "family-relationships"),
        ("How", row.get_how_display(), m.CATEGORY),
        ("On", row.decided_on.isoformat(), m.CATEGORY),
        ("The words asked about", row.wording, m.CATEGORY),
    ]


register(
    m.MediaConsent,
    "child",
    Reach("given_by", Role.MENTIONED),
    erasure=keep(retention_rules=RECORD_RULES, reason=EVIDENCE),
    label="A parent's consent to a use of their child's nursery photos and videos",
    date_field="decided_on",
    says=_consent_says,
)


CONSENT_BASIS = (
    "held on a parent's consent (UK GDPR Article 6(1)(a)): erased when a parent asks, or "
    "at the end of the policy's period for nursery media"
)


def _share_says(row: m.MediaShare) -> list[tuple[str, str, str]]:
    from earlyhelp.consent.words import way_name

    return [
        ("What", row.item_words, m.CATEGORY),
        ("How", way_name(active_policy(), row.way), m.CATEGORY),
        (
            "Removal asked of the provider",
            row.removal_asked_on.isoformat() if row.removal_asked_on else "",
            m.CATEGORY,
        ),
    ]


def _media_files(row: m.MediaItem) -> list[Path]:
    return [documents.path_for(s) for s in (row.file_sha256, row.preview_sha256) if s]


def _erase_media(rows) -> None:
    from earlyhelp.consent.media import erase_items

    erase_items(list(rows))


def _erase_tagged(rows) -> None:
    # A child erased from a photo is erased with the photo: the picture still shows them.
    from earlyhelp.consent.media import erase_items

    erase_items(list(m.MediaItem.objects.filter(tags__in=rows).distinct()))


def _media_says(row: m.MediaItem) -> list[tuple[str, str, str]]:
    return [
        ("What", f"{row.get_kind_display()} taken on {row.taken_on.isoformat()}", m.CATEGORY),
        ("Observation", row.observation, m.CATEGORY),
        ("Taken by", row.team.name, m.CATEGORY),
    ]


register(
    m.MediaItem,
    "tags__child",
    erasure=delete(retention_rules=("nursery-media",), reason=CONSENT_BASIS),
    label="A nursery photo or video",
    date_field="taken_on",
    files=_media_files,
    says=_media_says,
    delete_rows=_erase_media,
)

register(
    m.MediaTag,
    "child",
    erasure=delete(retention_rules=("nursery-media",), reason=CONSENT_BASIS),
    label="A child tagged in a nursery photo or video",
    date_field="tagged_at",
    says=lambda row: [("In it as", row.get_role_display(), m.CATEGORY)],
    delete_rows=_erase_tagged,
)

register(
    m.MediaShare,
    "disclosures__person",
    erasure=keep(
        retention_rules=RECORD_RULES,
        reason=(
            "the record of what was sent to the parents' app, kept so the nursery can ask "
            "the provider to remove it (UK GDPR Article 5(2))"
        ),
    ),
    label="A nursery photo or video shared through the parents' app",
    date_field="shared_at",
    involvement=False,
    says=_share_says,
)
