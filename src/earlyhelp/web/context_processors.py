from django.http import HttpRequest

from earlyhelp.policy.active import active_policy


def service(request: HttpRequest) -> dict:
    policy = active_policy()
    return {"service_name": policy.service_name, "controller_name": policy.controller.name}
