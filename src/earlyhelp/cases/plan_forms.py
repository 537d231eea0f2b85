"""Forms for the Team Around the Family plan: agreeing it, its goals, and its reviews.

Each error names the field and the rule it breaks ("Enter who does action 2"). The dates are
checked as the services check them (cases.plans), so a form that is valid is saved.
"""

from datetime import date

from django import forms

from earlyhelp.cases.choices import GoalStatus
from earlyhelp.cases.models import Case, PlanGoal
from earlyhelp.cases.plans import (
    ActionPlanned,
    GoalPlanned,
    GoalReviewed,
    default_next_review,
    next_review_error,
    outcome_words,
)
from earlyhelp.lib.plausible import format_day, planned_date_error
from earlyhelp.people.forms import say_limits, today
from earlyhelp.policy.active import active_policy
from earlyhelp.web.forms import DateField

# Rows for actions on a new goal; a goal being changed has a row per action and one more.
ACTION_ROWS = 3
NO_NEED = "none"
TEXT_LIMIT = 5000


def _weeks_words() -> str:
    weeks = active_policy().casework.plan_review_every_weeks
    return f"{weeks} week{'s' if weeks != 1 else ''}"


class GoalForm(forms.Form):
    """A goal, the need it meets (if any), its target date and its actions (what, who,
    by when), as rows of which at least one is filled."""

    goal = forms.CharField(
        label="Goal",
        help_text="What the family want to be different, in their words",
        max_length=TEXT_LIMIT,
        error_messages={"required": "Enter the goal"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    need = forms.ChoiceField(label="Need this goal meets", required=False)
    target_date = DateField(
        label="Target date (optional)",
        label_lower="target date",
        required=False,
        help_text="For example, 27 3 2027",
    )

    def __init__(self, *args, needs=(), rows: int = ACTION_ROWS, starts: date | None = None, **kw):
        super().__init__(*args, **kw)
        self.needs = {str(need.public_id): need for need in needs}
        self.fields["need"].choices = [(NO_NEED, "Not linked to a need")] + [
            (key, f"{need.description} ({outcome_words(need)})") for key, need in self.needs.items()
        ]
        self.fields["need"].initial = NO_NEED
        self.rows = rows
        self.starts = starts
        for n in range(1, rows + 1):
            self.fields[f"action_{n}"] = forms.CharField(
                label=f"Action {n}: what is to be done",
                required=False,
                max_length=TEXT_LIMIT,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"who_{n}"] = forms.CharField(
                label=f"Action {n}: who does it",
                required=False,
                max_length=TEXT_LIMIT,
                help_text="A family member, a professional or an agency",
            )
            self.fields[f"by_when_{n}"] = DateField(
                label=f"Action {n}: by when",
                label_lower=f"date action {n} is to be done by",
                required=False,
            )
        say_limits(self)

    def action_rows(self) -> list[dict]:
        """The action rows' fields, for the template: number, what, who, by when."""
        return [
            {
                "number": n,
                "action": self[f"action_{n}"],
                "who": self[f"who_{n}"],
                "by_when": self[f"by_when_{n}"],
            }
            for n in range(1, self.rows + 1)
        ]

    def start(self, data: dict) -> date | None:
        """The date the goal's dates may not be before: the day the plan was agreed."""
        return self.starts

    def clean(self):
        """Each action row used has what, who and by when; at least one row is used; the
        dates are planned dates, not before the plan was agreed."""
        data = super().clean()
        start = self.start(data)
        used = 0
        for n in range(1, self.rows + 1):
            what, who = data.get(f"action_{n}", ""), data.get(f"who_{n}", "")
            by_when = data.get(f"by_when_{n}")
            if not (what or who or by_when or self.errors.get(f"by_when_{n}")):
                continue
            used += 1
            if not what:
                self.add_error(f"action_{n}", f"Enter what action {n} is")
            if not who:
                self.add_error(f"who_{n}", f"Enter who does action {n}")
            if by_when is None and not self.errors.get(f"by_when_{n}"):
                self.add_error(f"by_when_{n}", f"Enter the date action {n} is to be done by")
            self._check_planned(
                f"by_when_{n}", by_when, f"The date action {n} is to be done by", start
            )
        if not used and not self.errors.get("action_1"):
            self.add_error(
                "action_1", "Enter at least one action: what is to be done, who does it, by when"
            )
        self._check_planned("target_date", data.get("target_date"), "The target date", start)
        return data

    def _check_planned(self, name: str, value: date | None, words: str, start: date | None):
        message = planned_date_error(value, field=words, today=today(), after=start)
        if message:
            self.add_error(name, message)

    def planned(self) -> GoalPlanned:
        data = self.cleaned_data
        actions = [
            ActionPlanned(data[f"action_{n}"], data[f"who_{n}"], data[f"by_when_{n}"])
            for n in range(1, self.rows + 1)
            if data[f"action_{n}"]
        ]
        return GoalPlanned(
            goal=data["goal"],
            actions=actions,
            need=self.needs.get(data.get("need") or NO_NEED),
            target_date=data.get("target_date"),
        )

    @classmethod
    def initial_for(cls, goal: PlanGoal) -> dict:
        """A goal's current values, to change it."""
        initial = {
            "goal": goal.goal,
            "need": str(goal.need.public_id) if goal.need_id else NO_NEED,
            "target_date": goal.target_date,
        }
        for n, action in enumerate(goal.plan_actions.order_by("pk"), start=1):
            initial |= {f"action_{n}": action.action, f"who_{n}": action.who}
            initial[f"by_when_{n}"] = action.by_when
        return initial


class AgreePlanForm(GoalForm):
    """A new plan: the day it was agreed, its first review, and its first goal."""

    agreed = DateField(
        label="Date the plan was agreed",
        label_lower="date the plan was agreed",
        past_only=True,
        help_text="For example, 25 11 2026",
    )
    review_date = DateField(
        label="Date of the first review (optional)",
        label_lower="date of the first review",
        required=False,
    )

    field_order = ["agreed", "review_date", "goal", "need", "target_date"]

    def __init__(self, *args, case: Case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        self.fields[
            "review_date"
        ].help_text = f"Leave blank for {_weeks_words()} after the plan was agreed"

    def start(self, data: dict) -> date | None:
        return data.get("agreed")

    def clean(self):
        """The plan is agreed on or after the case started; its first review is after
        that day and no more than a year after it."""
        data = super().clean()
        agreed = data.get("agreed")
        if agreed is None:
            return data
        if agreed < self.case.started:
            self.add_error(
                "agreed",
                "The date the plan was agreed must be the same as or after the date the case "
                f"started ({format_day(self.case.started)})",
            )
        message = next_review_error(
            data.get("review_date"),
            after=agreed,
            after_words="the plan was agreed",
            field="The date of the first review",
        )
        if message:
            self.add_error("review_date", message)
        return data

    def first_review(self) -> date:
        data = self.cleaned_data
        return data.get("review_date") or default_next_review(data["agreed"])


class ReviewForm(forms.Form):
    """A review: the progress on each goal, a summary and the next review."""

    reviewed_on = DateField(
        label="Date of the review",
        label_lower="date of the review",
        past_only=True,
        help_text="For example, 25 11 2026",
    )
    summary = forms.CharField(
        label="Summary",
        help_text="What has changed, what the family and the professionals said",
        max_length=20000,
        error_messages={"required": "Enter a summary of the review"},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    next_review = DateField(
        label="Date of the next review (optional)",
        label_lower="date of the next review",
        required=False,
    )

    def __init__(self, *args, goals: list[PlanGoal], after: date, after_words: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = goals
        # The review is not before this day (the plan's agreement or its last review).
        self.after, self.after_words = after, after_words
        for n, goal in enumerate(goals, start=1):
            self.fields[f"status_{n}"] = forms.ChoiceField(
                label=f"Progress on goal {n}",
                choices=GoalStatus.choices,
                initial=goal.status,
                error_messages={"required": f"Select the progress on goal {n}"},
            )
            self.fields[f"comment_{n}"] = forms.CharField(
                label=f"Comment on goal {n} (optional)",
                required=False,
                max_length=TEXT_LIMIT,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.fields["next_review"].help_text = f"Leave blank for {_weeks_words()} after the review"
        say_limits(self)

    def goal_rows(self) -> list[dict]:
        return [
            {
                "number": n,
                "goal": goal,
                "status": self[f"status_{n}"],
                "comment": self[f"comment_{n}"],
            }
            for n, goal in enumerate(self.goals, start=1)
        ]

    def clean(self):
        """A review is on or after the plan was agreed (or last reviewed); the next one is
        after the review and no more than a year after it."""
        data = super().clean()
        reviewed_on = data.get("reviewed_on")
        if reviewed_on is None:
            return data
        if reviewed_on < self.after:
            self.add_error(
                "reviewed_on",
                f"The date of the review must be the same as or after the {self.after_words} "
                f"({format_day(self.after)})",
            )
        message = next_review_error(
            data.get("next_review"),
            after=reviewed_on,
            after_words="of the review",
            field="The date of the next review",
        )
        if message:
            self.add_error("next_review", message)
        return data

    def progress(self) -> list[GoalReviewed]:
        data = self.cleaned_data
        return [
            GoalReviewed(goal, data[f"status_{n}"], data[f"comment_{n}"])
            for n, goal in enumerate(self.goals, start=1)
        ]
