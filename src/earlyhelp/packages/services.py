"""The one protected-export mechanism: every export of family data leaves through it.

`make` encrypts a PDF with a new password (AES-256, bundles.render.protect), keeps the
protected file in the documents folder (encrypted at rest, like an uploaded document) and
makes a random download link that works for the policy's hours for its kind; any earlier
link for the same record stops working. The password and the link's token are returned
once and never stored (only the token's SHA-256 is): the member of staff sends the link and
the password by different routes. `for_link` opens a link; `download` gives the file,
counting it and recording an audit event against every person the package carries;
`remove_expired` deletes the files of links that have ended (the rows stay, as the record
of what was sent).

The caller records the sending itself (its own audit event, in the same transaction as
`make`): a subject access bundle against its request, a disclosure against its person.
Refusals raise PackageRefused("field: words").
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.audit.log import record_many
from earlyhelp.bundles.render import protect
from earlyhelp.cases import documents
from earlyhelp.packages.models import ProtectedPackage
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy

Kind = ProtectedPackage.Kind
RECORD_TYPE = "person"
# How the link is sent, in words: the model's field.
HOW_LIMIT = 200
# A password read over the telephone: four groups of four, without the characters that look
# alike (0/O, 1/I/L).
READABLE_CHARACTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PASSWORD_GROUPS = 4
PASSWORD_GROUP_LENGTH = 4
# A download's file name: letters, digits and dashes, ending .pdf.
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,90}\.pdf$")
# One message for an unknown, expired or replaced link, so a guess learns nothing.
LINK_ENDED = "link: this link has expired or is not valid; ask the council for a new one"


class PackageRefused(ValueError):
    """The package cannot be made or opened; the message is "field: words"."""


@dataclass(frozen=True)
class LinkRules:
    """The policy's rules for a kind of package: how long its link works (hours) and what
    the recipient is told about the password."""

    expires_hours: int
    password_words: str


def link_rules(kind: str) -> LinkRules:
    """The policy's link rules for `kind`: a subject access bundle's from
    [rights.access_bundle], a disclosure's from [sharing.package].

    Raises PackageRefused("policy: ...") when the policy has no such section."""
    policy = active_policy()
    if kind == Kind.ACCESS_BUNDLE:
        bundle = policy.rights.access_bundle
        if bundle is None:
            raise PackageRefused(
                "policy: the policy has no [rights.access_bundle] section, so no bundle can be sent"
            )
        return LinkRules(bundle.link_expires_hours, bundle.password_words)
    if kind == Kind.DISCLOSURE:
        package = policy.sharing.package
        if package is None:
            raise PackageRefused(
                "policy: the policy has no [sharing.package] section, so no disclosure can "
                "leave as a protected package"
            )
        return LinkRules(package.link_expires_hours, package.password_words)
    raise ValueError(f"Not a kind of package: {kind!r}")


def new_password() -> str:
    """A password easy to read over the telephone: groups of capitals and digits without
    the ones that look alike."""
    return "-".join(
        "".join(secrets.choice(READABLE_CHARACTERS) for _ in range(PASSWORD_GROUP_LENGTH))
        for _ in range(PASSWORD_GROUPS)
    )


def token_hash(token: str) -> str:
    """The SHA-256 (hex) of a link's token: all that is kept of it."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Made:
    """A package just made: the link's token and the password are shown once, never kept."""

    package: ProtectedPackage
    token: str
    password: str


def check_how(how: str) -> str:
    """`how` the link is sent, trimmed. PackageRefused("how: ...") when it is missing or
    longer than the field."""
    how = (how or "").strip()
    if not how:
        raise PackageRefused("how: say how the link is sent (for example, by secure email)")
    if len(how) > HOW_LIMIT:
        raise PackageRefused(f"how: at most {HOW_LIMIT} characters")
    return how


@transaction.atomic
def make(
    request: HttpRequest,
    pdf: bytes,
    *,
    kind: str,
    owner_public_id: UUID,
    how: str,
    people: Sequence[Person],
    reason: str,
    rule: str = "",
    file_name: str,
) -> Made:
    """Protect `pdf` with a new password and make its link, working for the policy's hours
    for `kind` (link_rules); earlier links of the same kind and owner stop working and
    their files are deleted.

    `owner_public_id`: the record it is made from (a bundle, a disclosure). `people`: whose
    data it holds (each download is audited against each). `reason` and `rule`: what each
    download's audit event cites. `how`: how the link is sent, in words. `file_name`: the
    download's name, a reference and never a name ("subject-access-R-1.pdf").

    Raises PackageRefused("how: ...") for a missing or over-long `how`, ("policy: ...")
    when the policy has no rules for the kind; ValueError for an unknown kind, no people,
    or a file name that is not letters, digits and dashes ending .pdf.
    """
    how = check_how(how)
    rules = link_rules(kind)
    if not people:
        raise ValueError("A package carries the data of at least one person")
    if not FILE_NAME.fullmatch(file_name):
        raise ValueError(f"Not a download's file name: {file_name!r}")
    password = new_password()
    sha256, _size = documents.store(ContentFile(protect(pdf, password), name="package.pdf"))
    withdraw(kind, [owner_public_id])
    token = secrets.token_urlsafe(32)
    package = ProtectedPackage.objects.create(
        kind=kind,
        owner_public_id=owner_public_id,
        token_sha256=token_hash(token),
        file_sha256=sha256,
        file_name=file_name,
        expires_at=timezone.now() + timedelta(hours=rules.expires_hours),
        made_by=request.user,
        how=how,
        reason=reason[:200],
        rule=rule[:200],
    )
    package.people.set(people)
    return Made(package=package, token=token, password=password)


def _remove_files(
    packages: Iterable[ProtectedPackage], by: User | None = None, reason: str = ""
) -> int:
    """Delete the protected files of `packages`; the rows stay, marked removed (and, for a
    link a member of staff withdrew, by whom and why)."""
    removed = 0
    now = timezone.now()
    for package in packages:
        if package.file_sha256:
            documents.path_for(package.file_sha256).unlink(missing_ok=True)
        package.removed_at = now
        # A link past its time had ended already: nobody withdrew it.
        live = package.expires_at > now
        package.withdrawn_by = by if live else None
        package.withdrawn_reason = reason if by is not None and live else ""
        package.save(update_fields=["removed_at", "withdrawn_by", "withdrawn_reason"])
        removed += 1
    return removed


@transaction.atomic
def withdraw(
    kind: str, owner_public_ids: Iterable[UUID], *, by: User | None = None, reason: str = ""
) -> int:
    """End the live links of packages of `kind` made from any of `owner_public_ids` (their
    files deleted); the number ended. A bundle sent again ends the links of every bundle of
    its request. `by` and `reason`: the member of staff who withdrew them, and why."""
    return _remove_files(
        ProtectedPackage.objects.select_for_update().filter(
            kind=kind, owner_public_id__in=list(owner_public_ids), removed_at=None
        ),
        by,
        reason,
    )


def remove_expired() -> int:
    """Delete the files of links that have expired; the number removed. Safe to rerun."""
    with transaction.atomic():
        return _remove_files(
            ProtectedPackage.objects.select_for_update().filter(
                removed_at=None, expires_at__lte=timezone.now()
            )
        )


def for_link(token: str) -> ProtectedPackage:
    """The package a link's token opens. PackageRefused("link: ...") when the token is
    unknown, expired or replaced: one message for all three."""
    package = ProtectedPackage.objects.filter(token_sha256=token_hash(token or "")).first()
    if package is None or not package.is_live:
        raise PackageRefused(LINK_ENDED)
    return package


def packages_of(kind: str, owner_public_ids: Iterable[UUID]) -> QuerySet[ProtectedPackage]:
    """The packages of `kind` made from any of `owner_public_ids`, oldest first."""
    return ProtectedPackage.objects.filter(
        kind=kind, owner_public_id__in=list(owner_public_ids)
    ).select_related("made_by")


@transaction.atomic
def download(request: HttpRequest, package: ProtectedPackage) -> bytes:
    """The protected PDF, counted, and audited (an export) against every person the package
    carries: through the link (anyone holding it), or by a signed-in member of staff.

    Raises PackageRefused("link: ...") once the link has expired or was replaced."""
    package = ProtectedPackage.objects.select_for_update().get(pk=package.pk)
    if not package.is_live:
        raise PackageRefused(LINK_ENDED)
    data = documents.read(package.file_sha256)
    package.downloads += 1
    package.save(update_fields=["downloads"])
    who = "staff" if request.user.is_authenticated else "link"
    what = f"{package.get_kind_display().lower()} downloaded ({who})"
    record_many(
        request,
        [
            {
                "action": "export",
                "record_type": RECORD_TYPE,
                "record_id": str(person.public_id),
                "reason": package.reason,
                "rule": package.rule,
                "details": {
                    "what": what,
                    "package": str(package.public_id),
                    "download": package.downloads,
                },
            }
            for person in package.people.order_by("pk")
        ],
    )
    return data
