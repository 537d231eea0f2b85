"""Requests for a person's information received from partners (the police, other councils,
schools, health): logged, approved where the policy says, answered by a disclosure or a
reason for not sharing, within the policy's time.

The policy holds the rules (sharing.partner_requests): the legal bases a requester may
claim, with their law (DPA 2018 Schedule 2 paragraph 2 for crime and taxation, with the
requester's form reference ...), which need an information governance officer's or team
manager's approval before anything is shared in answer, and the time to answer (working or
calendar days). Logging and answering need casework access to the person (the rule of the
person's page); a share in answer is made by sharing.services.share, so the policy, the
restriction of processing and telling the family apply to it as to any other. A decision
not to share information about a child, once Children Act 2004 s.16LA is in force (the
policy's date), must say why sharing would be more detrimental to the child.

Refusals raise ShareRefused("field: words"). Each write is one transaction with its audit
event against the person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Case, Count, DateField, F, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import allocated_person_ids, is_restricted_from, restricted_from
from earlyhelp.audit.log import record
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions import partner_request_due
from earlyhelp.policy.decisions.sharing import RULE_PARTNER_REQUESTS
from earlyhelp.policy.schema import PartnerRequests, Policy
from earlyhelp.sharing import services
from earlyhelp.sharing.models import PartnerRequest
from earlyhelp.sharing.services import ShareRefused

# The policy's names for the approvers' roles.
APPROVER_ROLES = {
    "information_governance": Role.INFORMATION_GOVERNANCE,
    "team_manager": Role.TEAM_MANAGER,
}
ORGANISATION_LIMIT = 200
FORM_REFERENCE_LIMIT = 100


def rules(policy: Policy) -> PartnerRequests:
    """The policy's rules for partners' requests; ShareRefused when it has none."""
    found = policy.sharing.partner_requests
    if found is None:
        raise ShareRefused(
            "basis: the policy has no rules for requests from partners "
            "(sharing.partner_requests), so none can be logged"
        )
    return found


def basis_choices(policy: Policy) -> list[tuple[str, str]]:
    """(id, "name (law)") of the legal bases a partner may claim."""
    found = policy.sharing.partner_requests
    return [(b.id, f"{b.name} ({b.law})") for b in (found.bases if found else [])]


def requester_choices(policy: Policy) -> list[tuple[str, str]]:
    """(id, name) of the notice's recipient groups a requester may belong to."""
    return [(r.id, r.name) for r in policy.recipients if r.in_sharing_list]


def _audit(request: HttpRequest, partner_request: PartnerRequest, action: str, what: str) -> None:
    record(
        request,
        action=action,
        record_type=services.RECORD_TYPE,
        record_id=partner_request.person.public_id,
        categories=services.log_categories(),
        rule=RULE_PARTNER_REQUESTS,
        reason=f"Partner request {partner_request.public_id}",
        details={
            "what": what,
            "partner_request": str(partner_request.public_id),
            "basis": partner_request.basis,
            "status": partner_request.status,
            "approval": partner_request.approval,
            "disclosure": str(partner_request.disclosure.public_id)
            if partner_request.disclosure_id
            else "",
        },
    )


def log_request(
    request: HttpRequest,
    person: Person,
    *,
    recipient: str,
    organisation: str,
    requester: str,
    requester_contact: str,
    basis: str,
    form_reference: str = "",
    asked: str,
    received_on: date,
) -> PartnerRequest:
    """Log a request from a partner about `person`: `recipient` is the requester's policy
    group, `basis` the policy basis they claim (its law is kept as on the day),
    `form_reference` their form's reference where the basis needs one, `asked` what they
    asked for, `received_on` the day it arrived (not in the future). The answer is due on
    the policy's day (policy.decisions.partner_request_due); approval is waiting where the
    basis needs it.

    Raises ShareRefused("field: words") for no casework access to the person, a group or
    basis the policy does not list, a missing reference the basis needs, a missing field.
    """
    problem = services.access_problem(request, person)
    if problem:
        raise ShareRefused(problem)
    policy = active_policy()
    found = rules(policy)
    if recipient not in dict(requester_choices(policy)):
        raise ShareRefused("recipient: choose the group of the notice the requester belongs to")
    claimed = found.basis(basis)
    if claimed is None:
        raise ShareRefused("basis: choose a legal basis the policy lists")
    organisation = services._text(
        organisation, "organisation", "name the organisation asking", ORGANISATION_LIMIT
    )
    requester = services._text(requester, "requester", "name the person asking", ORGANISATION_LIMIT)
    requester_contact = services._text(
        requester_contact, "requester_contact", "give a contact for the answer", ORGANISATION_LIMIT
    )
    form_reference = services._text(
        form_reference,
        "form_reference",
        f"give the requester's form reference: {claimed.law} needs one"
        if claimed.needs_form_reference
        else "",
        FORM_REFERENCE_LIMIT,
    )
    asked = services._text(asked, "asked", "say what was asked for")
    if received_on > timezone.localdate():
        raise ShareRefused("received_on: the day it was received cannot be in the future")
    with transaction.atomic():
        partner_request = PartnerRequest.objects.create(
            person=person,
            recipient=recipient,
            organisation=organisation,
            requester=requester,
            requester_contact=requester_contact,
            basis=claimed.id,
            basis_law=claimed.law,
            form_reference=form_reference,
            asked=asked,
            received_on=received_on,
            due_on=partner_request_due(policy, received_on),
            policy_version=policy.version,
            logged_by=request.user,
            approval=PartnerRequest.Approval.WAITING
            if claimed.needs_approval
            else PartnerRequest.Approval.NOT_NEEDED,
        )
        _audit(request, partner_request, "create", "request from a partner logged")
    return partner_request


def approval_problem(user: User, partner_request: PartnerRequest) -> str | None:
    """ "decision: why" when `user` may not approve or refuse answering the request, or
    None: a role the policy names as approver (an IG officer; a team manager of a team
    holding the person's case), not the one who logged it, while approval waits."""
    policy = active_policy()
    roles = [APPROVER_ROLES[r] for r in rules(policy).approvers]
    if not user.has_role(*roles):
        who = " or ".join(r.label.lower() for r in roles)
        return f"decision: only an {who} approves answering a partner's request"
    if partner_request.logged_by_id == user.pk:
        return "decision: you logged this request; someone else must approve it"
    if partner_request.approval != PartnerRequest.Approval.WAITING:
        return f"decision: approval is not waiting: {partner_request.get_approval_display()}"
    if partner_request.status != PartnerRequest.Status.OPEN:
        return "decision: this request has been answered"
    if not user.has_role(Role.INFORMATION_GOVERNANCE) and not (
        allocated_person_ids(user).filter(pk=partner_request.person_id).exists()
    ):
        return "decision: only a manager of a team holding the person's case approves it"
    if is_restricted_from(user, partner_request.person):
        return "decision: the person's record is restricted; someone it names approves it"
    return None


def decide_approval(
    request: HttpRequest, partner_request: PartnerRequest, *, approve: bool, note: str = ""
) -> PartnerRequest:
    """Approve (the request may be answered by sharing) or refuse (nothing may be shared in
    answer; `note` says why) a request whose basis needs approval.

    Raises ShareRefused("decision: ...") when the user may not decide it, ("note: ...")
    when refusing without a reason."""
    with transaction.atomic():
        partner_request = (
            PartnerRequest.objects.select_for_update(of=("self",))
            .select_related("person")
            .get(pk=partner_request.pk)
        )
        problem = approval_problem(request.user, partner_request)
        if problem:
            raise ShareRefused(problem)
        note = services._text(note, "note", "" if approve else "say why it is refused")
        partner_request.approval = (
            PartnerRequest.Approval.APPROVED if approve else PartnerRequest.Approval.REFUSED
        )
        partner_request.approved_by = request.user
        partner_request.approved_at = timezone.now()
        partner_request.approval_note = note
        partner_request.save(
            update_fields=["approval", "approved_by", "approved_at", "approval_note"]
        )
        _audit(
            request,
            partner_request,
            "change",
            "answering approved" if approve else "answering by sharing refused",
        )
    return partner_request


def answer_by_sharing(
    request: HttpRequest,
    partner_request: PartnerRequest,
    *,
    purpose: str,
    item_keys: Iterable[str],
    tell_family: bool = True,
    exemption: str = "",
    exemption_reason: str = "",
    method: str = "",
    reference: str = "",
) -> PartnerRequest:
    """Answer an open request by sharing: a disclosure to the requester's group made by
    sharing.services.share (its refusals apply), linked to the request.

    Raises ShareRefused("status: ...") for a request already answered, ("approval: ...")
    where the basis needs approval not (yet) given, and the refusals of `share`."""
    partner_request = PartnerRequest.objects.select_related("person").get(pk=partner_request.pk)
    if partner_request.status != PartnerRequest.Status.OPEN:
        raise ShareRefused("status: this request has been answered")
    if partner_request.approval in (
        PartnerRequest.Approval.WAITING,
        PartnerRequest.Approval.REFUSED,
    ):
        raise ShareRefused(
            "approval: the legal basis claimed needs an information governance officer's or "
            f"team manager's approval before anything is shared in answer; it is: "
            f"{partner_request.get_approval_display().lower()}"
        )
    refusal = None
    with transaction.atomic():
        try:
            disclosure = services.share(
                request,
                partner_request.person,
                recipient=partner_request.recipient,
                purpose=purpose,
                item_keys=item_keys,
                tell_family=tell_family,
                exemption=exemption,
                exemption_reason=exemption_reason,
                method=method,
                reference=reference,
            )
        except ShareRefused as refused:
            # Kept outside this block so the refusal's audit event stands (nothing else
            # was written).
            refusal = refused
        else:
            locked = PartnerRequest.objects.select_for_update().get(pk=partner_request.pk)
            if locked.status != PartnerRequest.Status.OPEN:
                raise ShareRefused("status: someone else answered it meanwhile")
            locked.status = PartnerRequest.Status.SHARED
            locked.disclosure = disclosure
            locked.decided_by = request.user
            locked.decided_at = timezone.now()
            locked.save(update_fields=["status", "disclosure", "decided_by", "decided_at"])
            _audit(request, locked, "change", "answered by a disclosure")
            partner_request = locked
    if refusal is not None:
        raise refusal
    return partner_request


def answer_by_refusing(
    request: HttpRequest,
    partner_request: PartnerRequest,
    *,
    reason: str,
    more_detrimental: bool = False,
) -> PartnerRequest:
    """Answer an open request by not sharing, with `reason`. Once Children Act 2004 s.16LA
    is in force (the policy's date) a decision not to share a child's information must say
    that sharing would be more detrimental to the child (`more_detrimental`) and why.

    Raises ShareRefused for no casework access, a request already answered, a missing
    reason, ("more_detrimental: ...") where the duty to share needs that reason."""
    person = partner_request.person
    problem = services.access_problem(request, person)
    if problem:
        raise ShareRefused(problem)
    reason = services.not_sharing_reason(person, reason, more_detrimental=more_detrimental)
    with transaction.atomic():
        locked = PartnerRequest.objects.select_for_update().get(pk=partner_request.pk)
        if locked.status != PartnerRequest.Status.OPEN:
            raise ShareRefused("status: this request has been answered")
        locked.refusal_reason = reason
        locked.status = PartnerRequest.Status.REFUSED
        locked.decided_by = request.user
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
        _audit(request, locked, "change", "answered by not sharing")
    return locked


# --- reading ----------------------------------------------------------------------------------


def requests_for(user: User) -> QuerySet[PartnerRequest]:
    """Every request `user` oversees, open or answered: every one for an IG officer (a
    person restricted from them is listed as a restricted record); those about people on
    their teams' cases, not restricted from them, for a team manager; none for anyone
    else."""
    rows = PartnerRequest.objects.select_related("person", "logged_by")
    if user.has_role(Role.INFORMATION_GOVERNANCE):
        return rows
    if user.has_role(Role.TEAM_MANAGER):
        return rows.filter(person__in=allocated_person_ids(user)).exclude(
            person__in=restricted_from(user)
        )
    return PartnerRequest.objects.none()


def open_requests_for(user: User) -> QuerySet[PartnerRequest]:
    """Open requests `user` oversees (requests_for), soonest due first."""
    return requests_for(user).filter(status=PartnerRequest.Status.OPEN).order_by("due_on", "pk")


# The list's filters, in words: which requests each shows.
SHOW = {
    "open": "Open, to be answered",
    "due-this-week": "Due this week",
    "overdue": "Overdue",
    "awaiting-approval": PartnerRequest.Approval.WAITING.label,
    "awaiting-answer": "Waiting for an answer, no approval pending",
    "shared": PartnerRequest.Status.SHARED.label,
    "not-shared": PartnerRequest.Status.REFUSED.label,
    "answered": "Answered",
    "all": "All",
}
# The filters counted at the top of the list.
COUNTED = ("open", "due-this-week", "overdue", "awaiting-approval", "awaiting-answer", "answered")
DEFAULT_SHOW = "open"
ALL_GROUPS = "all"
# Of a restricted record the list tells only whether it is open and when it is due, so the
# filters that would tell more (its approval, its answer, who asked) leave it out.
TELLING = {"awaiting-approval", "awaiting-answer", "shared", "not-shared"}


def time_to_answer_words(policy: Policy) -> str:
    """The policy's time to answer a request, in words ("" when it has no rules)."""
    found = policy.sharing.partner_requests
    if found is None:
        return ""
    days = f"{found.days} day" if found.answer_within_days == 1 else f"{found.days} days"
    return f"An answer is due within {found.answer_within_days} {days} of receiving the request."


def end_of_week(today: date) -> date:
    """The Sunday ending `today`'s week (as the rights requests' list counts it)."""
    return today + timedelta(days=6 - today.weekday())


def show_filter(show: str, today: date) -> Q:
    """Which requests the filter `show` (a key of SHOW) keeps, on `today`: due this week
    and overdue against the answer's due day, which the policy's time to answer set."""
    is_open = Q(status=PartnerRequest.Status.OPEN)
    waiting = Q(approval=PartnerRequest.Approval.WAITING)
    return {
        "open": is_open,
        "due-this-week": is_open & Q(due_on__gte=today, due_on__lte=end_of_week(today)),
        "overdue": is_open & Q(due_on__lt=today),
        "awaiting-approval": is_open & waiting,
        "awaiting-answer": is_open & ~waiting,
        "shared": Q(status=PartnerRequest.Status.SHARED),
        "not-shared": Q(status=PartnerRequest.Status.REFUSED),
        "answered": ~is_open,
        "all": Q(),
    }[show]


RETIRED_GROUPS = "no-longer-listed"


def group_choices(policy: Policy, rows: QuerySet[PartnerRequest]) -> dict[str, str]:
    """{group id: name} of the kinds of requester to filter by: the notice's groups a
    requester may belong to, then, if `rows` hold any group the policy no longer lists, one
    choice for all of those; "all" first."""
    groups = dict(requester_choices(policy))
    held = set(rows.order_by().values_list("recipient", flat=True).distinct())
    # Groups the policy no longer lists are one choice: each would read the same.
    if held - set(groups):
        groups[RETIRED_GROUPS] = "An organisation no longer in the policy"
    return {ALL_GROUPS: "Every kind of organisation", **groups}


@dataclass(frozen=True)
class Listing:
    """A filtered list of requests: the rows (in order: open soonest due first, then
    answered latest first), the counts of each filter for the kind of requester chosen,
    the filter and kind actually used (an unknown one is ignored), and the kinds."""

    rows: QuerySet[PartnerRequest]
    counts: dict[str, int]
    show: str
    group: str
    groups: dict[str, str]


def listing(user: User, policy: Policy, *, show: str, group: str, today: date) -> Listing:
    """The requests `user` oversees (requests_for) kept by the filter `show` and the kind of
    requester `group`; a value the list does not know is ignored (the default is used)."""
    everything = requests_for(user)
    hidden = Q(person__in=restricted_from(user))
    # The choices from the requests the reader may see: a restricted record's requester is
    # not offered (an option with nothing behind it would say there is something).
    groups = group_choices(policy, everything.exclude(hidden))
    show = show if show in SHOW else DEFAULT_SHOW
    group = group if group in groups else ALL_GROUPS
    of_group = everything
    if group == RETIRED_GROUPS:
        listed = [slug for slug, _ in requester_choices(policy)]
        of_group = everything.exclude(recipient__in=listed).exclude(hidden)
    elif group != ALL_GROUPS:
        of_group = everything.filter(recipient=group).exclude(hidden)

    def kept(slug: str) -> Q:
        found = show_filter(slug, today)
        return found & ~hidden if slug in TELLING else found

    counts = of_group.aggregate(**{slug: Count("pk", filter=kept(slug)) for slug in SHOW})
    rows = (
        of_group.filter(kept(show))
        .annotate(
            answered=Case(When(status=PartnerRequest.Status.OPEN, then=Value(0)), default=1),
            open_due=Case(
                When(status=PartnerRequest.Status.OPEN, then=F("due_on")),
                default=None,
                output_field=DateField(),
            ),
        )
        .order_by(
            "answered",
            F("open_due").asc(nulls_last=True),
            F("decided_at").desc(nulls_last=True),
            "pk",
        )
    )
    return Listing(rows, counts, show, group, groups)
