"""Controlled vocabularies for casework."""

from django.db import models

from earlyhelp.policy.active import active_policy


class ContactKind(models.TextChoices):
    HOME_VISIT = "home_visit", "Home visit"
    PHONE_CALL = "phone_call", "Phone call"
    MEETING = "meeting", "Meeting"
    SESSION = "session", "Session"
    OFFICE_VISIT = "office_visit", "Office or centre visit"
    VIDEO_CALL = "video_call", "Video call"


class AttendanceStatus(models.TextChoices):
    # On the session's list, the register not yet taken: neither came nor stayed away.
    EXPECTED = "expected", "Not recorded yet"
    ATTENDED = "attended", "Attended"
    ABSENT = "absent", "Absent"
    CANCELLED = "cancelled", "Cancelled (sent apologies)"


class ClosureDecision(models.TextChoices):
    AWAITING = "awaiting", "Awaiting sign-off"
    APPROVED = "approved", "Signed off"
    RETURNED = "returned", "Returned to the worker"


class AssessmentKind(models.TextChoices):
    EARLY_HELP = "early_help", "Early help assessment"
    REVIEW = "review", "Review assessment"
    DEVELOPMENTAL = "developmental", "Developmental review"
    YOUTH_JUSTICE = "youth_justice", "Youth justice assessment"


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"


class SessionKind(models.TextChoices):
    STAY_AND_PLAY = "stay_and_play", "Stay and play"
    YOUTH_PROJECT = "youth_project", "Youth project"
    PARENTING_PROGRAMME = "parenting_programme", "Parenting programme"


class DocumentKind(models.TextChoices):
    REPORT = "report", "Report"
    LETTER = "letter", "Letter"
    ASSESSMENT = "assessment", "Assessment or plan"
    CONSENT = "consent", "Consent form"
    REFERRAL = "referral", "Referral"
    OTHER = "other", "Other"


class CaseRole(models.TextChoices):
    CHILD = "child", "Child or young person the case is about"
    FAMILY = "family", "Family member"


# Services are the policy's, not fixed choices: read when a form or page needs them.
def service_choices() -> list[tuple[str, str]]:
    """Services and sub-services of the policy, as (id, name) for a form."""
    options = []
    for service in active_policy().services:
        options.append((service.id, service.name))
        options.extend((sub.id, f"{service.name}: {sub.name}") for sub in service.sub_services)
    return options


def service_name(service_id: str) -> str:
    return dict(service_choices()).get(service_id, service_id)


def closure_reason_name(reason_id: str) -> str:
    """A closure reason of the policy in its words; an id it no longer has, as stored."""
    reason = active_policy().casework.closure_reason(reason_id)
    return reason.name if reason else reason_id


def service_telling_nothing(service_id: str) -> str | None:
    """For a sub-service whose cases reveal special category or criminal offence data by
    existing (the policy's `reveals`), the name of the service it belongs to, to show
    instead; None for any other service."""
    for service in active_policy().services:
        for sub in service.sub_services:
            if sub.id == service_id and sub.reveals:
                return service.name
    return None


def revealed_by(service_id: str) -> tuple[str, ...]:
    """The policy's data categories a sub-service's name reveals (its `reveals`), none for
    any other service: a page naming such a session records a look at them."""
    for service in active_policy().services:
        for sub in service.sub_services:
            if sub.id == service_id:
                return tuple(sub.reveals)
    return ()
