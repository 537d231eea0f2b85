"""For the information governance officer: emergency access to review, and who saw a record."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.roles import Role
from earlyhelp.audit.log import events_for_record, flagged_events, record, review
from earlyhelp.audit.models import AuditEvent, ReviewOutcome
from earlyhelp.people.models import Person


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Was the access justified?",
        choices=ReviewOutcome.choices,
        error_messages={"required": "Select whether the access was justified"},
    )
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )


@role_required(Role.INFORMATION_GOVERNANCE)
@require_safe
def emergency_access_queue(request: HttpRequest) -> HttpResponse:
    events = flagged_events().filter(action="break_glass")
    return render(
        request,
        "access/emergency_access.html",
        {
            "waiting": [e for e in events if e.reviewed_at is None],
            "reviewed": [e for e in events if e.reviewed_at is not None][:50],
        },
    )


@role_required(Role.INFORMATION_GOVERNANCE)
@require_http_methods(["GET", "HEAD", "POST"])
def review_emergency_access(request: HttpRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(AuditEvent, pk=event_id, flagged=True)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        review(event, reviewed_by=request.user, **form.cleaned_data)
        messages.success(request, "Review recorded")
        return redirect("governance:emergency_access")
    looks = AuditEvent.objects.filter(
        actor=event.actor, record_id=event.record_id, id__gte=event.id
    ).order_by("id")[:50]
    return render(
        request,
        "access/review_emergency_access.html",
        {"event": event, "form": form, "looks": looks},
    )


@role_required(Role.INFORMATION_GOVERNANCE)
@require_safe
def who_has_seen(request: HttpRequest, person_id) -> HttpResponse:
    """Every look at and change to a person's record, and the searches that listed them."""
    person = get_object_or_404(Person, public_id=person_id)
    events = list(events_for_record("person", person.public_id)[:500])
    record(
        request,
        action="view",
        record_type="person",
        record_id=person.public_id,
        categories=["identity-and-contact"],
        rule="access:governance",
        details={"page": "who-has-seen"},
    )
    return render(request, "access/who_has_seen.html", {"person": person, "events": events})
