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


class ClosureReason(models.TextChoices):
    OUTCOMES_MET = "outcomes_met", "Plan outcomes achieved"
    STEP_UP = "step_up", "Stepped up to children's social care"
    STEP_DOWN = "step_down", "Stepped down to universal services"
    DECLINED = "declined", "Family declined support"
    NO_ENGAGEMENT = "no_engagement", "Family did not engage"
    MOVED_AWAY = "moved_away", "Family moved out of the borough"
    TRANSFERRED = "transferred", "Transferred to another service"
    OTHER = "other", "Other"


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
