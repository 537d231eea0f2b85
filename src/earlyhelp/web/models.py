from django.conf import settings
from django.db import models


class FormSubmission(models.Model):
    """A form that was sent: its one-time token, and the page its first sending led to.

    A second sending of the same form (a double click, a resend after a slow answer) finds
    the token taken and goes where the first went, so nothing is recorded twice.
    """

    # A random token, a staff account and the address of a page (ids, never names).
    family_data = False

    # SHA-256 of the form's address and its token (hex): never the token itself.
    token = models.CharField(max_length=64, unique=True)
    # None: sent by someone not signed in (the public rights form).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    location = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"Form sent at {self.created_at:%Y-%m-%d %H:%M}"
