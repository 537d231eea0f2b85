"""Sharing pages: share from a person's page, record a decision not to share, a
disclosure's page, a manager's approval, recording that an approved disclosure left, and
the information governance officer's list of every disclosure.

Thin views: the rules, the writes and their audit events are in sharing.services. Each
page showing a person's data records a look against that person.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.guards import audit_look, refused, with_person_to_change
from earlyhelp.access.roles import CASEWORK, Role
from earlyhelp.access.rules import Access, is_restricted_from, person_access, who_to_ask
from earlyhelp.audit.log import record, record_many
from earlyhelp.cases.models import Case
from earlyhelp.datamap.registry import categories_of
from earlyhelp.packages import services as package_services
from earlyhelp.packages.views import link_made_page
from earlyhelp.people.models import Person, PersonAddress, Relationship
from earlyhelp.policy.active import active_policy
from earlyhelp.sharing import family_letter, forms, services, step_up, words
from earlyhelp.sharing import packages as sharing_packages
from earlyhelp.sharing.models import Disclosure
from earlyhelp.web.forms import add_refusal, refusal_sentence
from earlyhelp.web.once import submitted_once

LOG_PAGE = 50
# The IG officer's oversight of every record (the rule their looks at the log name).
GOVERNANCE_RULE = "access:governance"
PERSON_LISTED = (Person,)


def described(disclosure: Disclosure) -> dict:
    """A disclosure in the policy's words, for a page."""
    policy = active_policy()
    return {
        "disclosure": disclosure,
        "recipient": words.recipient_words(policy, disclosure.recipient),
        "agreement": words.agreement_words(policy, disclosure.agreement),
        "purpose": words.purpose_words(policy, disclosure.purpose),
        "categories": words.categories_words(policy, disclosure.categories),
        "exemption": words.exemption_words(policy, disclosure.exemption),
    }


def _items_look(request: HttpRequest, person: Person, items: list, *, page: str) -> None:
    """The share form lists the person's records: a look at them, with their categories."""
    shown = {c for item in items for c in item.categories}
    audit_look(
        request,
        request.record_access,
        "person",
        person.public_id,
        sorted(shown | set(services.log_categories())),
        page=page,
    )


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person_to_change
@submitted_once
def share_information(request: HttpRequest, person: Person) -> HttpResponse:
    """Share the person's records with a partner: the form, and the policy's answer.
    From a case page (``?case=<id>``), only the person's own details and that case's
    records about them are offered."""
    policy = active_policy()
    case = _case_of(request, person)
    items = (
        step_up.case_items(case, person, request.user)
        if case is not None
        else services.items_of(person, request.user)
    )
    form = forms.ShareForm(request.POST or None, policy=policy, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = {
            "recipient": data["recipient"],
            "purpose": data["purpose"],
            "item_keys": data["items"],
            "tell_family": data["tell"] == forms.TELL,
            "exemption": data.get("exemption") or "",
            "exemption_reason": data.get("exemption_reason") or "",
        }
        made = None
        try:
            if data.get("method") == forms.PACKAGE:
                # Leaves now as a protected package (or, not told, waits for approval).
                disclosure, made = sharing_packages.share_as_package(
                    request, person, how=data.get("how") or "", **chosen
                )
            else:
                disclosure = services.share(
                    request,
                    person,
                    method=data.get("method") or "",
                    reference=data.get("reference") or "",
                    **chosen,
                )
        except services.ShareRefused as problem:
            add_refusal(form, problem)
        else:
            if made is not None:
                return _package_made(request, disclosure, made)
            if disclosure.status == Disclosure.Status.WAITING:
                messages.success(request, "Waiting for a team manager's approval")
            else:
                messages.success(request, "Disclosure recorded")
            return redirect("sharing:disclosure", disclosure_id=disclosure.public_id)
    _items_look(request, person, items, page="share")
    context = {
        "person": person,
        "form": form,
        "conditions": services.conditions(policy),
        "any_sensitive": any(i.sensitive for i in items),
        "case": case,
    }
    return render(request, "sharing/share.html", context)


def _case_of(request: HttpRequest, person: Person) -> Case | None:
    """The case named by ``?case=`` when the person is one of its members; None for none,
    a malformed id or a case they are not on (then every record of theirs is offered)."""
    try:
        case_id = uuid.UUID(request.GET.get("case", ""))
    except ValueError:
        return None
    return Case.objects.filter(public_id=case_id, members__person=person).first()


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person_to_change
@submitted_once
def record_not_sharing(request: HttpRequest, person: Person) -> HttpResponse:
    """Record a decision not to share, with its reason."""
    form = forms.NotSharingForm(request.POST or None, policy=active_policy())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            disclosure = services.record_not_sharing(
                request,
                person,
                recipient=data["recipient"],
                purpose=data["purpose"],
                reason=data["reason"],
                more_detrimental=data.get("more_detrimental", False),
            )
        except services.ShareRefused as problem:
            add_refusal(form, problem)
        else:
            messages.success(request, "Decision not to share recorded")
            return redirect("sharing:disclosure", disclosure_id=disclosure.public_id)
    audit_look(
        request,
        request.record_access,
        "person",
        person.public_id,
        categories_of(Person),
        page="not-sharing",
    )
    return render(request, "sharing/not_sharing.html", {"person": person, "form": form})


def _open(
    request: HttpRequest, disclosure_id
) -> tuple[Disclosure, Access | None, HttpResponse | None]:
    """The disclosure named in the URL, and the reader's access to its person: their
    casework access (the person's page's rule), or the IG officer's oversight (None).
    The third value is the refusal page when neither opens it."""
    disclosure = get_object_or_404(
        Disclosure.objects.select_related(
            "person__restriction__created_by", "created_by", "decided_by", "sent_by"
        ),
        public_id=disclosure_id,
    )
    return (disclosure, *reader_access(request, disclosure.person))


def reader_access(
    request: HttpRequest, person: Person
) -> tuple[Access | None, HttpResponse | None]:
    """(access, refusal page or None) of a sharing page about `person`: the IG officer's
    oversight (None) opens every one but a person restricted from them, as every other page
    does (access.rules); anyone else needs the person page's casework access."""
    if request.user.has_role(Role.INFORMATION_GOVERNANCE) and not request.user.has_role(*CASEWORK):
        if not is_restricted_from(request.user, person):
            return None, None
        access = Access(False, restricted=True, ask=who_to_ask(person))
    else:
        access = person_access(request, person)
        if access.allowed:
            return access, None
    return access, refused(request, person, access, "person", person.public_id)


def _look(
    request: HttpRequest,
    disclosure: Disclosure,
    access: Access | None,
    *,
    page: str,
    shown: tuple = (),
    others: list[Person] | None = None,
) -> None:
    """The page's look at the disclosure's person (with the categories of the models in
    `shown` too), and at any `others` it names (their names only)."""
    categories = sorted(set(services.log_categories()) | set(categories_of(Person, *shown)))
    looks = [(disclosure.person, categories)]
    looks += [(other, categories_of(Person)) for other in others or []]
    for person, seen in looks:
        if access is None:
            record(
                request,
                action="view",
                record_type="person",
                record_id=person.public_id,
                categories=seen,
                rule=GOVERNANCE_RULE,
                details={"page": page},
            )
        else:
            audit_look(request, access, "person", person.public_id, seen, page=page)


@role_required(*CASEWORK, Role.INFORMATION_GOVERNANCE)
@require_safe
def disclosure_detail(request: HttpRequest, disclosure_id) -> HttpResponse:
    """A disclosure in the policy's words, with the letter to the family."""
    disclosure, access, refusal = _open(request, disclosure_id)
    if refusal is not None:
        return refusal
    _look(request, disclosure, access, page="disclosure")
    user = request.user
    rows = sharing_packages.package_rows(disclosure)
    context = {
        **described(disclosure),
        "person": disclosure.person,
        "items": list(disclosure.items.all()),
        "may_decide": services.approval_problem(user, disclosure) is None,
        "may_send": disclosure.status == Disclosure.Status.APPROVED
        and access is not None
        and services.access_problem(request, disclosure.person) is None,
        "letter": family_letter.paragraphs_of(disclosure),
        "may_print": family_letter.is_told(disclosure),
        "package_rows": rows,
        "link_works": any(row.status == sharing_packages.ACTIVE for row in rows),
        "oversight": access is None,  # the IG officer: back to the log, not the person
        "may_tell": access is not None
        and services.access_problem(request, disclosure.person) is None,
        "may_change_link": access is not None
        and sharing_packages.link_problem(request, disclosure) is None,
    }
    return render(request, "sharing/disclosure.html", context)


@role_required(Role.TEAM_MANAGER)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def decide_disclosure(request: HttpRequest, disclosure_id) -> HttpResponse:
    """A team manager approves or refuses a disclosure the family is not told of."""
    disclosure, access, refusal = _open(request, disclosure_id)
    if refusal is not None:
        return refusal
    form = forms.ApprovalForm(request.POST or None)
    problem = services.approval_problem(request.user, disclosure)
    if problem and request.method == "POST":
        add_refusal(form, problem)
    elif request.method == "POST" and form.is_valid():
        try:
            services.decide_approval(
                request,
                disclosure,
                approve=form.cleaned_data["decision"] == forms.APPROVE,
                note=form.cleaned_data["note"],
            )
        except services.ShareRefused as refused_on_the_day:
            # The policy or a restriction may refuse on the day: said on the form.
            add_refusal(form, refused_on_the_day)
        else:
            messages.success(request, "Decision recorded")
            return redirect("sharing:disclosure", disclosure_id=disclosure.public_id)
    _look(request, disclosure, access, page="decide-disclosure")
    context = {
        **described(disclosure),
        "person": disclosure.person,
        "form": form,
        "problem": refusal_sentence(problem),
        "items": list(disclosure.items.all()),
    }
    return render(request, "sharing/decide.html", context)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def record_sent(request: HttpRequest, disclosure_id) -> HttpResponse:
    """Record that an approved disclosure has left: how, and its reference."""
    disclosure, access, refusal = _open(request, disclosure_id)
    if refusal is not None:
        return refusal
    form = forms.SentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_sent(
                request,
                disclosure,
                method=form.cleaned_data["method"],
                reference=form.cleaned_data["reference"],
            )
        except services.ShareRefused as problem:
            add_refusal(form, problem)
        else:
            messages.success(request, "Recorded as sent")
            return redirect("sharing:disclosure", disclosure_id=disclosure.public_id)
    _look(request, disclosure, access, page="disclosure-sent")
    context = {**described(disclosure), "person": disclosure.person, "form": form}
    return render(request, "sharing/sent.html", context)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def record_family_told(request: HttpRequest, disclosure_id) -> HttpResponse:
    """Record how and when the family was told of a disclosure, with the letter to hand."""
    disclosure, access, refusal = _open(request, disclosure_id)
    if refusal is not None:
        return refusal
    form = forms.FamilyToldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_family_told(
                request, disclosure, how=form.cleaned_data["how"], on=form.cleaned_data["on"]
            )
        except services.ShareRefused as problem:
            add_refusal(form, problem)
        else:
            messages.success(request, "Recorded: the family has been told")
            return redirect("sharing:disclosure", disclosure_id=disclosure.public_id)
    _look(request, disclosure, access, page="disclosure-family-told")
    context = {
        **described(disclosure),
        "person": disclosure.person,
        "form": form,
        "letter": family_letter.paragraphs_of(disclosure),
        "may_print": family_letter.is_told(disclosure),
    }
    return render(request, "sharing/family_told.html", context)


# What the printed letter shows beyond the disclosure: where the family lives, and who has
# parental responsibility for a child.
LETTER_SHOWS = (PersonAddress, Relationship)


@role_required(*CASEWORK, Role.INFORMATION_GOVERNANCE)
@require_safe
def print_letter(request: HttpRequest, disclosure_id) -> HttpResponse:
    """The letter to the family alone on its page, to print: the council's name and
    address, whom it goes to and where, the date and the letter's paragraphs. Opened as
    the disclosure's page is; a disclosure the family is not told of has no letter, and
    the page says so."""
    disclosure, access, refusal = _open(request, disclosure_id)
    if refusal is not None:
        return refusal
    policy = active_policy()
    letter = None
    if family_letter.is_told(disclosure):
        letter = family_letter.letter_of(policy, disclosure, timezone.localdate(), request.user)
    _look(
        request,
        disclosure,
        access,
        page="disclosure-letter",
        shown=LETTER_SHOWS if letter else (),
        others=letter.addressees if letter else [],
    )
    context = {
        **described(disclosure),
        "person": disclosure.person,
        "letter": letter,
        "printable": letter is not None,
    }
    response = render(request, "sharing/letter.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _link_page(
    request: HttpRequest, disclosure: Disclosure, access: Access | None, form, problem, *, page
) -> dict:
    _look(request, disclosure, access, page=page)
    return {
        **described(disclosure),
        "person": disclosure.person,
        "form": form,
        "problem": refusal_sentence(problem),
        "package_rows": sharing_packages.package_rows(disclosure),
    }


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def withdraw_link(request: HttpRequest, disclosure_id) -> HttpResponse:
    """End a disclosure's protected package link at once, with the reason."""
    disclosure, access, refusal = _open(request, disclosure_id)
    if refusal is not None:
        return refusal
    form = forms.WithdrawLinkForm(request.POST or None)
    problem = sharing_packages.link_problem(request, disclosure)
    if problem and request.method == "POST":
        add_refusal(form, problem)
    elif request.method == "POST" and form.is_valid():
        try:
            sharing_packages.withdraw_link(request, disclosure, form.cleaned_data["reason"])
        except services.ShareRefused as refused_now:
            add_refusal(form, refused_now)
        else:
            messages.success(request, "Link withdrawn: it no longer works")
            return redirect("sharing:disclosure", disclosure_id=disclosure.public_id)
    context = _link_page(
        request, disclosure, access, form, problem, page="disclosure-withdraw-link"
    )
    return render(request, "sharing/withdraw_link.html", context)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def new_link(request: HttpRequest, disclosure_id) -> HttpResponse:
    """Withdraw a disclosure's protected package link and make a new one with a new
    password: shown once, as the first time."""
    disclosure, access, refusal = _open(request, disclosure_id)
    if refusal is not None:
        return refusal
    form = forms.NewLinkForm(request.POST or None)
    problem = sharing_packages.link_problem(request, disclosure)
    if problem and request.method == "POST":
        add_refusal(form, problem)
    elif request.method == "POST" and form.is_valid():
        try:
            made = sharing_packages.new_link(
                request,
                disclosure,
                how=form.cleaned_data["how"],
                reason=form.cleaned_data["reason"],
            )
        except services.ShareRefused as refused_now:
            add_refusal(form, refused_now)
        else:
            disclosure.refresh_from_db()
            return _package_made(request, disclosure, made, renewed=True)
    context = _link_page(request, disclosure, access, form, problem, page="disclosure-new-link")
    return render(request, "sharing/new_link.html", context)


def _package_made(
    request: HttpRequest,
    disclosure: Disclosure,
    made: package_services.Made,
    *,
    renewed: bool = False,
) -> HttpResponse:
    """The link and the password of a package just made, shown once and never cached."""
    context = {
        **described(disclosure),
        "person": disclosure.person,
        "recipient": words.recipient_words(active_policy(), disclosure.recipient),
        "renewed": renewed,
    }
    return link_made_page(request, "sharing/package_made.html", made, context)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def send_package(request: HttpRequest, disclosure_id) -> HttpResponse:
    """An approved disclosure leaves as a protected package: the link and password are
    shown once."""
    disclosure, access, refusal = _open(request, disclosure_id)
    if refusal is not None:
        return refusal
    form = forms.SendPackageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = sharing_packages.send_package(request, disclosure, form.cleaned_data["how"])
        except services.ShareRefused as problem:
            add_refusal(form, problem)
        else:
            disclosure.refresh_from_db()
            return _package_made(request, disclosure, made)
    _look(request, disclosure, access, page="disclosure-package")
    context = {**described(disclosure), "person": disclosure.person, "form": form}
    return render(request, "sharing/send_package.html", context)


@role_required(Role.INFORMATION_GOVERNANCE)
@require_safe
def disclosure_log(request: HttpRequest) -> HttpResponse:
    """Every disclosure and decision not to share, newest first, by pages."""
    rows = Disclosure.objects.select_related("person__restriction", "created_by")
    page = Paginator(rows, LOG_PAGE).get_page(request.GET.get("page"))
    shown = [described(d) for d in page.object_list]
    categories = sorted(set(services.log_categories()) | set(categories_of(*PERSON_LISTED)))
    looks, seen = [], set()
    for row in shown:
        person = row["disclosure"].person
        # A person restricted from the officer is named only as "a restricted record", as
        # on every governance page, with nothing of what was shared: the look shows no
        # category of theirs.
        row["restricted"] = is_restricted_from(request.user, person)
        if person.pk in seen:
            continue
        seen.add(person.pk)
        looks.append(
            {
                "action": "view",
                "record_type": "person",
                "record_id": str(person.public_id),
                "categories": [] if row["restricted"] else categories,
                "rule": GOVERNANCE_RULE,
                "details": {"page": "disclosure-log"},
            }
        )
    record_many(request, looks)
    return render(request, "sharing/log.html", {"rows": shown, "page": page})


def waiting_context(request: HttpRequest) -> list[dict]:
    """For a team manager's home page: the disclosures waiting for their approval, in the
    policy's words; a look is recorded against each person named."""
    rows = [described(d) for d in services.waiting_for(request.user)]
    people = {row["disclosure"].person.pk: row["disclosure"].person for row in rows}
    record_many(
        request,
        [
            {
                "action": "view",
                "record_type": "person",
                "record_id": str(person.public_id),
                "categories": sorted(
                    set(services.log_categories()) | set(categories_of(*PERSON_LISTED))
                ),
                "rule": "access:allocation",
                "details": {"page": "disclosures-waiting"},
            }
            for person in people.values()
        ],
    )
    return rows
