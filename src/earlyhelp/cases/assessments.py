"""Early Help assessments as a worker records them: started, written up, their needs
classed against the policy's headline outcomes, completed; a review assessment later.

Each function here is one write and its audit event, in one transaction: a write that
is refused (ValueError, naming the field and the rule) or fails leaves neither. The
event is against the assessment (record_type "assessment", its public id), names the
case in its details, and carries the categories of the assessment and its needs.

The family's agreement (`family_agreed`) is their agreement to work together on the
assessment and the plan. It is not the lawful basis for the processing, which the notice
(section 12) says is not consent; nothing here treats it as one.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.audit.log import record
from earlyhelp.cases.choices import AssessmentKind
from earlyhelp.cases.models import Assessment, Case, Need
from earlyhelp.datamap.registry import categories_of
from earlyhelp.lib.plausible import format_day
from earlyhelp.policy.active import active_policy

# What an assessment's events are about: the assessment and the needs it found.
ASSESSMENT_RECORD = (Assessment, Need)
# The fields a worker writes while the assessment is open (`update_assessment`).
TEXT_FIELDS = ("family_views", "child_views", "took_part", "strengths", "summary")
EDITABLE = (*TEXT_FIELDS, "started", "family_agreed", "family_agreed_on")
# A need's description, like a contact's note: long enough for anything written.
DESCRIPTION_LIMIT = 20000


@dataclass(frozen=True)
class NeedEntry:
    """One need as a form gives it: a headline outcome id of the policy and a description.

    `need` is the existing need of the assessment it changes, or None for a new one.
    """

    outcome: str
    description: str
    need: Need | None = None


def headline_outcome_choices() -> list[tuple[str, str]]:
    """The policy's headline outcomes as (id, name), in the policy's order."""
    return [(o.id, o.name) for o in active_policy().casework.headline_outcomes]


def outcome_words(outcome_id: str) -> str:
    """A headline outcome's name in the policy; never its id, even once the policy drops it."""
    outcome = active_policy().casework.headline_outcome(outcome_id)
    return outcome.name if outcome else "An outcome the policy no longer names"


def needs_by_outcome(needs: Iterable[Need]) -> list[tuple[str, list[Need]]]:
    """Needs grouped under their outcome's name, outcomes in the policy's order (any the
    policy no longer has last): [("Secure housing", [Need, ...]), ...]."""
    order = {outcome_id: i for i, (outcome_id, _) in enumerate(headline_outcome_choices())}
    groups: dict[str, list[Need]] = {}
    for need in sorted(needs, key=lambda n: (order.get(n.outcome, len(order)), n.pk or 0)):
        groups.setdefault(outcome_words(need.outcome), []).append(need)
    return list(groups.items())


def _today() -> date:
    return timezone.localdate()


def _event(request: HttpRequest | None, action: str, assessment: Assessment) -> None:
    record(
        request,
        action=action,
        record_type="assessment",
        record_id=str(assessment.public_id),
        categories=categories_of(*ASSESSMENT_RECORD),
        details={"case": str(assessment.case.public_id)},
    )


def _author(request: HttpRequest | None):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _check_started(started: date, case: Case, reviews: Assessment | None) -> None:
    if started > _today():
        raise ValueError("started: an assessment cannot start after today")
    if started < case.started:
        raise ValueError(
            f"started: an assessment cannot start before its case opened "
            f"({format_day(case.started)})"
        )
    if reviews is not None and reviews.completed and started < reviews.completed:
        raise ValueError(
            f"started: a review cannot start before the assessment it reviews was completed "
            f"({format_day(reviews.completed)})"
        )


def _locked(assessment: Assessment) -> Assessment:
    """The assessment as the database holds it now, locked for this transaction; refused
    (ValueError) once completed, when nothing of it may change."""
    current = Assessment.objects.select_for_update(of=("self",)).select_related("case", "reviews")
    current = current.get(pk=assessment.pk)
    if current.completed is not None:
        raise ValueError(
            f"assessment: completed on {format_day(current.completed)}, so it can no longer "
            "be changed; start a review assessment instead"
        )
    return current


@transaction.atomic
def start_assessment(
    request: HttpRequest | None,
    case: Case,
    *,
    started: date,
    reviews: Assessment | None = None,
) -> Assessment:
    """Start an assessment on `case`, by the requesting user: one "create" event.

    An early help assessment, or with `reviews` (a completed assessment of the same case)
    a review assessment of it.

    Raises ValueError, with nothing written, naming the field:
    - "case:" the case is closed;
    - "started:" after today, before the case opened, or (a review) before the assessment
      it reviews was completed;
    - "reviews:" an assessment of another case, or one not yet completed.
    """
    if not case.is_open:
        raise ValueError(
            f"case: closed on {format_day(case.ended)}; an assessment is started on an open case"
        )
    if reviews is not None:
        if reviews.case_id != case.pk:
            raise ValueError("reviews: a review assessment reviews an assessment of its own case")
        if reviews.completed is None:
            raise ValueError("reviews: only a completed assessment can be reviewed")
    _check_started(started, case, reviews)
    assessment = Assessment.objects.create(
        case=case,
        author=_author(request),
        kind=AssessmentKind.REVIEW if reviews is not None else AssessmentKind.EARLY_HELP,
        started=started,
        reviews=reviews,
    )
    _event(request, "create", assessment)
    return assessment


def _apply_fields(assessment: Assessment, fields: dict) -> list[str]:
    """Set `fields` on `assessment` after checking them; the names of those set."""
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise ValueError(f"{unknown[0]}: not a field an assessment's record changes")
    for name in TEXT_FIELDS:
        if name in fields and not isinstance(fields[name], str):
            raise ValueError(f"{name}: must be text")
    if "started" in fields:
        _check_started(fields["started"], assessment.case, assessment.reviews)
    agreed = fields.get("family_agreed", assessment.family_agreed)
    agreed_on = fields.get("family_agreed_on", assessment.family_agreed_on)
    if agreed not in (True, False, None):
        raise ValueError("family_agreed: must be yes, no, or not asked yet")
    if agreed is None and agreed_on is not None:
        raise ValueError("family_agreed_on: there is no date until the family have been asked")
    if agreed is not None:
        if agreed_on is None:
            raise ValueError("family_agreed_on: give the date the family said whether they agree")
        if agreed_on > _today():
            raise ValueError("family_agreed_on: cannot be after today")
        if agreed_on < assessment.case.started:
            raise ValueError(
                f"family_agreed_on: cannot be before the case opened "
                f"({format_day(assessment.case.started)})"
            )
    for name, value in fields.items():
        setattr(assessment, name, value)
    return list(fields)


def _checked_needs(
    assessment: Assessment, needs: Sequence[NeedEntry], remove: Sequence[Need]
) -> None:
    known = {o.id for o in active_policy().casework.headline_outcomes}
    for entry in needs:
        if entry.outcome not in known:
            raise ValueError(f"outcome: {entry.outcome!r} is not a headline outcome of the policy")
        if not entry.description.strip():
            raise ValueError("description: a need is described in words")
        if len(entry.description) > DESCRIPTION_LIMIT:
            raise ValueError(f"description: at most {DESCRIPTION_LIMIT:,} characters")
    existing = [entry.need for entry in needs if entry.need is not None] + list(remove)
    for need in existing:
        if need.pk is None or need.assessment_id != assessment.pk:
            raise ValueError("need: not a need this assessment found")
    changed = [entry.need.pk for entry in needs if entry.need is not None]
    if len(set(changed)) != len(changed) or set(changed) & {need.pk for need in remove}:
        raise ValueError("need: each need is changed or removed once")
    for need in remove:
        if need.goals.exists():
            raise ValueError(
                "remove: a goal of the family's plan works on this need, so it stays; "
                "change its description instead"
            )


def _apply_needs(
    assessment: Assessment, needs: Sequence[NeedEntry], remove: Sequence[Need]
) -> list[Need]:
    _checked_needs(assessment, needs, remove)
    Need.objects.filter(pk__in=[need.pk for need in remove]).delete()
    written = []
    for entry in needs:
        if entry.need is None:
            need = Need.objects.create(
                assessment=assessment, outcome=entry.outcome, description=entry.description
            )
        else:
            need = entry.need
            need.outcome, need.description = entry.outcome, entry.description
            need.save(update_fields=["outcome", "description"])
        written.append(need)
    return written


@transaction.atomic
def update_assessment(
    request: HttpRequest | None,
    assessment: Assessment,
    *,
    needs: Sequence[NeedEntry] = (),
    remove_needs: Sequence[Need] = (),
    **fields,
) -> Assessment:
    """Change an assessment not yet completed, and its needs: one "change" event.

    `fields` are any of EDITABLE: the family's views, the child's views, who took part,
    strengths, summary (text); started (date); family_agreed (True, False or None for
    "not asked yet") with family_agreed_on (the date they said so, which it needs).
    `needs` are written as `record_needs` writes them; `remove_needs` are removed.
    Returns the assessment as saved (and sets the fields on the one given).

    Raises ValueError, with nothing written, naming the field: "assessment:" already
    completed; a field not in EDITABLE; "started:" as for `start_assessment`;
    "family_agreed_on:" missing once the family were asked, given while they were not,
    after today or before the case opened; and the needs' errors of `record_needs`.
    """
    current = _locked(assessment)
    changed = _apply_fields(current, fields)
    if changed:
        current.save(update_fields=changed)
    _apply_needs(current, needs, remove_needs)
    _event(request, "change", current)
    for name in changed:  # the caller's copy, as saved
        setattr(assessment, name, getattr(current, name))
    return current


@transaction.atomic
def record_needs(
    request: HttpRequest | None,
    assessment: Assessment,
    needs: Sequence[NeedEntry],
    *,
    remove: Sequence[Need] = (),
) -> list[Need]:
    """Record needs the assessment found: a new need for each entry without `need`, the
    existing need changed for each with one; `remove` are removed. One "change" event
    against the assessment. Returns the needs written, in the order given.

    Raises ValueError, with nothing written, naming the field:
    - "assessment:" already completed;
    - "outcome:" an id that is not one of the policy's headline outcomes;
    - "description:" empty, or longer than DESCRIPTION_LIMIT;
    - "need:" a need of another assessment, or one named twice;
    - "remove:" a need that a goal of the plan works on.
    """
    current = _locked(assessment)
    written = _apply_needs(current, needs, remove)
    _event(request, "change", current)
    return written


# What a completed assessment must say: (field, its words in a refusal).
NEEDED_TO_COMPLETE = (
    ("child_views", "the child's views, wishes and feelings (or why they were not asked)"),
    ("took_part", "who took part"),
    ("summary", "the summary of what the assessment found"),
)


@transaction.atomic
def complete_assessment(
    request: HttpRequest | None, assessment: Assessment, *, completed: date
) -> Assessment:
    """Complete the assessment on `completed`: one "change" event. After this it cannot
    change; a later look at the family's needs is a review assessment.

    Raises ValueError, with nothing written: "assessment:" already completed;
    "completed:" before the assessment started, or after today; "child_views:",
    "took_part:", "summary:" not recorded yet (the notice, section 4: the service takes
    the child's own views into account, so an assessment is not complete without them).
    """
    current = _locked(assessment)
    if completed > _today():
        raise ValueError("completed: an assessment cannot be completed after today")
    if completed < current.started:
        raise ValueError(
            f"completed: cannot be before the assessment started ({format_day(current.started)})"
        )
    for name, words in NEEDED_TO_COMPLETE:
        if not (getattr(current, name) or "").strip():
            raise ValueError(f"{name}: record {words} before completing the assessment")
    current.completed = completed
    current.save(update_fields=["completed"])
    _event(request, "change", current)
    assessment.completed = completed  # the caller's copy, as saved
    return current
