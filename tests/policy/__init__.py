"""Tests of the policy app, and the builders they share.

Policies for tests are built as plain dicts: ``camden_dict()`` is the real file, and
``small_policy_dict()`` a small complete policy that hypothesis strategies vary. ``to_toml``
writes a dict back out so broken policies can be loaded from a file, as users load them.
"""

from __future__ import annotations

import json
import tomllib
from copy import deepcopy
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from earlyhelp.policy.loader import load_policy
from earlyhelp.policy.schema import Policy

CAMDEN = Path(__file__).resolve().parents[2] / "policies" / "camden.toml"
TODAY = date(2026, 11, 25)


@cache
def camden_policy() -> Policy:
    """The Camden policy, loaded once (policies are immutable, so sharing it is safe)."""
    return load_policy(CAMDEN)


def camden_dict() -> dict[str, Any]:
    with CAMDEN.open("rb") as handle:
        return tomllib.load(handle)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        pairs = [f"{json.dumps(k)} = {_value(v)}" for k, v in value.items() if v is not None]
        return "{" + ", ".join(pairs) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def to_toml(data: dict[str, Any]) -> str:
    """Write a policy dict as TOML (one top-level key per line, inline tables below it)."""
    return "".join(f"{key} = {_value(value)}\n" for key, value in data.items() if value is not None)


def write_policy(tmp_path: Path, data: dict[str, Any], name: str = "policy.toml") -> Path:
    path = tmp_path / name
    path.write_text(to_toml(data), encoding="utf-8")
    return path


STATUTORY_BASIS = {
    "article_6": ["6(1)(c)", "6(1)(e)"],
    "article_9": [{"condition": "9(2)(g)", "schedule_1": ["safeguarding"]}],
    "article_10": {
        "route": "schedule_1_condition",
        "schedule_1": ["safeguarding"],
        "explanation": "Met by the Article 6 basis and the Schedule 1 condition.",
    },
}

_SMALL: dict[str, Any] = {
    "version": "test-1",
    "title": "Test Privacy Notice",
    "service_name": "Test Services",
    "last_updated": date(2026, 1, 1),
    "controller": {
        "name": "Test Council",
        "address": ["1 High Street", "Testtown"],
        "postcode": "TT1 1TT",
        "website": "https://test.example",
    },
    "dpo": {
        "name": "Pat Example",
        "role": "Solicitor",
        "email": "dpo@test.example",
        "contact_link": {"label": "contact the DPO", "url": "https://test.example/dpo"},
    },
    "complaints": {
        "contact_us_first": "dpa@test.example",
        "ico": {
            "name": "Information Commissioner's Office (ICO)",
            "phone": "0303 123 1113",
            "live_chat": "https://ico.org.uk/global/contact-us/live-chat/",
            "webform": "https://ico.org.uk/global/contact-us/",
            "website": "https://ico.org.uk/",
            "free_of_charge": True,
        },
    },
    "introduction": {"aim": "help families", "activities": ["family support"], "use": "We use it."},
    "services": [{"id": "family-support", "name": "Family Support"}],
    "categories": [
        {"id": "identity", "kind": "personal", "wording": "Name", "sources": ["family"]},
        {"id": "health", "kind": "special_category", "wording": "Health", "sources": ["gp"]},
        {
            "id": "offences",
            "kind": "criminal_offence",
            "wording": "Offences",
            "sources": ["police"],
        },
    ],
    "schedule_1_conditions": [
        {"id": "safeguarding", "part": 2, "paragraph": 18, "title": "Safeguarding"},
    ],
    "purposes": [
        {
            "id": "casework",
            "wording": "support your family",
            "consent_based": False,
            "categories": ["identity", "health", "offences"],
            "data_subjects": ["child"],
            "lawful_basis": STATUTORY_BASIS,
            "laws": ["children-act-1989"],
            "retention_rules": ["child-records"],
        }
    ],
    "laws": [{"id": "children-act-1989", "title": "Children Act 1989", "sections": ["17"]}],
    "recipients": [
        {
            "id": "police",
            "name": "Police",
            "kind": "criminal_justice",
            "wording": "Police",
            "in_sharing_list": True,
        }
    ],
    "sharing": {
        "principles": ["We share only when the law allows."],
        "may_request_from_other_parties": True,
        "tell_family_where_possible": True,
        "exemptions": [{"id": "safeguarding-alert", "wording": "when a child is at risk"}],
        "agreements_register": {"label": "Agreements", "url": "https://test.example/dsa"},
    },
    "agreements": [
        {
            "id": "police-dsa",
            "name": "Police agreement",
            "recipient": "police",
            "purposes": ["casework"],
            "categories": ["identity", "offences"],
            "valid_from": date(2024, 1, 1),
            "family_told_by_default": True,
            "exemptions": ["safeguarding-alert"],
        }
    ],
    "projects": [],
    "statistics": {
        "small_number_suppression": {"min_count": 1, "max_count": 5, "rationale": "Privacy."}
    },
    "casework": {
        "young_person_until_age": 25,
        "contact_overdue_after_days": 28,
        "plan_review_every_weeks": 6,
        "headline_outcomes": [{"id": "secure-housing", "name": "Secure housing"}],
        "closure_reasons": [{"id": "needs-met", "name": "Needs met"}],
    },
    "retention": {
        "adult_from_age": 18,
        "rules": [
            {
                "id": "child-records",
                "subject": "child",
                "trigger": "date_of_birth",
                "period": {"years": 25},
                "statutory": True,
            }
        ],
        "destruction": {
            "reviewers": ["team-manager"],
            "plan_ahead": {"months": 1},
            "method": "Deleted from the database.",
            "hold_review_within": {"years": 1},
        },
    },
    "storage": {
        "systems": [{"id": "casebook", "name": "Casebook", "kind": "case_recording"}],
        "security_measures": ["Encrypted."],
    },
    "provision": {"statutory_requirement": False, "consequence": "We cannot help without it."},
    "transfers": {
        "permitted_regions": ["UK"],
        "statement": "We keep data in the UK unless a child moves abroad.",
    },
    "automated_decisions": {
        "used": False,
        "profiling": False,
        "statement": "We make no automated decisions.",
    },
    "rights": {
        "who_may_request": ["parents", "children"],
        "request_form": {"label": "request form", "url": "https://test.example/rights"},
        "deadlines": [
            {
                "id": "uk-gdpr-article-12",
                "regime": "uk-gdpr",
                "regime_name": "UK GDPR",
                "law": "UK GDPR Article 12(3)",
                "in_force_from": date(2018, 5, 25),
                "months": 1,
                "counted_from": "day_of_receipt",
                "no_corresponding_date": "last_day_of_month",
                "non_working_day": "next_working_day",
                "bank_holidays": {"country": "GB", "subdivision": "ENG", "name": "England"},
                "clock_starts_at_latest_of": ["receipt", "identity_confirmed", "clarified"],
                "pauses_while_clarification_awaited": True,
                "extension_max_months": 2,
                "extension_notice_within_months": 1,
            }
        ],
        "parental_access": {
            "automatic": False,
            "child_consent_age": 13,
            "competence_judgement_for_younger": True,
        },
        "rights": [
            {
                "right": "access",
                "name": "The right of access",
                "applies_under": ["6(1)(a)", "6(1)(b)", "6(1)(c)", "6(1)(d)", "6(1)(e)", "6(1)(f)"],
            },
            {
                "right": "object",
                "name": "The right to object",
                "applies_under": ["6(1)(e)", "6(1)(f)"],
            },
        ],
    },
}


def small_policy_dict() -> dict[str, Any]:
    """A small policy that passes every check; tests change parts of it."""
    return deepcopy(_SMALL)
