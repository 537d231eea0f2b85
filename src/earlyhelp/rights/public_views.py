"""The public rights and complaints form: no sign-in, one question a page, answers kept in
the session, a check page, then the reference and what happens next. Nothing shown depends
on whether the council holds anything about the person named.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from earlyhelp.access.decorators import public_view
from earlyhelp.lib.words import day_words, number_words
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.render import rule_sentences
from earlyhelp.rights import public
from earlyhelp.rights.clock import (
    acknowledge_by,
    deadline_of,
    frozen_complaint_rule,
    frozen_rule,
)
from earlyhelp.rights.models import RightsRequest
from earlyhelp.web.once import submitted_once


def public_page(
    request: HttpRequest, template: str, context: dict | None = None, status: int = 200
):
    """A page of the public form: its header leads to the privacy notice, not staff sign-in."""
    return render(request, template, {**(context or {}), "public_page": True}, status=status)


def _too_many(request: HttpRequest) -> HttpResponse | None:
    """The 429 page if this address has sent the form as often as an hour allows."""
    until = public.rate_limit_until(request)
    if until is None:
        return None
    local = timezone.localtime(until)
    context = {
        "until_time": f"{local:%-I:%M%p}".lower(),
        "until_day": day_words(local.date()),
        "policy": active_policy(),
    }
    return public_page(request, "rights/public/too_many.html", context, status=429)


@public_view
@require_safe
def start(request: HttpRequest) -> HttpResponse:
    """What the form is for and what it does not take; the first question follows."""
    if (refused := _too_many(request)) is not None:
        return refused
    return public_page(
        request,
        "rights/public/start.html",
        {"policy": active_policy(), "first": public.STEPS[0].slug},
    )


def question_view(step: public.Step) -> Callable[[HttpRequest], HttpResponse]:
    """The view of one question page."""

    @public_view
    @require_http_methods(["GET", "HEAD", "POST"])
    def question(request: HttpRequest) -> HttpResponse:
        if (refused := _too_many(request)) is not None:
            return refused
        answers = public.answers_of(request)
        changing = request.GET.get("change") == "1"
        if changing and not answers:
            # A Change link with nothing to change (the answers went with what was sent):
            # start at the beginning rather than change one answer of a new form.
            return redirect("rights_public:start")
        if request.method == "POST":
            form = step.form(request.POST)
            if form.is_valid():
                answers = public.keep_answers(request, step, form.cleaned_data)
                following = (
                    public.first_unanswered(answers)
                    if changing
                    else public.next_step(step, answers)
                )
                if following is None:
                    return redirect("rights_public:check")
                return redirect(f"rights_public:{following.slug}")
        else:
            form = step.form(initial=public.initial_for(step, answers))
        before = public.previous_step(step, answers)
        if changing:
            back = reverse("rights_public:check")
        elif before is not None:
            back = reverse(f"rights_public:{before.slug}")
        else:
            back = reverse("rights_public:start")
        return public_page(
            request,
            step.template,
            {
                "form": form,
                "step": step,
                "title": public.title_for(step, answers),
                "back": back,
                "kind": answers.get("kind"),
                # One choice to a page: its legend is the page's heading (GOV.UK pattern).
                "legend_heading": len(form.fields) == 1
                and isinstance(
                    next(iter(form.fields.values())).widget,
                    forms.RadioSelect | forms.CheckboxSelectMultiple,
                ),
            },
        )

    question.__name__ = f"question_{step.slug.replace('-', '_')}"
    question.__doc__ = f"The question page '{step.title}'."
    return question


@public_view
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def check(request: HttpRequest) -> HttpResponse:
    """Every answer with a Change link; sending it makes the request or complaint."""
    if (refused := _too_many(request)) is not None:
        return refused
    answers = public.answers_of(request)
    if not answers and request.session.get(public.SENT):
        # Back after sending: the answers went with what was sent.
        return redirect("rights_public:sent")
    missing = public.first_unanswered(answers)
    if request.method == "POST":
        if missing is not None:
            return redirect(f"rights_public:{missing.slug}")
        try:
            rights_request = public.submit(request, answers)
        except public.TooManySendings:
            return _too_many(request) or redirect("rights_public:start")
        except ValueError as problem:
            # An answer the form let through but the record refuses: say which, and let
            # the person change it, rather than losing what they typed.
            field, _, rule = str(problem).partition(": ")
            return public_page(
                request,
                "rights/public/check.html",
                {
                    "rows": public.summary_rows(answers),
                    "missing": None,
                    "back": reverse(f"rights_public:{public.steps_for(answers)[-1].slug}"),
                    "kind": answers.get("kind"),
                    "problem": public.problem_words(field, rule),
                },
                status=200,
            )
        request.session.pop(public.ANSWERS, None)
        request.session[public.SENT] = str(rights_request.public_id)
        return redirect("rights_public:sent")
    last = public.steps_for(answers)[-1]
    return public_page(
        request,
        "rights/public/check.html",
        {
            "rows": public.summary_rows(answers),
            "missing": missing,
            "back": reverse(f"rights_public:{(missing or last).slug}"),
            "kind": answers.get("kind"),
        },
    )


@public_view
@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    """The reference, and what happens next and by when, in the policy's words."""
    public_id = request.session.get(public.SENT)
    rights_request = (
        RightsRequest.objects.filter(public_id=public_id).first() if public_id else None
    )
    policy = active_policy()
    context: dict = {"rights_request": rights_request, "policy": policy}
    if rights_request is not None:
        context["received"] = day_words(rights_request.received)
        context["reply_by"] = rights_request.get_reply_by_display().lower()
        if rights_request.is_complaint:
            rule = frozen_complaint_rule(rights_request)
            due = acknowledge_by(rights_request)
            if rule is not None and due is not None:
                days = rule.acknowledge_within_days
                context["acknowledge"] = (
                    f"We will acknowledge your complaint within {number_words(days)} "
                    f"day{'s' if days != 1 else ''} of receiving it, by {day_words(due)}, "
                    f"and tell you the outcome {rule.outcome}."
                )
        else:
            context["clock"] = rule_sentences(frozen_rule(rights_request))
            context["due"] = day_words(deadline_of(rights_request).due)
    return public_page(request, "rights/public/sent.html", context)
