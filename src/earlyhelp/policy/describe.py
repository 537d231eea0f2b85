"""Policy items in words: periods and lawful bases, said one way wherever they are said.

Both the decisions (their reasons and ``lawful_basis``) and the rendered notice and Article
30 record use these; where the two have long said a thing differently (figures or words, a
short or a long citation), one function takes the style as an argument rather than two
functions drifting apart.
"""

from __future__ import annotations

from collections.abc import Iterable

from earlyhelp.lib.words import join_words, period_words
from earlyhelp.policy.schema import Period, Policy, Purpose

# UK GDPR Article 6(1) points and Article 9(2) conditions by their usual short names.
ARTICLE_6_NAMES = {
    "6(1)(a)": "consent",
    "6(1)(b)": "contract",
    "6(1)(c)": "legal obligation",
    "6(1)(d)": "vital interests",
    "6(1)(e)": "public task",
    "6(1)(f)": "legitimate interests",
}
ARTICLE_9_NAMES = {
    "9(2)(a)": "explicit consent",
    "9(2)(b)": "employment, social security and social protection (with a basis in law)",
    "9(2)(c)": "vital interests",
    "9(2)(d)": "not-for-profit bodies",
    "9(2)(e)": "made public by the data subject",
    "9(2)(f)": "legal claims or judicial acts",
    "9(2)(g)": "reasons of substantial public interest (with a basis in law)",
    "9(2)(h)": "health or social care (with a basis in law)",
    "9(2)(i)": "public health (with a basis in law)",
    "9(2)(j)": "archiving, research and statistics (with a basis in law)",
}


def describe_period(period: Period, *, prose: bool = False) -> str:
    """A policy period in words (``earlyhelp.lib.words.period_words``).

    ``prose=False``: "1 year and 6 months" (decisions' reasons); ``prose=True``: "one year
    and six months" (the notice). A period of all zeros is "no time".
    """
    return period_words(period.years, period.months, period.days, prose=prose)


def article_6_words(
    bases: Iterable[str], *, name_first: bool = False, last: str | None = "and"
) -> str:
    """Article 6(1) points with their names, listed.

    ``name_first=False``: "6(1)(e) (public task)" (the notice, the Article 30 record);
    ``name_first=True``: "public task (6(1)(e))" (decisions' reasons). ``last`` is the word
    before the last point ("and", "or"), or None to separate every point with a comma.
    A point with no known name is shown as itself.
    """
    words = [
        f"{ARTICLE_6_NAMES.get(b, b)} ({b})" if name_first else f"{b} ({ARTICLE_6_NAMES.get(b, b)})"
        for b in bases
    ]
    return ", ".join(words) if last is None else join_words(words, last)


def schedule_1_words(policy: Policy, condition_ids: Iterable[str], *, short: bool = False) -> str:
    """The declared Schedule 1 (DPA 2018) conditions among ``condition_ids``, in words.

    Ids the policy does not declare are left out; none left gives "". ``short=True``, in id
    order: "DPA 2018 Sch 1 Pt 2 para 6, Pt 1 para 2" (decisions' one line).
    ``short=False``, grouped by Part in order of first appearance: "Data Protection Act 2018
    Schedule 1 Part 2 conditions: paragraph 6 (Statutory etc purposes) and paragraph 18
    (...); Data Protection Act 2018 Schedule 1 Part 1 conditions: ..." (the notice).
    """
    conditions = [c for c in map(policy.schedule_1_condition, condition_ids) if c is not None]
    if short:
        names = ", ".join(f"Pt {c.part} para {c.paragraph}" for c in conditions)
        return f"DPA 2018 Sch 1 {names}" if names else ""
    by_part: dict[int, list[str]] = {}
    for c in conditions:
        by_part.setdefault(c.part, []).append(f"paragraph {c.paragraph} ({c.title})")
    return "; ".join(
        f"Data Protection Act 2018 Schedule 1 Part {part} conditions: {join_words(paras)}"
        for part, paras in by_part.items()
    )


def lawful_basis_text(
    policy: Policy, purpose: Purpose, kinds: Iterable[str] = ("personal",)
) -> str:
    """The lawful basis of a purpose for the given kinds of data, as one line of text.

    ``kinds`` are category kinds ("personal", "special_category", "criminal_offence"): the
    Article 9 conditions are named only for special category data, the Article 10 route only
    for criminal offence data. E.g. "UK GDPR Article 6(1)(e); Article 9(2)(g) (DPA 2018 Sch 1
    Pt 2 para 6)".
    """
    kinds = set(kinds)
    basis = purpose.lawful_basis
    parts = ["UK GDPR Article " + ", ".join(basis.article_6)]
    if "special_category" in kinds:
        for condition in basis.article_9:
            parts.append(f"Article {condition.condition}{_cited(policy, condition.schedule_1)}")
    if "criminal_offence" in kinds and basis.article_10 is not None:
        parts.append(f"Article 10{_cited(policy, basis.article_10.schedule_1)}")
    return "; ".join(parts)


def _cited(policy: Policy, condition_ids: Iterable[str]) -> str:
    words = schedule_1_words(policy, condition_ids, short=True)
    return f" ({words})" if words else ""
