"""Forms the system administrator uses to create and change staff accounts."""

import unicodedata

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import connections

from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.cases.models import Team, team_name_key

ROLE_CHOICES = [(role.value, role.label) for role in Role]


class TeamChoiceField(forms.ModelMultipleChoiceField):
    """Teams by id, each checked to be a whole number the id column can hold.

    ModelMultipleChoiceField checks an id only by building a query with it, which turns
    "99999999999999999999" into a Python int happily; SQLite then refuses to bind it
    (OverflowError, not a database error) and the page fails. An id that is not a whole
    number in the column's range cannot name a team: it is the form's own error.
    """

    def label_from_instance(self, obj: Team) -> str:
        return obj.name

    def _check_values(self, value):
        model = self.queryset.model
        column = model._meta.get_field(self.to_field_name) if self.to_field_name else model._meta.pk
        low, high = connections[self.queryset.db].ops.integer_field_range(
            column.get_internal_type()
        )
        for candidate in value:
            try:
                number = int(str(candidate).strip())
            except ValueError:
                number = None
            if number is None or not (low <= number <= high):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": candidate},
                )
        return super()._check_values(value)


class StaffDetailsForm(forms.Form):
    """Names, email, roles and teams: what the administrator may change after creation."""

    first_name = forms.CharField(
        label="First name",
        max_length=150,
        error_messages={
            "required": "Enter a first name",
            "max_length": "First name must be 150 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        error_messages={
            "required": "Enter a last name",
            "max_length": "Last name must be 150 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        error_messages={
            "required": "Enter a work email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
            "max_length": "Email address must be 254 characters or fewer",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        help_text="Select all that apply. A role decides which pages the person can use. "
        "A role you add works once another system administrator or the information "
        "governance officer approves it; a role you remove stops working at once.",
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one role",
            "invalid_choice": "Select roles from the list",
        },
    )
    teams = TeamChoiceField(
        label="Teams",
        help_text="Select all that apply. Practitioners and team managers see their teams' "
        "cases. A team you add needs approval too; a team you remove stops at once.",
        queryset=Team.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Select teams from the list",
            "invalid_pk_value": "Select teams from the list",
        },
    )

    def __init__(self, *args, account: User | None = None, acting: User | None = None, **kwargs):
        # `account` is the user being changed (None when creating), `acting` the administrator.
        self.account = account
        self.acting = acting
        super().__init__(*args, **kwargs)

    def clean_roles(self) -> list[Role]:
        # Whether the acting administrator may make the change is the service's rule
        # (grants.change_access): nobody changes their own roles or teams.
        return [Role(value) for value in self.cleaned_data["roles"]]


class NewStaffForm(StaffDetailsForm):
    username = forms.CharField(
        label="Username",
        help_text="What the person types to sign in, for example priya.shah. "
        "Letters, digits and @ . + - _ only. It cannot be changed later.",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        error_messages={
            "required": "Enter a username",
            "max_length": "Username must be 150 characters or fewer",
            # The validator's own message is written for developers: say the rule plainly.
            "invalid": "Username must only include letters, digits and @ . + - _",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )

    field_order = ["username", "first_name", "last_name", "email", "roles", "teams"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        # Case-insensitive: "PShah" beside "pshah" would be two people one typo apart.
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("Username is already taken: choose another")
        return username


class DecisionForm(forms.Form):
    """An approver's decision on a request for access.

    With `check_with_holder` (the account's authenticator was set up with a temporary
    password and nobody has checked with its holder since), approving needs the tick.
    """

    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve"), ("refuse", "Refuse")],
        error_messages={
            "required": "Select approve or refuse",
            "invalid_choice": "Select approve or refuse",
        },
    )
    checked_with_holder = forms.BooleanField(required=False)

    def __init__(self, *args, check_with_holder: bool = False, holder: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.check_with_holder = check_with_holder
        self.holder = holder
        self.fields["checked_with_holder"].label = (
            f"I have checked with {holder} themselves, in person or by calling a number I know "
            "is theirs (not one given by the person who asked), that they set up this "
            "account's authenticator app"
        )

    def clean(self) -> dict:
        data = super().clean()
        if (
            self.check_with_holder
            and data.get("decision") == "approve"
            and not data.get("checked_with_holder")
        ):
            self.add_error(
                "checked_with_holder",
                f"Tick to confirm that you have checked with {self.holder} themselves that "
                "they set up this account's authenticator app. If you cannot, refuse the request",
            )
        return data


class TeamForm(forms.Form):
    """A team's name, and (for a new team) the service of the policy it works in."""

    name = forms.CharField(
        label="Team name",
        help_text="For example: North family support",
        max_length=100,
        error_messages={
            "required": "Enter the team's name",
            "max_length": "Team name must be 100 characters or fewer",
        },
    )

    def __init__(self, *args, team: Team | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        if team is None:
            from earlyhelp.cases.choices import service_choices

            self.fields["service"] = forms.ChoiceField(
                label="Service",
                help_text="The service whose cases the team holds: it cannot be changed later",
                choices=[("", "Choose a service"), *service_choices()],
                error_messages={
                    "required": "Select the service the team works in",
                    "invalid_choice": "Select one of the services listed",
                },
            )

    def clean_name(self) -> str:
        """The name, its spaces tidied; refused when blank, with control characters, or
        another team's name already (names are told apart ignoring case)."""
        name = unicodedata.normalize("NFC", " ".join(self.cleaned_data["name"].split()))
        if not name:
            raise forms.ValidationError("Enter the team's name")
        if any(not ch.isprintable() for ch in name):
            raise forms.ValidationError("Team name must not contain control characters")
        key = team_name_key(name)
        others = Team.objects.exclude(pk=self.team.pk) if self.team is not None else Team.objects
        # Few teams: each name compared as the database's unique key compares it.
        taken = next((t.name for t in others.only("name") if team_name_key(t.name) == key), None)
        if taken is not None:
            raise forms.ValidationError(f"There is a team called {taken} already")
        return name
