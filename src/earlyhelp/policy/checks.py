"""The service refuses to start unless its policy file loads and validates."""

from django.conf import settings
from django.core.checks import Error, register

from earlyhelp.policy.active import active_policy
from earlyhelp.policy.fields import classification_errors
from earlyhelp.policy.loader import PolicyError


@register("earlyhelp")
def policy_loads(app_configs, **kwargs) -> list[Error]:
    try:
        active_policy()
    except FileNotFoundError:
        return [
            Error(
                f"The policy file {settings.POLICY_PATH} does not exist.",
                hint="Set EARLYHELP_POLICY to the path of the service's policy file.",
                id="earlyhelp.E002",
            )
        ]
    except PolicyError as error:
        return [
            Error(
                f"The policy file {settings.POLICY_PATH} is not valid: {issue}",
                hint="Run `earlyhelp policy check FILE` to see every problem.",
                id="earlyhelp.E003",
            )
            for issue in error.errors
        ]
    return [
        Error(
            problem, hint="Classify the field in the model's data_categories.", id="earlyhelp.E004"
        )
        for problem in classification_errors(active_policy())
    ]
