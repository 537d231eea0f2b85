"""Sign-in, failed sign-in and sign-out, from Django's auth signals (connected in apps.ready)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from earlyhelp.audit.log import record
from earlyhelp.audit.models import Action

# The sign-in view sends user_login_failed itself for a wrong security code.
SECURITY_CODE_SENDER = "earlyhelp.access.views"


@receiver(user_logged_in, dispatch_uid="earlyhelp.audit.sign_in")
def signed_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    record(request, action=Action.SIGN_IN, actor=user)


@receiver(user_login_failed, dispatch_uid="earlyhelp.audit.sign_in_failed")
def sign_in_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs):
    # Staff usernames are not family data; the one typed is kept, as the actor's name.
    # The password never reaches here: Django masks it in `credentials`.
    username = str(credentials.get("username") or "")
    record(
        request,
        action=Action.SIGN_IN_FAILED,
        actor_username=username,
        details={"step": "security code" if sender == SECURITY_CODE_SENDER else "password"},
    )


@receiver(user_logged_out, dispatch_uid="earlyhelp.audit.sign_out")
def signed_out(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if user is not None:  # a sign-out without a signed-in user changes nothing
        record(request, action=Action.SIGN_OUT, actor=user)
