"""Two records of a person side by side, before a manager merges them: names, dates of
birth, identifiers, addresses, cases and recorded facts, each row saying in words whether
the two records agree ("Same", "Different", "Only on one record"), never by colour alone.

What is compared is what each record shows its reader: a case they may not open is named
as one (no service, no dates), and special category and criminal offence facts are left
out of a side whose reader may not see them (access.rules.may_see_sensitive), the kinds
left out named so they can ask. The page that shows the comparison records the look
against both people, with the categories `categories_shown` gives for each side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.http import HttpRequest

from earlyhelp.access.guards import listed_cases
from earlyhelp.access.rules import may_see_sensitive
from earlyhelp.cases.choices import service_name, service_telling_nothing
from earlyhelp.cases.corrections import struck_out_reasons
from earlyhelp.cases.models import Case
from earlyhelp.datamap.registry import categories_of
from earlyhelp.people.models import Address, Person, PersonAddress, PersonName
from earlyhelp.people.views import facts_shown

# What the comparison shows of each person, by model (datamap.registry.categories_of):
# their record, other names, addresses and cases listed; the facts are added per section.
COMPARED = (Person, PersonName, PersonAddress, Address, Case)

SAME, DIFFERENT, ONE_ONLY = "Same", "Different", "Only on one record"
NEITHER = "Not recorded on either"
NOT_COMPARED = "Not compared: not all of it is shown to you"
NOT_KNOWN = "Not known"


@dataclass
class Item:
    """One thing in a list (an address, a case, a fact): its words, and whether the other
    record has the same."""

    words: str
    on_both: bool
    fact: object = None  # a recorded fact, for people/fact.html to show in full
    case: Case | None = None  # a case the reader may open, to link to


@dataclass
class Row:
    """One line of the comparison: a heading, each record's value (text, or a list of
    items) and the verdict in words."""

    label: str
    verdict: str
    this: str = ""
    other: str = ""
    this_items: list[Item] = field(default_factory=list)
    other_items: list[Item] = field(default_factory=list)
    listed: bool = False  # the values are lists of items
    # A side whose facts of this kind the reader may not see: what it says instead.
    this_hidden: bool = False
    other_hidden: bool = False
    # Whether each item is marked as on both records or not: not where one side is hidden.
    compared: bool = True


@dataclass
class Comparison:
    """Both records compared: the rows, and the categories shown of each person."""

    rows: list[Row]
    this_categories: list[str]
    other_categories: list[str]
    differences: int


def compare_records(
    request: HttpRequest, this: Person, other: Person, on: date | None = None
) -> Comparison:
    """`this` and `other` side by side, as the requesting user may see them. The facts
    are those the person page would show them (people.views.facts_shown): the comparison
    hides exactly what that page hides."""
    on = on or date.today()
    rows = [
        _value_row("Name", this.full_name, other.full_name, fold=True),
        _list_row("Other names", _names(this), _names(other)),
        _value_row("Date of birth", _born(this, on), _born(other, on), known=_known_dob),
        _value_row("NHS number", this.nhs_number, other.nhs_number),
        _value_row("Unique pupil number", this.upn, other.upn, fold=True),
        _list_row("Addresses", _addresses(this), _addresses(other)),
        _cases_row(request, this, other),
    ]
    this_sensitive = may_see_sensitive(request.user, this)
    other_sensitive = may_see_sensitive(request.user, other)
    this_sections, this_hidden = facts_shown(this, this_sensitive)
    other_sections, other_hidden = facts_shown(other, other_sensitive)
    rows += _fact_rows(this_sections, this_hidden, other_sections, other_hidden)
    listed = categories_of(*COMPARED)
    return Comparison(
        rows=rows,
        this_categories=sorted({*listed, *_section_categories(this_sections)}),
        other_categories=sorted({*listed, *_section_categories(other_sections)}),
        differences=sum(1 for row in rows if row.verdict in (DIFFERENT, ONE_ONLY)),
    )


def _section_categories(sections: list[dict]) -> set[str]:
    return {category for section in sections for category in section["categories"]}


def _born(person: Person, on: date) -> str:
    if person.date_of_birth is None:
        return ""
    return f"{person.date_of_birth:%-d %B %Y} (age {person.age_on(on)})"


def _known_dob(value: str) -> str:
    # The age beside a date of birth is the same whenever the dates are.
    return value.partition(" (")[0]


def _same_words(value: str, fold: bool) -> str:
    words = " ".join(value.split())
    return words.casefold() if fold else words


def _value_row(label: str, this: str, other: str, *, fold: bool = False, known=None) -> Row:
    """A single value: the same, different, on one record only, or on neither."""
    key = known or (lambda value: value)
    if not this and not other:
        verdict = NEITHER
    elif not this or not other:
        verdict = ONE_ONLY
    elif _same_words(key(this), fold) == _same_words(key(other), fold):
        verdict = SAME
    else:
        verdict = DIFFERENT
    return Row(label, verdict, this=this or NOT_KNOWN, other=other or NOT_KNOWN)


def _list_row(
    label: str, this: list[tuple[str, str | None]], other: list[tuple[str, str | None]]
) -> Row:
    """A list of values (names, addresses) as (words, what is compared): each marked as on
    both records or not. A value compared as None (struck out) is listed, not compared."""
    these = {_same_words(key, fold=True) for _, key in this if key is not None}
    those = {_same_words(key, fold=True) for _, key in other if key is not None}

    def item(words: str, key: str | None, theirs: set) -> Item:
        return Item(words, key is None or _same_words(key, fold=True) in theirs)

    return Row(
        label,
        _list_verdict(these, those),
        this_items=[item(words, key, those) for words, key in this],
        other_items=[item(words, key, these) for words, key in other],
        listed=True,
    )


def _list_verdict(these: set, those: set) -> str:
    if not these and not those:
        return NEITHER
    if these == those:
        return SAME
    return ONE_ONLY if not these or not those else DIFFERENT


def _addresses(person: Person) -> list[tuple[str, str | None]]:
    """Where they live and lived; the address is compared, not the dates. One struck out
    (recorded in error) says so, as on the person page, and is not compared."""
    lived = list(PersonAddress.objects.filter(person=person).select_related("address"))
    struck = struck_out_reasons(PersonAddress, [row.pk for row in lived])
    found = []
    for row in lived:
        if row.pk in struck:
            found.append((f"{row.address} (struck out: {struck[row.pk]})", None))
            continue
        when = "current" if row.moved_out is None else f"until {row.moved_out:%B %Y}"
        found.append((f"{row.address} ({when})", str(row.address)))
    return found


def _names(person: Person) -> list[tuple[str, str]]:
    return [
        (str(name), f"{name.given_name} {name.family_name}") for name in person.other_names.all()
    ]


def _cases_row(request: HttpRequest, this: Person, other: Person) -> Row:
    """Each record's cases, under the case rule: one the reader may not open is named as
    that, with no service or dates. A case both people are on is marked as on both."""
    these = listed_cases(request, this.cases.order_by("-started").select_related("team"))
    those = listed_cases(request, other.cases.order_by("-started").select_related("team"))
    this_ids = {item["case"].pk for item in these}
    other_ids = {item["case"].pk for item in those}
    return Row(
        "Cases",
        _list_verdict(this_ids, other_ids),
        this_items=[_case_item(item, item["case"].pk in other_ids) for item in these],
        other_items=[_case_item(item, item["case"].pk in this_ids) for item in those],
        listed=True,
    )


def _case_item(item: dict, on_both: bool) -> Item:
    case = item["case"]
    if not item["allowed"]:
        return Item("A case you cannot open", on_both)
    # The broader service where a sub-service's name would tell of health or offending.
    service = service_telling_nothing(case.service) or service_name(case.service)
    when = f"from {case.started:%-d %B %Y}" + (
        f" to {case.ended:%-d %B %Y}" if case.ended else ", open"
    )
    return Item(f"{service}, {when}", on_both, case=case)


def _fact_key(fact) -> tuple:
    """What a fact says, for telling whether the other record says the same (who recorded
    it and when do not count)."""
    return (type(fact), tuple((label, str(value)) for label, value in fact.display_fields()))


def _fact_rows(
    this_sections: list[dict],
    this_hidden: list[str],
    other_sections: list[dict],
    other_hidden: list[str],
) -> list[Row]:
    """One row per kind of fact either record holds, in the person page's order."""
    these = {section["title"]: section["rows"] for section in this_sections}
    those = {section["title"]: section["rows"] for section in other_sections}
    titles = [s["title"] for s in this_sections]
    titles += [s["title"] for s in other_sections if s["title"] not in titles]
    titles += [t for t in (*this_hidden, *other_hidden) if t not in titles]
    rows = []
    for title in titles:
        this_facts, other_facts = these.get(title, []), those.get(title, [])
        this_keys = {_fact_key(f) for f in this_facts}
        other_keys = {_fact_key(f) for f in other_facts}
        hidden = title in this_hidden or title in other_hidden
        rows.append(
            Row(
                title,
                NOT_COMPARED if hidden else _list_verdict(this_keys, other_keys),
                this_items=[Item("", _fact_key(f) in other_keys, fact=f) for f in this_facts],
                other_items=[Item("", _fact_key(f) in this_keys, fact=f) for f in other_facts],
                listed=True,
                this_hidden=title in this_hidden,
                other_hidden=title in other_hidden,
                compared=not hidden,
            )
        )
    return rows
