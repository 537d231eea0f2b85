"""For the analyst (and the IG officer): the policy's projects and the extracts made; for
the IG officer, the extracts whose recipient must by now have destroyed them, and the
recipient's confirmation recorded (extracts.destruction). The analyst runs an open
project's extract from here and downloads its protected file (extracts.held).

Manifests only: counts, column names, rules and file hashes. No page here shows data about
any child or family; the one file given out is pseudonymised and password-protected.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.roles import Role
from earlyhelp.extracts import destruction as recipient
from earlyhelp.extracts import held
from earlyhelp.extracts.forms import ConfirmDestructionForm, RunExtractForm
from earlyhelp.extracts.models import Extract
from earlyhelp.packages.views import pdf_response
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions import ProjectDecision, project_rules
from earlyhelp.policy.render import FIELD_RULE_WORDS
from earlyhelp.policy.schema import Project
from earlyhelp.web.forms import add_refusal
from earlyhelp.web.once import saved_and_shown_once, submitted_once
from earlyhelp.web.words import category_words, policy_rule_words, project_name

EXTRACTS_SHOWN = 100


@dataclass(frozen=True)
class ProjectRow:
    project: Project
    open: bool
    status: str
    last: Extract | None
    # How long its files are held on the server when run from the screen ("" for never).
    held_for: str = ""


def _status(project: Project, decision: ProjectDecision, today: date) -> str:
    """A word or two for the tag: the decision says whether, the dates say why not."""
    if decision.allowed:
        return "Open"
    if today < project.start:
        return f"Starts {project.start:%-d %B %Y}"
    if project.end is not None and today > project.end:
        return f"Ended {project.end:%-d %B %Y}"
    return "Closed: its agreement is not in force"


@role_required(Role.ANALYST, Role.INFORMATION_GOVERNANCE)
@require_safe
def projects(request: HttpRequest) -> HttpResponse:
    policy = active_policy()
    today = timezone.localdate()
    extracts = list(Extract.objects.select_related("made_by")[:EXTRACTS_SHOWN])
    rows = []
    for project in policy.projects:
        decision = project_rules(policy, project.id, today)
        rows.append(
            ProjectRow(
                project,
                decision.allowed,
                _status(project, decision, today),
                Extract.objects.filter(project=project.id).first(),
                held.held_for(project),
            )
        )
    for extract in extracts:
        extract.project_name = project_name(policy, extract.project)
    may_confirm = request.user.has_role(*recipient.CONFIRMS)
    context = {
        "rows": rows,
        "extracts": extracts,
        "may_run": request.user.has_role(Role.ANALYST),
        "may_confirm": may_confirm,
        "awaiting_confirmation": recipient.extracts_awaiting_confirmation(today).count()
        if may_confirm
        else 0,
    }
    return render(request, "extracts/projects.html", context)


@role_required(Role.ANALYST, Role.INFORMATION_GOVERNANCE)
@require_safe
def extract_detail(request: HttpRequest, extract_id) -> HttpResponse:
    extract = get_object_or_404(
        Extract.objects.select_related("made_by", "destruction_confirmed_by"), public_id=extract_id
    )
    policy = active_policy()
    # The manifest keeps ids (it is the file's record); the page says them in words.
    columns = [
        {
            **column,
            "words": FIELD_RULE_WORDS.get(column["rule"], "a rule no longer in the policy"),
            "category_words": category_words(policy, column["category"])
            if column.get("category")
            else "",
        }
        for column in extract.manifest.get("columns", [])
    ]
    context = {
        "extract": extract,
        "manifest": extract.manifest,
        "columns": columns,
        "project_name": project_name(policy, extract.project),
        "rules": [policy_rule_words(policy, r) for r in extract.manifest.get("policy_rules", [])],
        "destruction_overdue": extract.destruction_due is not None
        and extract.destruction_due < timezone.localdate(),
        "may_confirm": request.user.has_role(*recipient.CONFIRMS),
        "download_problem": held.download_problem(extract, request.user)
        if extract.was_held
        else "",
    }
    return render(request, "extracts/extract.html", context)


def _project_or_404(project_id: str) -> Project:
    project = active_policy().project(project_id)
    if project is None:
        raise Http404("No such project")
    return project


@role_required(Role.ANALYST)
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@sensitive_variables("made")
@submitted_once
def run_extract(request: HttpRequest, project_id: str) -> HttpResponse:
    """Run an open project's extract for today, as the command does, and hold its files on
    the server for the policy's period; the password of the protected file is shown once.

    Synchronous: the extract is made within the request (seconds on a large database)."""
    project = _project_or_404(project_id)
    policy = active_policy()
    today = timezone.localdate()
    decision = project_rules(policy, project.id, today)
    # Said before the button is offered; the run itself checks again, as the command does.
    closed = "" if decision.allowed else decision.reason
    if not closed and project.held_on_server_for is None:
        closed = held.no_period(project)
    # A sending with nothing in it is still a sending: bind the form to it.
    form = RunExtractForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            made = held.run(request, project.id)
        except held.HeldRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return _extract_made(request, made)
    context = {
        "project": project,
        "form": form,
        "closed": closed,
        "today": today,
        "held_for": held.held_for(project),
        "recipient": policy.recipient(project.recipient),
        "last": Extract.objects.filter(project=project.id).select_related("made_by").first(),
    }
    return render(request, "extracts/run.html", context)


@sensitive_variables("made", "context")
def _extract_made(request: HttpRequest, made: held.Held) -> HttpResponse:
    """The extract just made and the password of its file: shown once, never cached."""
    saved_and_shown_once(request)
    extract = made.extract
    context = {
        "extract": extract,
        "password": made.password,
        "project_name": project_name(active_policy(), extract.project),
    }
    response = render(request, "extracts/made.html", context)
    response["Cache-Control"] = "no-store"
    return response


@role_required(Role.ANALYST)
# GET only: a HEAD (a link checker, a prefetch) would be counted and audited as a download
# of a file it never received.
@require_GET
def download(request: HttpRequest, extract_id) -> HttpResponse:
    """The protected file of an extract held on the server, to the analyst who ran it;
    every download counted and audited. After its time: a page saying so."""
    extract = get_object_or_404(Extract, public_id=extract_id)
    try:
        data = held.download(request, extract)
    except held.HeldRefused as refusal:
        context = {
            "extract": extract,
            "why": str(refusal),
            "project_name": project_name(active_policy(), extract.project),
        }
        # Someone else's file is refused (403); one no longer there is gone (410).
        theirs = extract.made_by_id == request.user.pk
        status = 403 if extract.is_held and not theirs else 410
        return render(request, "extracts/not_held.html", context, status=status)
    return pdf_response(data, held.file_name(extract))


@role_required(Role.INFORMATION_GOVERNANCE)
@require_safe
def destruction(request: HttpRequest) -> HttpResponse:
    """Extracts past the date their recipient had to destroy them, with no confirmation
    recorded (each with a link to record it), and those whose confirmation is recorded."""
    policy = active_policy()
    today = timezone.localdate()
    overdue = list(recipient.extracts_awaiting_confirmation(today).select_related("made_by"))
    confirmed = list(
        recipient.extracts_confirmed().select_related("destruction_confirmed_by")[:EXTRACTS_SHOWN]
    )
    for extract in [*overdue, *confirmed]:
        extract.project_name = project_name(policy, extract.project)
    context = {"overdue": overdue, "confirmed": confirmed, "today": today}
    return render(request, "extracts/destruction.html", context)


@role_required(Role.INFORMATION_GOVERNANCE)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def confirm_destruction(request: HttpRequest, extract_id) -> HttpResponse:
    """Record the recipient's confirmation that it destroyed its copy of one extract."""
    extract = get_object_or_404(Extract, public_id=extract_id)
    form = ConfirmDestructionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recipient.record_recipient_destruction(
                request, extract, form.cleaned_data["confirmed_on"], form.cleaned_data["note"]
            )
        except recipient.ConfirmationRefused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "The recipient's confirmation is recorded")
            return redirect("extracts:destruction")
    context = {
        "extract": extract,
        "form": form,
        "project_name": project_name(active_policy(), extract.project),
        "overdue": extract.destruction_due is not None
        and extract.destruction_due < timezone.localdate(),
    }
    return render(request, "extracts/confirm_destruction.html", context)
