"""The data map as a table: one row per classified field of each registered model.

`earlyhelp datamap` prints it; the IG officer's page shows it beside the record of
processing; `policy check` warns where it and the policy disagree.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from earlyhelp.datamap.registry import Holding, Reach, holdings
from earlyhelp.lib.spreadsheet import neutralise_cell
from earlyhelp.policy.loader import PolicyWarning
from earlyhelp.policy.loader.warnings import retention_holding_warnings
from earlyhelp.policy.render.common import retention_sentence
from earlyhelp.policy.schema import Policy


@dataclass(frozen=True)
class MapRow:
    model: str
    title: str
    field: str
    category: str
    reaches: str
    erasure: str


def map_rows() -> list[MapRow]:
    """Every (model, field, category) in the data map, with how it is reached and erased."""
    rows = []
    for holding in holdings():
        reaches = "; ".join(f"{r.words} ({r.role})" for r in holding.reaches)
        fields = holding.categories or {"": ""}
        for name, category in fields.items():
            rows.append(
                MapRow(holding.name, holding.title, name, category, reaches, holding.erasure.words)
            )
    return rows


def map_csv() -> str:
    """The map as CSV (cells made safe to open in a spreadsheet)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["model", "title", "field", "category", "reached from the person", "erasure"])
    for row in map_rows():
        writer.writerow(
            [
                neutralise_cell(v)
                for v in (row.model, row.title, row.field, row.category, row.reaches, row.erasure)
            ]
        )
    return out.getvalue()


def map_text() -> str:
    """The map as text: one block per model."""
    lines = []
    for holding in holdings():
        lines.append(f"{holding.name} ({holding.title})")
        for reach in holding.reaches:
            lines.append(f"  reached: {reach.words} [{reach.role}]")
        for name, category in holding.categories.items():
            lines.append(f"  {name}: {category}")
        lines.append(f"  erasure: {holding.erasure.words}")
        lines.append("")
    return "\n".join(lines)


def models_holding(category_id: str) -> list[Holding]:
    """The registered models with a field in `category_id`."""
    return [h for h in holdings() if category_id in h.categories.values()]


def policy_warnings(policy: Policy) -> list[PolicyWarning]:
    """Where the policy and the data map disagree, for `policy check`.

    - a category the policy declares that no registered model holds (the notice promises
      data the case system does not record, or records it somewhere unmapped);
    - a model field whose category no purpose covers (data recorded for no stated purpose:
      UK GDPR Article 5(1)(b) purpose limitation);
    - a model with no retention rule and no stated reason to keep it, or naming a rule the
      policy does not declare (policy.loader.warnings.retention_holding_warnings).
    """
    found = []
    for index, category in enumerate(policy.categories):
        if not models_holding(category.id):
            found.append(
                PolicyWarning(
                    "category-not-held",
                    f"categories[{index}]",
                    f"category '{category.id}' is declared, but no model in the data map holds "
                    "it; record where it is held, or remove it from the notice",
                )
            )
    covered = {c for purpose in policy.purposes for c in purpose.categories}
    for holding in holdings():
        for name, category in holding.categories.items():
            if category not in covered:
                found.append(
                    PolicyWarning(
                        "category-without-purpose",
                        f"{holding.name}.{name}",
                        f"holds category '{category}', which no purpose in the policy covers; "
                        "add it to the purposes it serves, or stop recording it",
                    )
                )
    # Record classes with no retention rule, or naming a rule the policy does not declare.
    found += retention_holding_warnings(policy, holdings())
    return found


ROLE_WORDS = {"subject": "about them", "mentioned": "names them"}


def anchor(holding: Holding) -> str:
    """The id of a model's section on the data map page: "people-person"."""
    return holding.name.replace(".", "-").lower()


def map_in_words(policy: Policy) -> list[dict]:
    """The map as the IG officer reads it: policy wording, not ids.

    [{"anchor", "title", "reached": [words], "categories": [(wording, [field labels])],
      "erasure": words, "derived_from": [titles], "retention": [sentences]}]
    """
    titles = {holding.name: holding.title for holding in holdings()}
    described = []
    for holding in holdings():
        by_category: dict[str, list[str]] = {}
        for name, category_id in holding.categories.items():
            if name in holding.derived_fields:
                continue
            label = str(holding.model._meta.get_field(name).verbose_name)
            by_category.setdefault(category_id, []).append(label)
        described.append(
            {
                "anchor": anchor(holding),
                "title": holding.title,
                "reached": [_reach_in_words(holding, r) for r in holding.reaches],
                "categories": [
                    (policy.category(c).wording if policy.category(c) else c, labels)
                    for c, labels in by_category.items()
                ],
                "erasure": _erasure_words(holding),
                "derived_from": [titles[label].lower() for label in holding.derived_from],
                "retention": [
                    retention_sentence(policy, rule)
                    for rule in (policy.retention_rule(r) for r in holding.erasure.retention_rules)
                    if rule is not None
                ],
            }
        )
    return described


def held_in(policy: Policy, category_ids: list[str]) -> list[dict]:
    """The registered models holding any of `category_ids`: [{"anchor", "title"}], for the
    record of processing's link from each purpose to where its data lives."""
    wanted = set(category_ids)
    return [
        {"anchor": anchor(h), "title": h.title}
        for h in holdings()
        if wanted & set(h.categories.values())
    ]


def _reach_in_words(holding: Holding, reach: Reach) -> str:
    """A reach as the IG officer reads it: each step by the name of what it passes through,
    "case → case member → person (a child the case is about; about them)"."""
    if reach.query is not None or not reach.lookup:
        path = reach.describe or "the person's own record"
    else:
        steps, model = [], holding.model
        for part in reach.lookup.split("__"):
            model_field = model._meta.get_field(part)
            if hasattr(model_field, "verbose_name"):  # a field of this model
                steps.append(str(model_field.verbose_name))
            else:  # a link from another model to this one: name that model
                steps.append(str(model_field.related_model._meta.verbose_name))
            model = model_field.related_model
        path = " → ".join(steps)
    said = f"{reach.meaning}; {ROLE_WORDS[reach.role]}" if reach.meaning else ROLE_WORDS[reach.role]
    return f"{path} ({said})"


def _erasure_words(holding: Holding) -> str:
    erasure = holding.erasure
    action = {
        "delete": "Deleted",
        "anonymise": "Kept with "
        + ", ".join(str(holding.model._meta.get_field(f).verbose_name) for f in erasure.fields)
        + " removed",
        "keep": "Kept",
    }[erasure.action]
    when = (
        " when the retention period ends, or sooner if erasure is granted"
        if erasure.retention_rules and erasure.action != "keep"
        else " until the retention period ends"
        if erasure.retention_rules
        else ""
    )
    return f"{action}{when}." + (f" Why: {erasure.reason}." if erasure.reason else "")
