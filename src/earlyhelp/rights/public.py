"""The public rights and complaints form: its pages, the answers kept in the session between
them, the rate limit per address, and sending it (``rights.services.create_request``).

What is typed is never looked up: the form says the same whether or not anything is held
about the person named, so it cannot be used to find out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django import forms
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.audit.log import client_ip
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.rights import public_forms as f
from earlyhelp.rights.models import RightsRequest
from earlyhelp.rights.services import RECORD_TYPE, create_request

ANSWERS = "rights_public_answers"
SENT = "rights_public_sent"
RATE_WINDOW = timedelta(hours=1)

CONTACT_FIELDS = ("requester_email", "requester_address", "requester_phone")

REQUEST = RightsRequest.Kind.REQUEST
COMPLAINT = RightsRequest.Kind.COMPLAINT


@dataclass(frozen=True)
class Step:
    """One question page: its address (slug, also the URL name), title and form."""

    slug: str
    title: str
    form: type[forms.Form]
    template: str = "rights/public/question.html"


STEPS = [
    Step("what", "What do you want to do?", f.KindForm),
    Step("who", "Who is asking?", f.WhoForm),
    Step("your-name", "What is your name?", f.RequesterForm),
    Step("request", "What do you want us to do?", f.RightsForm),
    Step("uses", "Which use do you object to?", f.UsesForm),
    Step("complaint", "What is your complaint about?", f.ComplaintForm),
    Step("about", "Who is the information about?", f.AboutForm),
    Step("records", "What would help us find the records?", f.RecordsForm),
    Step("reply", "How should we reply?", f.ReplyForm),
]
BY_SLUG = {step.slug: step for step in STEPS}


def answers_of(request: HttpRequest) -> dict:
    """The answers given so far in this session (never in the address)."""
    return dict(request.session.get(ANSWERS, {}))


def applies(slug: str, answers: dict) -> bool:
    """Whether the page ``slug`` is asked, given the answers so far."""
    kind = answers.get("kind")
    if slug == "your-name":
        return answers.get("requester_is") not in (None, RightsRequest.Requester.SELF)
    if slug == "request":
        return kind == REQUEST
    if slug == "uses":
        return kind == REQUEST and RightsRequest.Right.OBJECT in answers.get("rights_asked", [])
    if slug == "complaint":
        return kind == COMPLAINT
    return True


def title_for(step: Step, answers: dict) -> str:
    """The page's question in the asker's terms: a parent is asked which child."""
    if step.slug == "about" and answers.get("requester_is") == RightsRequest.Requester.PARENT:
        return "Which child is the information about?"
    return step.title


def steps_for(answers: dict) -> list[Step]:
    """The pages asked, in order, for these answers."""
    return [step for step in STEPS if applies(step.slug, answers)]


def answered(step: Step, answers: dict) -> bool:
    return all(name in answers for name in step.form.base_fields)


def first_unanswered(answers: dict) -> Step | None:
    return next((s for s in steps_for(answers) if not answered(s, answers)), None)


def previous_step(step: Step, answers: dict) -> Step | None:
    asked = steps_for(answers)
    before = asked[: asked.index(step)] if step in asked else []
    return before[-1] if before else None


def next_step(step: Step, answers: dict) -> Step | None:
    asked = steps_for(answers)
    after = asked[asked.index(step) + 1 :] if step in asked else []
    return after[0] if after else None


def initial_for(step: Step, answers: dict) -> dict:
    """The page's earlier answers, as its form shows them (a date as a date)."""
    initial = {name: answers[name] for name in step.form.base_fields if name in answers}
    born = initial.get("subject_date_of_birth")
    if born:
        initial["subject_date_of_birth"] = date.fromisoformat(born)
    return initial


def keep_answers(request: HttpRequest, step: Step, cleaned: dict) -> dict:
    """Store one page's answers in the session, dropping those of pages no longer asked."""
    answers = answers_of(request)
    answers.update({name: cleaned[name] for name in step.form.base_fields})
    for other in STEPS:
        if not applies(other.slug, answers):
            for name in other.form.base_fields:
                answers.pop(name, None)
    request.session[ANSWERS] = answers
    return answers


# --- what the check page shows ----------------------------------------------------------


def _choice_words(form: type[forms.Form], name: str, value: object) -> str:
    field = form.base_fields[name]
    choices = dict(field.choices) if field.choices else {}
    if name == "objection_projects":
        choices = dict(f.project_choices())
    elif name == "services_used":
        choices = dict(f.service_choices())
    values = value if isinstance(value, list) else [value]
    return "\n".join(str(choices.get(v, v)) for v in values)


def summary_rows(answers: dict) -> list[dict]:
    """The check page's rows: question, answer in words, and the page that changes it."""
    rows = []
    for step in steps_for(answers):
        for name, field in step.form.base_fields.items():
            value = answers.get(name)
            if isinstance(field, forms.ChoiceField) and value not in (None, "", []):
                words = _choice_words(step.form, name, value)
            elif name == "subject_date_of_birth" and value:
                words = f"{date.fromisoformat(value):%-d %B %Y}"
            else:
                words = value or ""
            if not words and name in CONTACT_FIELDS:
                continue  # only the way they chose to be replied to
            label = str(field.label).removesuffix(" (optional)")
            if step.slug == "about":
                # Beside "Your full name", say whose these are.
                label = f"Their {label[:1].lower()}{label[1:]}"
            rows.append({"key": label, "value": words or "Not given", "step": step, "name": name})
    return rows


# --- rate limit -------------------------------------------------------------------------


def rate_limit_until(request: HttpRequest, now: datetime | None = None) -> datetime | None:
    """When this address may send the form again, or None if it may now.

    Counts the form's submissions from the address in the past hour in the audit trail
    (which records every submission with the address, as sign-in failures are counted by
    address), against RIGHTS_FORM_LIMIT_PER_HOUR.
    """
    limit = settings.RIGHTS_FORM_LIMIT_PER_HOUR
    times = _recent_sendings(request, limit, now)
    if len(times) < limit:
        return None
    # The oldest of the last `limit` submissions leaves the window first.
    return times[-1] + RATE_WINDOW


def _recent_sendings(request: HttpRequest, at_most: int, now: datetime | None = None) -> list:
    """The times of this address's latest sendings of the form in the past hour, newest
    first, at most ``at_most`` of them ([] for a request with no address)."""
    address = client_ip(request)
    if address is None:
        return []
    now = now or timezone.now()
    recent = AuditEvent.objects.filter(
        action=Action.CREATE,
        record_type=RECORD_TYPE,
        actor__isnull=True,
        ip_address=address,
        at__gte=now - RATE_WINDOW,
    ).order_by("-at")
    return list(recent.values_list("at", flat=True)[:at_most])


def problem_words(field: str, rule: str) -> str:
    """A refusal of the record ("requester_phone", "Ensure this value has at most 40
    characters") in the words of the question that asked for it."""
    for step in STEPS:
        form_field = step.form.base_fields.get(field)
        if form_field is not None:
            return f"{form_field.label}: {rule[:1].lower()}{rule[1:]}"
    return f"{rule[:1].upper()}{rule[1:]}"


class TooManySendings(Exception):
    """This address has sent the form as often as an hour allows."""


# --- sending ----------------------------------------------------------------------------


@transaction.atomic
def submit(request: HttpRequest, answers: dict) -> RightsRequest:
    """Send the answers as a request or complaint received today through the web form.

    Raises ValueError ("field: rule") and writes nothing if the answers are incomplete, and
    TooManySendings, writing nothing, if this sending would pass the hour's limit: counted
    after its own audit event is appended, under the audit chain's lock, so sendings at the
    same moment are counted one after another rather than each before the others.
    """
    rights_request = _create(request, answers)
    limit = settings.RIGHTS_FORM_LIMIT_PER_HOUR
    if len(_recent_sendings(request, limit + 1)) > limit:
        raise TooManySendings
    return rights_request


def _create(request: HttpRequest, answers: dict) -> RightsRequest:
    missing = first_unanswered(answers)
    if missing is not None:
        raise ValueError(f"{missing.slug}: not answered yet")
    kind = answers["kind"]
    details = []
    if kind == COMPLAINT:
        details.append(answers["complaint"])
    else:
        if answers.get("details"):
            details.append(answers["details"])
        if answers.get("other_use"):
            details.append(f"Objects to another use: {answers['other_use']}")
    projects = [p for p in answers.get("objection_projects", []) if p != f.OTHER_USE]
    requester_is = answers["requester_is"]
    requester_name = (
        answers["subject_name"]
        if requester_is == RightsRequest.Requester.SELF
        else answers["requester_name"]
    )
    reply_by = answers["reply_by"]
    return create_request(
        request,
        kind=kind,
        channel=RightsRequest.Channel.WEB_FORM,
        received=timezone.localdate(),
        requester_is=requester_is,
        requester_name=requester_name,
        requester_email=answers["requester_email"] if reply_by == "email" else "",
        requester_phone=answers["requester_phone"] if reply_by == "phone" else "",
        requester_address=answers["requester_address"] if reply_by == "post" else "",
        reply_by=reply_by,
        rights_asked=answers.get("rights_asked", []) if kind == REQUEST else [],
        objection_projects=projects,
        details="\n\n".join(details),
        subject_name=answers["subject_name"],
        subject_other_names=answers.get("subject_other_names", ""),
        subject_date_of_birth=date.fromisoformat(answers["subject_date_of_birth"]),
        subject_address=answers.get("subject_address", ""),
        services_used=answers.get("services_used", []),
        dates_involved=answers.get("dates_involved", ""),
    )
