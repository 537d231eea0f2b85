"""The service refuses to start with a model holding personal data left out of the data map:
rights requests, retention and merging would miss its rows."""

from django.core.checks import Error, register

from earlyhelp.datamap.registry import holdings, models_needing_registration, reach_problems
from earlyhelp.policy.fields import our_models


@register("earlyhelp")
def data_map_complete(app_configs, **kwargs) -> list[Error]:
    missing = [
        Error(
            problem,
            hint="Register the model in its app's holdings.py (see earlyhelp/datamap/registry.py).",
            id="earlyhelp.E010",
        )
        for problem in models_needing_registration(our_models())
    ]
    broken = [
        Error(problem, hint="Correct the reach in the app's holdings.py.", id="earlyhelp.E011")
        for holding in holdings()
        for problem in reach_problems(holding)
    ]
    return missing + broken
