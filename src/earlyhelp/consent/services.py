"""Recording and reading a parent's consent to each use of their nursery child's photos and
videos (notice sections 5b, 6 and 12; UK GDPR Articles 6(1)(a), 7 and 9(2)(a)).

The policy says which uses a parent is asked about and in which words
(`consent_processing[].uses[].texts`), and whose children are asked (its `services`: the
children on an open case of the nursery service). Each decision is a row
(consent.models.MediaConsent); the latest for a child and a use stands. A consent covers:

- only its own use: a new use has no consent until a parent gives one;
- only the words it was given to: once a later version of the use's words is in force,
  the parent is asked again, and until then the use has no consent;
- until it is withdrawn, which is one action, recorded the same way (Article 7(3)).

A parent is someone recorded with parental responsibility for the child
(people.Relationship). A withdrawal by any of them stops the use at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import is_restricted_from, restricted_from
from earlyhelp.audit.log import record_many
from earlyhelp.cases.choices import CaseRole
from earlyhelp.cases.models import CaseMember
from earlyhelp.consent.models import MediaConsent
from earlyhelp.datamap.registry import categories_of
from earlyhelp.lib.dates import add_months
from earlyhelp.lib.plausible import format_day
from earlyhelp.people.models import Person, Relationship, with_parental_responsibility
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.schema import ConsentProcessing, ConsentText, ConsentUse
from earlyhelp.rights.processing import restricted_problem

# Events are against the child (their record holds the consent), as every write about a
# person is: the "who has seen" list and the subject access copy find them there.
RECORD_TYPE = "person"
Decision = MediaConsent.Decision


class ConsentRefused(ValueError):
    """A consent decision not recorded: "field: words"."""


def nursery_processing() -> ConsentProcessing | None:
    """The policy's consent-based processing with uses to ask parents about (eyLog), or
    None when the policy has none."""
    return next((c for c in active_policy().consent_processing if c.uses), None)


def nursery_cases_q(processing: ConsentProcessing, on: date, via: str = "") -> Q:
    """Cases (reached through `via`, as "case__") of the processing's services open on
    `on`: the children on them are at the nursery."""
    return (
        Q(**{f"{via}service__in": processing.services})
        & Q(**{f"{via}started__lte": on})
        & (Q(**{f"{via}ended__isnull": True}) | Q(**{f"{via}ended__gte": on}))
    )


def of_nursery_age_q(processing: ConsentProcessing, on: date, via: str = "") -> Q:
    """People (reached through `via`, as "person__") younger than the policy's
    `children_under` on `on`; one whose date of birth is not known is not left out."""
    if processing.children_under is None:
        return Q()
    born_after = add_months(on, -12 * processing.children_under, "last_day")
    return Q(**{f"{via}date_of_birth__gt": born_after}) | Q(**{f"{via}date_of_birth__isnull": True})


def at_nursery(child: Person, on: date | None = None) -> bool:
    """Whether `child` is a child on an open case of the nursery service on `on` (today),
    of the age the policy asks about (`children_under`)."""
    processing = nursery_processing()
    if processing is None:
        return False
    on = on or timezone.localdate()
    return CaseMember.objects.filter(
        nursery_cases_q(processing, on, "case__"),
        of_nursery_age_q(processing, on, "person__"),
        person=child,
        role=CaseRole.CHILD,
    ).exists()


@dataclass(frozen=True)
class Standing:
    """Where one use stands for a child on a day."""

    use: ConsentUse
    latest: MediaConsent | None  # the decision that stands, if any
    current: ConsentText | None  # the words in force on the day
    in_force: bool  # the use may go ahead on the strength of a consent
    status: str  # in words: "Given", "Refused", "Withdrawn", "Not asked", "Ask again",
    # "Not in force yet" (the use's words start later)
    why: str  # a sentence: by whom and when, or why the parent is asked again
    confirm_due: date | None = None  # a consent due to be confirmed with the parent from
    upcoming: ConsentText | None = None  # new words in force from a later day

    @property
    def withdrawable(self) -> bool:
        """A consent stands that a parent may withdraw: given, in force or not (its words
        have changed since, or the giver no longer has parental responsibility)."""
        return self.latest is not None and self.latest.decision == Decision.GIVEN

    @property
    def to_ask(self) -> bool:
        """A parent is to be asked: no one has, or what they agreed to no longer covers the
        use. Not before the use's words are in force."""
        return self.status in (NOT_ASKED, ASK_AGAIN)


NOT_ASKED, ASK_AGAIN, NOT_YET = "Not asked", "Ask again", "Not in force yet"


def _upcoming(use: ConsentUse, on: date) -> ConsentText | None:
    return next((t for t in use.texts if t.in_force_from > on), None)


def _standing(
    processing: ConsentProcessing,
    use: ConsentUse,
    latest: MediaConsent | None,
    on: date,
    holders: set[int],
    name: Callable[[Person], str] | None = None,
) -> Standing:
    """Where `use` stands on `on`, from its `latest` decision; `holders` are the ids of the
    people with parental responsibility for the child now; `name` says a parent's name
    (a page names a parent restricted from its reader otherwise)."""
    current, upcoming = use.text_on(on), _upcoming(use, on)
    if current is None:
        starts = format_day(use.texts[0].in_force_from)
        return Standing(use, latest, None, False, NOT_YET, f"Asked from {starts}.", None, upcoming)
    if latest is None:
        why = "No parent has been asked yet."
        return Standing(use, None, current, False, NOT_ASKED, why, None, upcoming)
    parent = name(latest.given_by) if name else latest.given_by.full_name
    who = f"{parent} on {format_day(latest.decided_on)}"
    if latest.decision == Decision.REFUSED:
        return Standing(
            use, latest, current, False, "Refused", f"Refused by {who}.", None, upcoming
        )
    if latest.decision == Decision.WITHDRAWN:
        why = f"Withdrawn by {who}."
        return Standing(use, latest, current, False, "Withdrawn", why, None, upcoming)
    if latest.text_version != current.version:
        changed = format_day(current.in_force_from)
        why = f"Given by {who}, but the words of this consent changed on {changed}: ask again."
        return Standing(use, latest, current, False, ASK_AGAIN, why, None, upcoming)
    if latest.given_by_id not in holders:
        why = (
            f"Given by {who}, who is no longer recorded with parental responsibility: ask "
            "someone who is."
        )
        return Standing(use, latest, current, False, ASK_AGAIN, why, None, upcoming)
    confirm = (
        add_months(latest.decided_on, processing.confirm_after_months, "next_day")
        if processing.confirm_after_months
        else None
    )
    return Standing(use, latest, current, True, "Given", f"Given by {who}.", confirm, upcoming)


def responsibility_holders(children: Iterable[Person]) -> dict[int, set[int]]:
    """The ids of the people with parental responsibility, by child id, in one query."""
    held: dict[int, set[int]] = {}
    rows = Relationship.objects.filter(
        relative__in=[c.pk for c in children],
        has_parental_responsibility=True,
        person__merged_into=None,
    ).values_list("relative_id", "person_id")
    for child_id, person_id in rows:
        held.setdefault(child_id, set()).add(person_id)
    return held


def latest_decisions(
    processing: ConsentProcessing, children: Iterable[Person], on: date | None = None
) -> dict[tuple[int, str], MediaConsent]:
    """The decision standing on `on` (any day: the latest) by (child pk, use id) for
    `children`, in one query."""
    latest: dict[tuple[int, str], MediaConsent] = {}
    on_the_day = {"decided_on__lte": on} if on is not None else {}
    rows = (
        MediaConsent.objects.filter(
            child__in=[c.pk for c in children], processing=processing.id, **on_the_day
        )
        .select_related("given_by")
        .order_by("decided_on", "recorded_at", "pk")
    )
    for row in rows:
        latest[(row.child_id, row.use)] = row  # the last in order stands
    return latest


def standing(
    child: Person, on: date | None = None, name: Callable[[Person], str] | None = None
) -> list[Standing]:
    """Where each of the policy's uses stands for `child` on `on` (today), in the policy's
    order; [] when the policy asks parents about no uses. `name` says a parent's name."""
    processing = nursery_processing()
    if processing is None:
        return []
    on = on or timezone.localdate()
    latest = latest_decisions(processing, [child], on)
    holders = responsibility_holders([child])
    return standings(processing, child, latest, on, holders, name)


def standings(
    processing: ConsentProcessing,
    child: Person,
    latest: dict[tuple[int, str], MediaConsent],
    on: date,
    holders: dict[int, set[int]],
    name: Callable[[Person], str] | None = None,
) -> list[Standing]:
    """Each of the policy's uses for `child`, from the decisions (latest_decisions) and
    the people with parental responsibility (responsibility_holders) of many children."""
    theirs = holders.get(child.pk, set())
    return [
        _standing(processing, u, latest.get((child.pk, u.id)), on, theirs, name)
        for u in processing.uses
    ]


def consent_in_force(child: Person, use_id: str, on: date | None = None) -> bool:
    """Whether a parent's consent to `use_id` for `child` is in force on `on` (today)."""
    return any(s.in_force for s in standing(child, on) if s.use.id == use_id)


def history(child: Person) -> list[MediaConsent]:
    """Every decision recorded for `child`, the latest first."""
    return list(MediaConsent.objects.filter(child=child).select_related("given_by", "recorded_by"))


# --- writes -----------------------------------------------------------------------------------


def _use(processing: ConsentProcessing, use_id: str) -> ConsentUse:
    use = processing.consent_use(use_id)
    if use is None:
        raise ConsentRefused("use: choose one of the uses listed")
    return use


def _check_day(child: Person, decided_on: date | None, today: date) -> date:
    if decided_on is None:
        raise ConsentRefused("decided_on: enter the date the parent decided")
    if decided_on > today:
        raise ConsentRefused("decided_on: the date the parent decided cannot be in the future")
    if child.date_of_birth and decided_on < child.date_of_birth:
        raise ConsentRefused(
            f"decided_on: the date the parent decided cannot be before {child.given_name} was "
            f"born ({format_day(child.date_of_birth)})"
        )
    return decided_on


@transaction.atomic
def record_decision(
    request: HttpRequest,
    child: Person,
    *,
    given_by: Person | None,
    use_id: str,
    decision: str,
    how: str,
    decided_on: date | None,
) -> MediaConsent:
    """Record a parent's decision (MediaConsent.Decision: given, refused or withdrawn) on
    one use for `child`, against the words of the use in force on `decided_on`. One
    "create" event against the child, naming the parent, the use and the version.

    Raises ConsentRefused("field: words"), with nothing written, for: a user who does not
    record consents (practitioners and team managers do); a child not on an open case of
    the nursery service; `given_by` not recorded with parental responsibility for them; a
    use the policy does not list; an unknown decision or way; a date missing, in the
    future, before the child's birth, before the use's words were in force, or before the
    decision standing now; a withdrawal with no consent in force; a child whose record is
    restricted from processing (a rights request), except to withdraw.
    """
    user = request.user
    if not isinstance(user, User) or not user.has_role(Role.PRACTITIONER, Role.TEAM_MANAGER):
        raise ConsentRefused("recorded_by: nursery staff and their managers record consent")
    processing = nursery_processing()
    if processing is None:
        raise ConsentRefused("use: the policy asks parents about no uses of photos and videos")
    today = timezone.localdate()
    withdrawing = decision == Decision.WITHDRAWN
    # Withdrawing is always open to a parent (Article 7(3)): after the child has left the
    # nursery, and while their record is restricted from processing, since it stops it.
    if not withdrawing and not at_nursery(child, today):
        raise ConsentRefused(
            f"child: {child.full_name} is not on an open case of the nursery service"
        )
    if not withdrawing and (restricted := restricted_problem(child, field="child", named=True)):
        raise ConsentRefused(restricted)
    use = _use(processing, use_id)
    if decision not in Decision.values:
        raise ConsentRefused("decision: choose whether the parent agreed or refused")
    if how not in MediaConsent.How.values:
        raise ConsentRefused("how: choose how the parent gave their decision")
    if given_by is None or given_by.pk not in {p.pk for p in with_parental_responsibility(child)}:
        raise ConsentRefused(
            f"given_by: choose a person recorded with parental responsibility for {child.full_name}"
        )
    if isinstance(user, User) and is_restricted_from(user, given_by):
        raise ConsentRefused("given_by: choose one of the parents listed")
    if not withdrawing and (
        restricted := restricted_problem(given_by, field="given_by", named=True)
    ):
        raise ConsentRefused(restricted)
    decided_on = _check_day(child, decided_on, today)
    words = use.text_on(decided_on)
    if words is None:
        raise ConsentRefused(
            f"use: parents are asked about this use from {format_day(use.texts[0].in_force_from)}"
        )
    # Serialise decisions on one child's use: the latest must be the latest.
    Person.objects.select_for_update().filter(pk=child.pk).first()
    latest = latest_decisions(processing, [child]).get((child.pk, use.id))
    if latest is not None and decided_on < latest.decided_on:
        raise ConsentRefused(
            f"decided_on: a later decision is recorded ({format_day(latest.decided_on)}); "
            "enter a date on or after it"
        )
    if withdrawing:
        if latest is None or latest.decision != Decision.GIVEN:
            raise ConsentRefused("use: there is no consent to this use to withdraw")
        # A withdrawal is of what was agreed to, in the words it was given to.
        version, wording = latest.text_version, latest.wording
    else:
        version, wording = words.version, words.wording
    made = MediaConsent.objects.create(
        child=child,
        given_by=given_by,
        processing=processing.id,
        use=use.id,
        text_version=version,
        wording=wording,
        decision=decision,
        how=how,
        decided_on=decided_on,
        recorded_by=user,
    )
    event = {
        "action": "create",
        "record_type": RECORD_TYPE,
        "categories": categories_of(MediaConsent),
        "purpose": processing.purposes[0],
        "rule": f"consent:{processing.id}:{use.id}",
        "reason": f"Consent {decision}",
    }
    details = {
        "what": f"consent {decision}",
        "consent": str(made.public_id),
        "child": str(child.public_id),
        "given_by": str(given_by.public_id),
        "use": use.id,
        "version": version,
        "decision": decision,
        "how": how,
    }
    # Against the child, whose record holds it, and the parent, whose decision it is.
    record_many(
        request,
        [
            {**event, "record_id": str(child.public_id), "details": details},
            {**event, "record_id": str(given_by.public_id), "details": details},
        ],
    )
    return made


def withdraw(
    request: HttpRequest,
    child: Person,
    *,
    given_by: Person | None,
    use_id: str,
    how: str,
    decided_on: date | None = None,
) -> MediaConsent:
    """Withdraw the consent to `use_id` for `child`, told by `given_by` (today, unless
    said): recorded as a decision like any other (see record_decision and its refusals),
    so withdrawing is as easy as giving (UK GDPR Article 7(3))."""
    return record_decision(
        request,
        child,
        given_by=given_by,
        use_id=use_id,
        decision=Decision.WITHDRAWN,
        how=how,
        decided_on=decided_on or timezone.localdate(),
    )


# --- who to ask -------------------------------------------------------------------------------


def nursery_children(user: User, on: date | None = None) -> tuple[list[Person], list[Person]]:
    """The children at the nursery on the cases of `user`'s teams (or allocated to them),
    by name, and apart, those whose records are restricted from `user` (never named).
    Empty for a user who holds no cases or a policy with no nursery processing."""
    processing = nursery_processing()
    if processing is None or not user.has_role(Role.PRACTITIONER, Role.TEAM_MANAGER):
        return [], []
    on = on or timezone.localdate()
    mine = Q(case__team__members=user) | Q(case__allocated_worker=user)
    everyone = list(
        Person.objects.filter(
            pk__in=CaseMember.objects.filter(
                mine,
                nursery_cases_q(processing, on, "case__"),
                of_nursery_age_q(processing, on, "person__"),
                role=CaseRole.CHILD,
            ).values("person_id"),
            merged_into=None,
        ).order_by("family_name", "given_name", "pk")
    )
    hidden = set(
        restricted_from(user)
        .filter(person_id__in=[c.pk for c in everyone])
        .values_list("person_id", flat=True)
    )
    return [c for c in everyone if c.pk not in hidden], [c for c in everyone if c.pk in hidden]


@dataclass(frozen=True)
class ToAsk:
    """A child at the nursery with uses to ask their parents about, or to confirm."""

    child: Person
    ask: list[Standing]  # not asked, or asked again since the words changed
    confirm: list[Standing]  # given, and due to be confirmed


def to_ask(user: User, on: date | None = None) -> tuple[list[ToAsk], list[Person]]:
    """The children at the nursery on the cases of `user`'s teams (or allocated to them)
    with a use no parent has been asked about, whose words changed since the consent, or
    whose consent is due to be confirmed (the policy's `confirm_after_months`); by name.
    Refused and withdrawn uses are the parents' answers: they are not listed. Also the
    children left out because their records are restricted from `user` (counted, and
    their match recorded, never named)."""
    processing = nursery_processing()
    if processing is None:
        return [], []
    on = on or timezone.localdate()
    shown, hidden_children = nursery_children(user, on)
    everyone = sorted([*shown, *hidden_children], key=lambda c: (c.family_name, c.given_name, c.pk))
    hidden = {c.pk for c in hidden_children}
    latest = latest_decisions(processing, everyone, on)
    holders = responsibility_holders(everyone)
    found: list[ToAsk] = []
    hidden_due: list[Person] = []
    for child in everyone:
        rows = standings(processing, child, latest, on, holders)
        ask = [s for s in rows if s.to_ask]
        confirm = [s for s in rows if s.confirm_due is not None and s.confirm_due <= on]
        if not (ask or confirm):
            continue
        if child.pk in hidden:
            hidden_due.append(child)  # counted and their match recorded, never named
        else:
            found.append(ToAsk(child, ask, confirm))
    return found, hidden_due
