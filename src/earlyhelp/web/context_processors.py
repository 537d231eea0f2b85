from django.http import HttpRequest

from earlyhelp.access.decorators import signed_in
from earlyhelp.access.roles import CASEWORK
from earlyhelp.policy.active import active_policy


def service(request: HttpRequest) -> dict:
    policy = active_policy()
    return {
        "service_name": policy.service_name,
        "controller_name": policy.controller.name,
        # Whether to offer the family-record pages in the navigation.
        "casework": signed_in(request) and request.user.has_role(*CASEWORK),
    }
