"""Sign-in throttling: three limits on failed sign-ins, over the same cool-off window.

django-axes records every failure (password, security code, current password) by
username and address. Axes compares one count against one limit; this handler keeps
three, each with its own limit:

- a username from one address (AXES_FAILURE_LIMIT, 5): someone mistyping, or guessing
  one person's password from one machine;
- an address, whatever the usernames (SIGNIN_ADDRESS_FAILURE_LIMIT): password spraying,
  one common password tried against many usernames;
- a username, whatever the addresses (SIGNIN_USERNAME_FAILURE_LIMIT): guessing one
  person's password from many machines.

Reaching any one locks sign-in for the cool-off time (AXES_COOLOFF_TIME) for every request
it matches. A username is counted whether or not an account has it, and a locked username
gets the same page either way, so the lock says nothing about who works here.
A successful sign-in clears only the failures of that username from that address: one
person signing in must not wipe the count of a spray from their office, nor of guesses
at their username from elsewhere.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum


def _failures(attempts: QuerySet) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class SignInThrottle(AxesDatabaseHandler):
    def failure_counts(self, request, credentials: dict | None = None) -> dict[str, tuple]:
        """For each limit that applies: (failures in the window, the limit)."""
        username = get_client_username(request, credentials)
        address = request.axes_ip_address
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        counts = {}
        if username is not None:
            pair = recent.filter(username=username, ip_address=address)
            counts["username and address"] = (_failures(pair), settings.AXES_FAILURE_LIMIT)
            counts["username"] = (
                _failures(recent.filter(username=username)),
                settings.SIGNIN_USERNAME_FAILURE_LIMIT,
            )
        if address is not None:
            counts["address"] = (
                _failures(recent.filter(ip_address=address)),
                settings.SIGNIN_ADDRESS_FAILURE_LIMIT,
            )
        return counts

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """What axes compares with AXES_FAILURE_LIMIT: at least that once any limit is reached."""
        counts = self.failure_counts(request, credentials)
        pair = counts.get("username and address", (0, 0))[0]
        if any(count >= limit for count, limit in counts.values()):
            return max(pair, settings.AXES_FAILURE_LIMIT)
        return pair

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """After a sign-in: forget that username's failures from that address, and no others."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count
