from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password

from earlyhelp.access.roles import Role
from earlyhelp.audit.models import ReviewOutcome
from earlyhelp.lib.plausible import control_character_error
from earlyhelp.web.forms import DateField, check_day_range
from earlyhelp.web.words import staff_name


class SignInForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={"required": "Enter your username"},
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SecurityCodeForm(forms.Form):
    code = forms.RegexField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app",
        regex=r"^\s*\d{6}\s*$",
        error_messages={
            "required": "Enter the security code from your authenticator app",
            "invalid": "Security code must be 6 digits",
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()


class ChangePasswordForm(forms.Form):
    """A person's own new password: the current one first, then the new one twice."""

    current_password = forms.CharField(
        label="Current password",
        help_text="If you were given a temporary password, enter that",
        strip=False,
        error_messages={"required": "Enter your current password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label="New password",
        help_text="At least 12 characters. Not a common password, not all numbers, and not "
        "like your name, username or email address. A few unrelated words work well.",
        strip=False,
        error_messages={"required": "Enter a new password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label="New password again",
        strip=False,
        error_messages={"required": "Enter your new password again"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        self.request = request
        self.user = request.user
        super().__init__(*args, **kwargs)

    def clean_current_password(self) -> str:
        password = self.cleaned_data["current_password"]
        # Through authenticate(), so that wrong guesses count towards the sign-in throttle
        # and appear in the audit trail like any other wrong password.
        checked = authenticate(self.request, username=self.user.get_username(), password=password)
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError("Your current password is wrong")
        return password

    def clean_new_password(self) -> str:
        password = self.cleaned_data["new_password"]
        validate_password(password, self.user)  # AUTH_PASSWORD_VALIDATORS, with their messages
        return password

    def clean(self) -> dict:
        data = super().clean()
        new, again = data.get("new_password"), data.get("new_password_again")
        if new and again and new != again:
            self.add_error("new_password_again", "The new passwords do not match")
        current = data.get("current_password")
        if new and current and new == current:
            self.add_error(
                "new_password", "Your new password must be different from your current one"
            )
        return data


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to open this record now?",
        help_text="Your reason is recorded and reviewed by the information governance officer",
        min_length=15,
        max_length=1000,
        error_messages={
            "required": "Enter why you need to open this record",
            "min_length": "Give a fuller reason (at least 15 characters)",
        },
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _no_controls(field: str):
    """A validator refusing control and format characters (lib.plausible), naming `field`."""

    def check(value: str) -> None:
        problem = control_character_error(value, field=field)
        if problem:
            raise forms.ValidationError(problem)

    return check


class RestrictionForm(forms.Form):
    """Why a record is restricted, and who may still open it (the view sets the choices)."""

    reason = forms.CharField(
        label="Why restrict this record?",
        help_text="For example: a relative of the family works in the service",
        max_length=2000,
        error_messages={
            "required": "Enter why the record is restricted",
            "max_length": "Why the record is restricted must be 2,000 characters or fewer",
        },
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[_no_controls("Why the record is restricted")],
    )
    named_users = forms.MultipleChoiceField(
        label="Who may still open it",
        error_messages={"required": "Select at least one person who may open it"},
    )


class LiftRestrictionForm(forms.Form):
    """Why a restriction is lifted."""

    reason = forms.CharField(
        label="Why lift the restriction?",
        help_text="For example: the relative no longer works in the service",
        max_length=2000,
        error_messages={
            "required": "Enter why the restriction is lifted",
            "max_length": "Why the restriction is lifted must be 2,000 characters or fewer",
        },
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[_no_controls("Why the restriction is lifted")],
    )


class ReviewForm(forms.Form):
    """The information governance officer's review of an emergency access."""

    outcome = forms.ChoiceField(
        label="Was the access justified?",
        choices=ReviewOutcome.choices,
        error_messages={"required": "Select whether the access was justified"},
    )
    note = forms.CharField(
        label="Note (optional)",
        help_text=(
            "If the access was not justified, the worker's team manager is told, with this "
            "note: do not name the family"
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
    )


class WhoHasSeenFilters(forms.Form):
    """The filters of the "who has seen" list (staff, roles, actions and days: none of them a
    family's data, so sent in the address). Every field may be left at "any"."""

    who = forms.ChoiceField(
        label="Member of staff",
        required=False,
        error_messages={"invalid_choice": "Select a member of staff from the list"},
    )
    role = forms.ChoiceField(
        label="Role",
        help_text="The role their account has now",
        required=False,
        choices=[("", "Any role"), *((role.value, role.label) for role in Role)],
        error_messages={"invalid_choice": "Select a role from the list"},
    )
    action = forms.ChoiceField(
        label="What they did",
        required=False,
        error_messages={"invalid_choice": "Select what they did from the list"},
    )
    since = DateField(
        label="From",
        label_lower="date to show events from",
        required=False,
        help_text="For example, 27 3 2026",
    )
    until = DateField(
        label="To",
        label_lower="date to show events to",
        required=False,
        help_text="For example, 3 4 2026",
    )

    def __init__(self, data, *, staff, actions: dict[str, str]) -> None:
        """`staff`: the members of staff offered (those with an event on the record);
        `actions`: what they did, value to words, in the order offered."""
        super().__init__(data)
        self.fields["who"].choices = [
            ("", "Anyone"),
            *((str(user.pk), staff_name(user)) for user in staff),
        ]
        self.fields["action"].choices = [("", "Anything"), *actions.items()]

    def clean(self) -> dict:
        data = super().clean()
        check_day_range(self, data)
        return data
