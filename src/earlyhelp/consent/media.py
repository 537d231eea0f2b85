"""Nursery photos and videos (issue 19; notice sections 5b, 6 and 12): uploaded by nursery
staff, each child in them tagged, shared to the parents' app only while every child's
consent covers the way it goes, and erased when a parent asks.

- `upload` checks the file by its content and strips its location and camera metadata
  (lib.media_files), stores it encrypted (cases.documents), with a preview for a photo,
  and tags the children in it: at least one as the focus.
- `ways` is the gate, asked at the moment of sharing (never at upload): for each way the
  policy shares media (`consent_processing[].shares`), whose consent is not in force today
  and why (`needs`: a child in focus their own-journey consent, every child seen by other
  children's parents the consent to appear in their clips). A consent withdrawn after the
  upload stops every later share.
- `share` sends one item one way: a disclosure for each child and each recipient their
  data goes to, under the agreement the policy finds, and the item in a protected package.
- `erase_child` deletes every photo and video a child is in, their files, previews and any
  package still waiting to be downloaded; the shares stay listed (`past_shares`), so the
  nursery can ask the provider to remove what it holds.

Every write is one audit event against each child in the item. Refusals raise
MediaRefused("field: words"), with nothing written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from earlyhelp.access.models import User
from earlyhelp.access.roles import Role
from earlyhelp.access.rules import (
    allocated_person_ids,
    is_restricted_from,
    person_access,
    restricted_from,
)
from earlyhelp.audit.log import record_many
from earlyhelp.cases import documents
from earlyhelp.cases.choices import CaseRole
from earlyhelp.cases.models import CaseMember, Document, Team
from earlyhelp.consent import services
from earlyhelp.consent.models import CATEGORY, MediaItem, MediaShare, MediaTag
from earlyhelp.consent.words import use_name
from earlyhelp.datamap.registry import categories_of
from earlyhelp.lib import media_files
from earlyhelp.lib.plausible import (
    control_character_error,
    event_date_error,
    format_day,
    text_length_error,
)
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.decisions.sharing import decide_share
from earlyhelp.policy.schema import ConsentProcessing, ConsentShare
from earlyhelp.rights.processing import restricted_problem
from earlyhelp.sharing.models import DisclosedItem, Disclosure

RECORD_TYPE = "person"
RECORD_MODEL = "consent.MediaItem"
OBSERVATION_LIMIT = 5000
Focus, Incidental = MediaTag.Role.FOCUS, MediaTag.Role.INCIDENTAL
# What an event did, and its reason in the trail (access.governance_views.WHAT_WORDS words
# them on the "who has seen" pages).
WHAT = {
    "media uploaded": "Nursery photo or video uploaded",
    "media tagged": "Children in a nursery photo or video changed",
    "media shared": "Nursery photo or video shared through the parents' app",
    "media erased": "Nursery photos and videos erased",
    "media removal asked": "Asked the app's provider to remove a shared photo or video",
    "media past its retention": "Retention period ended",
}


class MediaRefused(ValueError):
    """A photo or video not stored, tagged, shared or erased: "field: words"."""


def media_processing() -> ConsentProcessing:
    """The policy's nursery processing; MediaRefused("policy: ...") when it has none."""
    processing = services.nursery_processing()
    if processing is None:
        raise MediaRefused("policy: the policy has no consent-based processing for nursery media")
    return processing


def _check_staff(user: object) -> User:
    if not isinstance(user, User) or not user.has_role(Role.PRACTITIONER, Role.TEAM_MANAGER):
        raise MediaRefused("user: nursery staff and their managers handle photos and videos")
    return user


# --- who is at the nursery ----------------------------------------------------------------


def nursery_teams(user: User) -> QuerySet[Team]:
    """The user's teams in the nursery services (the policy's `services`)."""
    processing = services.nursery_processing()
    if processing is None:
        return Team.objects.none()
    return Team.objects.filter(members=user, service__in=processing.services).order_by("name")


# --- who may see an item --------------------------------------------------------------------


def children_in(item: MediaItem) -> list[Person]:
    """The children tagged in `item`, the focus first, then by name."""
    tags = sorted(
        item.tags.select_related("child__restriction"),
        key=lambda t: (t.role != Focus, t.child.family_name, t.child.given_name, t.pk),
    )
    return [t.child for t in tags]


def hidden_from(user: User, item: MediaItem) -> bool:
    """Whether `item` is closed to `user`: they are not in the team that took it, or a
    child in it has a record restricted from them."""
    if not item.team.members.filter(pk=user.pk).exists():
        return True
    return any(is_restricted_from(user, child) for child in children_in(item))


def may_open(request: HttpRequest, item: MediaItem) -> bool:
    """Need-to-know on an item: a member of the team that took it, with access to every
    child in it by allocation (a child restricted from the reader closes it)."""
    user = request.user
    if not isinstance(user, User) or hidden_from(user, item):
        return False
    return all(
        (a := person_access(request, child)).allowed and not a.read_only
        for child in children_in(item)
    )


def items_for(request: HttpRequest) -> tuple[list[MediaItem], int]:
    """The photos and videos of the reader's nursery teams that they may open (may_open:
    access to every child in them), newest first, with their tags; and how many were left
    out (a child in them restricted from the reader, or no longer on their cases)."""
    user = request.user
    items = list(
        MediaItem.objects.filter(team__in=nursery_teams(user))
        .select_related("team", "uploaded_by")
        .prefetch_related("tags__child__restriction")
    )
    tagged = {t.child_id for i in items for t in i.tags.all()}
    closed = set(
        restricted_from(user).filter(person_id__in=tagged).values_list("person_id", flat=True)
    )
    # Most children are on the reader's cases: one query; the rest are asked one by one.
    mine = set(
        Person.objects.filter(pk__in=tagged)
        .filter(pk__in=allocated_person_ids(user))
        .values_list("pk", flat=True)
    )
    others = {
        t.child.pk: t.child
        for i in items
        for t in i.tags.all()
        if t.child_id not in mine and t.child_id not in closed
    }
    for pk, child in others.items():
        access = person_access(request, child)
        if access.allowed and not access.read_only:
            mine.add(pk)
    # Restricted from the reader closes an item whatever else opens the child's record.
    mine -= closed
    shown = [i for i in items if all(t.child_id in mine for t in i.tags.all())]
    return shown, len(items) - len(shown)


# --- checks ---------------------------------------------------------------------------------


def _check_children(
    user: User,
    focus: Sequence[Person],
    incidental: Sequence[Person],
    already: Iterable[Person] = (),
) -> list[tuple[Person, str]]:
    """The tags to write, checked: at least one child in focus, each child once, every
    child at the nursery on the user's cases (or tagged `already`: a child who has left
    may stay tagged) and open to processing."""
    if not focus:
        raise MediaRefused("focus: choose the child (or children) the photo or video is about")
    chosen = [*((c, Focus) for c in focus), *((c, Incidental) for c in incidental)]
    pks = [c.pk for c, _ in chosen]
    if len(set(pks)) != len(pks):
        raise MediaRefused("incidental: a child is either the focus or in it by the way, not both")
    at_nursery, _hidden = services.nursery_children(user)
    allowed = {c.pk for c in [*at_nursery, *already]}
    for child, role in chosen:
        if child.pk not in allowed:
            raise MediaRefused(f"{role}: choose from the children at the nursery listed")
        problem = restricted_problem(child, field=role, named=True)
        if problem:
            raise MediaRefused(problem)
    return chosen


def _team_for(user: User, children: Iterable[Person]) -> Team:
    """The user's nursery team holding the case of a child in focus."""
    processing = media_processing()
    today = timezone.localdate()
    team = (
        nursery_teams(user)
        .filter(
            cases__in=CaseMember.objects.filter(
                services.nursery_cases_q(processing, today, "case__"),
                person__in=list(children),
                role=CaseRole.CHILD,
            ).values("case_id")
        )
        .first()
    )
    if team is None:
        raise MediaRefused("focus: the child in focus is not on a case of your nursery team")
    return team


def _observation(value: str) -> str:
    value = (value or "").strip()
    problem = control_character_error(value, field="The observation") or text_length_error(
        value, field="The observation", limit=OBSERVATION_LIMIT
    )
    if problem:
        raise MediaRefused(f"observation: {problem}")
    return value


def _audit(
    request: HttpRequest,
    item: MediaItem,
    children: Iterable[Person],
    action: str,
    what: str,
    **details: object,
) -> None:
    """One event against each child in the item, naming the item and the others. `what`
    is one of WHAT (its words on the "who has seen" pages)."""
    processing = media_processing()
    children = list(children)
    event = {
        "action": action,
        "record_type": RECORD_TYPE,
        "categories": [CATEGORY],
        "purpose": processing.purposes[0],
        "reason": WHAT[what],
    }
    shared_details = {
        "what": what,
        "media": str(item.public_id),
        "children": [str(c.public_id) for c in children],
        **details,
    }
    record_many(
        request,
        [{**event, "record_id": str(c.public_id), "details": shared_details} for c in children],
    )


# --- writes ---------------------------------------------------------------------------------


def _store(data: bytes) -> tuple[str, int]:
    return documents.store(ContentFile(data, name="media"))


def upload(
    request: HttpRequest,
    *,
    file_name: str,
    data: bytes,
    taken_on: date | None,
    observation: str,
    focus: Sequence[Person],
    incidental: Sequence[Person] = (),
) -> MediaItem:
    """Store a photo or video and tag the children in it.

    `data`: the upload's bytes, `file_name` its name (only its extension is read). The
    file is checked by its content and its metadata stripped (lib.media_files.clean_media:
    JPG or PNG photos, MP4 videos, under settings.MEDIA_MAX_BYTES); a photo gets a preview.

    Raises MediaRefused("field: words"), nothing stored, for: a user who is not nursery
    staff; no child in focus, a child twice, a child not at the nursery on the user's
    cases, or restricted from processing; a date missing, in the future or before the
    youngest child was born; an observation too long or with control characters; a file
    refused by its content ("file: ...")."""
    user = _check_staff(request.user)
    chosen = _check_children(user, focus, incidental)
    team = _team_for(user, focus)
    born = [c.date_of_birth for c, _ in chosen if c.date_of_birth]
    if taken_on is None:
        raise MediaRefused("taken_on: enter the date the photo or video was taken")
    problem = event_date_error(
        taken_on,
        field="The date it was taken",
        today=timezone.localdate(),
        born=max(born) if born else None,
        whose="the youngest child's",
    )
    if problem:
        raise MediaRefused(f"taken_on: {problem}")
    observation = _observation(observation)
    try:
        clean = media_files.clean_media(data, file_name, max_bytes=settings.MEDIA_MAX_BYTES)
    except media_files.MediaRejected as problem:
        raise MediaRefused(f"file: {problem}") from None
    preview = media_files.preview(clean)
    file_sha256, size = _store(clean.data)
    preview_sha256 = _store(preview)[0] if preview else ""
    with transaction.atomic():
        item = MediaItem.objects.create(
            team=team,
            kind=clean.kind,
            content_type=clean.content_type,
            file_sha256=file_sha256,
            size=size,
            preview_sha256=preview_sha256,
            width=clean.width,
            height=clean.height,
            observation=observation,
            taken_on=taken_on,
            uploaded_by=user,
        )
        MediaTag.objects.bulk_create(
            MediaTag(item=item, child=child, role=role, tagged_by=user) for child, role in chosen
        )
        _audit(
            request,
            item,
            [c for c, _ in chosen],
            "create",
            "media uploaded",
            tags={str(c.public_id): role for c, role in chosen},
        )
    return item


@transaction.atomic
def retag(
    request: HttpRequest,
    item: MediaItem,
    *,
    focus: Sequence[Person],
    incidental: Sequence[Person] = (),
) -> MediaItem:
    """Say again who is in `item`: the tags are replaced. Refusals as `upload`'s for the
    children. Audited against every child tagged before or after."""
    user = _check_staff(request.user)
    if not may_open(request, item):
        raise MediaRefused("item: you do not have access to every child in this item")
    before = children_in(item)
    chosen = _check_children(user, focus, incidental, already=before)
    item.tags.all().delete()
    MediaTag.objects.bulk_create(
        MediaTag(item=item, child=child, role=role, tagged_by=user) for child, role in chosen
    )
    after = [c for c, _ in chosen]
    everyone = {c.pk: c for c in [*before, *after]}
    _audit(
        request,
        item,
        everyone.values(),
        "change",
        "media tagged",
        tags={str(c.public_id): role for c, role in chosen},
    )
    return item


# --- the gate -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A child whose consent does not cover a way of sharing: who, which use, and why."""

    child: Person
    use: str  # the use's name, in the policy's words
    why: str  # the consent's status in words ("Withdrawn on 1 December 2026 by ...")


@dataclass(frozen=True)
class Way:
    """A way of sharing an item, and the children whose consent stops it today."""

    share: ConsentShare
    blocks: list[Block]

    @property
    def open(self) -> bool:
        return not self.blocks


@dataclass(frozen=True)
class Need:
    """A child in an item, the consent a way of sharing needs of them, and where their data
    goes that way."""

    child: Person
    use: str  # a policy use id
    recipient: str  # a policy recipient id


def needs(way: ConsentShare, tags: Sequence[MediaTag]) -> list[Need]:
    """What `way` needs of each child in an item with `tags` (see policy ConsentShare): a
    child in focus their own-journey consent (to their own parents), and every child seen
    by another child's parents the consent to appear in others' clips."""
    in_focus = [t.child for t in tags if t.role == Focus]
    found = []
    for tag in tags:
        focus = way.focus_use is not None and tag.role == Focus
        if focus:
            found.append(Need(tag.child, way.focus_use, way.focus_recipient))
        # Seen by another child's parents: everyone but a child alone in focus.
        if not (focus and len(in_focus) == 1):
            found.append(Need(tag.child, way.others_use, way.others_recipient))
    return found


def ways(
    item: MediaItem, on: date | None = None, name: Callable[[Person], str] | None = None
) -> list[Way]:
    """Each way the policy shares media, with whose consent blocks it for `item` on `on`
    (today): the gate, asked when sharing. `name` says a parent's name (see
    consent.services.standing)."""
    processing = media_processing()
    on = on or timezone.localdate()
    tags = list(item.tags.select_related("child"))
    children = [t.child for t in tags]
    latest = services.latest_decisions(processing, children, on)
    holders = services.responsibility_holders(children)
    standings = {
        c.pk: {s.use.id: s for s in services.standings(processing, c, latest, on, holders, name)}
        for c in children
    }
    policy = active_policy()
    found = []
    for way in processing.shares:
        blocks = [
            Block(need.child, use_name(policy, processing.id, need.use), standing.why)
            for need in needs(way, tags)
            if not (standing := standings[need.child.pk][need.use]).in_force
        ]
        found.append(Way(way, blocks))
    return found


def _way(processing: ConsentProcessing, way_id: str) -> ConsentShare:
    way = next((w for w in processing.shares if w.id == way_id), None)
    if way is None:
        raise MediaRefused("way: choose one of the ways of sharing listed")
    return way


# --- sharing --------------------------------------------------------------------------------


def item_words(item: MediaItem) -> str:
    """What an item is, in words, without names: "Photo taken on 1 December 2026"."""
    return f"{item.get_kind_display()} taken on {format_day(item.taken_on)}"


@transaction.atomic
def share(request: HttpRequest, item: MediaItem, way_id: str, how: str):
    """Share `item` the way `way_id` (a policy `consent_processing[].shares` id): checks the
    gate today, asks the policy for the agreement with each recipient the way sends a
    child's data to (`needs`), records a disclosure for each child and recipient (the item,
    its categories) and makes the protected package the app's provider downloads. Returns
    (MediaShare, packages.Made: the link's token and password, shown once).

    Raises MediaRefused("field: words") for: no access to every child in it; a child
    restricted from processing; a way not in the policy; a consent not in force ("way:
    ..." naming the child and the use); the policy refusing the share; the package's
    refusals ("how: ...")."""
    from earlyhelp.consent import media_packages  # it renders PDFs

    user = _check_staff(request.user)
    item = MediaItem.objects.select_for_update().get(pk=item.pk)
    if not may_open(request, item):
        raise MediaRefused("item: you do not have access to every child in this item")
    processing = media_processing()
    way = _way(processing, way_id)
    children = children_in(item)
    # A decision recorded for a child locks the child's row (consent.services): held here,
    # none lands between the gate and the disclosures.
    list(Person.objects.select_for_update().filter(pk__in=[c.pk for c in children]))
    problem = restricted_problem(*children, field="item", named=True)
    if problem:
        raise MediaRefused(problem)
    today = timezone.localdate()
    gate = next(w for w in ways(item, today) if w.share.id == way.id)
    if gate.blocks:
        block = gate.blocks[0]
        raise MediaRefused(
            f"way: {block.child.full_name} has no consent in force for '{block.use}' ({block.why})"
        )
    policy = active_policy()
    purpose = processing.purposes[0]
    wanted = needs(way, list(item.tags.select_related("child")))
    decisions = {}
    for recipient in dict.fromkeys(n.recipient for n in wanted):
        decision = decide_share(policy, recipient, purpose, [CATEGORY], today, consent_given=True)
        if not decision.allowed:
            raise MediaRefused(f"way: {decision.reason}")
        decisions[recipient] = decision
    made = MediaShare.objects.create(
        item=item, item_words=item_words(item), way=way.id, shared_by=user
    )
    now = timezone.now()
    disclosures = []
    # One disclosure for each child and each place their data goes.
    for child_pk, recipient in dict.fromkeys((n.child.pk, n.recipient) for n in wanted):
        child = next(c for c in children if c.pk == child_pk)
        decision = decisions[recipient]
        disclosure = Disclosure.objects.create(
            person=child,
            status=Disclosure.Status.SHARED,
            recipient=recipient,
            agreement=decision.agreement_id or "",
            purpose=purpose,
            lawful_basis=decision.lawful_basis or "",
            rule_ids=list(decision.rule_ids),
            categories=[CATEGORY],
            policy_version=policy.version,
            # The parents receive the photos; the notice tells them of the sharing.
            family_told=False,
            method=Disclosure.Method.PROTECTED_PACKAGE,
            created_by=user,
            sent_by=user,
            sent_at=now,
        )
        DisclosedItem.objects.create(
            disclosure=disclosure,
            record_model=RECORD_MODEL,
            record_id=str(item.pk),
            label=made.item_words,
            day=item.taken_on,
            categories=[CATEGORY],
        )
        disclosures.append(disclosure)
    made.disclosures.set(disclosures)
    package = media_packages.make(request, made, item, children, how, way)
    Disclosure.objects.filter(pk__in=[d.pk for d in disclosures]).update(
        reference=str(package.package.public_id)
    )
    _audit(
        request,
        item,
        children,
        "share",
        "media shared",
        share=str(made.public_id),
        way=way.id,
        agreements=sorted({d.agreement for d in disclosures}),
        disclosures=[str(d.public_id) for d in disclosures],
    )
    return made, package


def past_shares(child: Person) -> QuerySet[MediaShare]:
    """Every share of a photo or video the child was in, newest first (the item erased or
    not): what the nursery asks the app's provider to remove."""
    return (
        MediaShare.objects.filter(disclosures__person=child)
        .distinct()
        .select_related("shared_by", "removal_asked_by", "item")
    )


@transaction.atomic
def record_removal_asked(request: HttpRequest, share: MediaShare, child: Person) -> MediaShare:
    """Record that the nursery asked the app's provider to remove `share` (today)."""
    user = _check_staff(request.user)
    share = MediaShare.objects.select_for_update().get(pk=share.pk)
    if share.removal_asked_on is not None:
        raise MediaRefused("share: the provider was asked to remove this already")
    share.removal_asked_on = timezone.localdate()
    share.removal_asked_by = user
    share.save(update_fields=["removal_asked_on", "removal_asked_by"])
    people = list(Person.objects.filter(disclosures__media_shares=share).distinct())
    record_many(
        request,
        [
            {
                "action": "change",
                "record_type": RECORD_TYPE,
                "record_id": str(p.public_id),
                "categories": categories_of(MediaShare),
                "reason": WHAT["media removal asked"],
                "details": {"what": "media removal asked", "share": str(share.public_id)},
            }
            for p in people or [child]
        ],
    )
    return share


# --- erasure --------------------------------------------------------------------------------


def _files_unused(shas: Iterable[str]) -> list[str]:
    """Of `shas`, those no other photo, video or document still uses (the documents folder
    keeps content once however often it was uploaded)."""
    shas = {s for s in shas if s}
    used = set(
        MediaItem.objects.filter(Q(file_sha256__in=shas) | Q(preview_sha256__in=shas))
        .values_list("file_sha256", "preview_sha256")
        .iterator()
    )
    still = {s for pair in used for s in pair} | set(
        Document.objects.filter(sha256__in=shas).values_list("sha256", flat=True)
    )
    return sorted(shas - still)


def erase_items(items: Sequence[MediaItem], by: User | None = None) -> list[str]:
    """Delete `items`, their tags, their files and previews, and the files of any package
    of their shares still waiting to be downloaded (its link ends); the shares stay, the
    item gone. Returns the names of the files deleted. `by`: the member of staff erasing
    them (None for the retention job). No audit: callers record why."""
    from earlyhelp.packages import services as packages

    items = list(items)
    shas = [s for i in items for s in (i.file_sha256, i.preview_sha256) if s]
    shares = list(MediaShare.objects.filter(item__in=items).values_list("public_id", flat=True))
    packages.withdraw(
        packages.Kind.DISCLOSURE, shares, by=by, reason="The photo or video was erased"
    )
    MediaItem.objects.filter(pk__in=[i.pk for i in items]).delete()
    removed = []
    for sha in _files_unused(shas):
        path = documents.path_for(sha)
        if path.exists():
            path.unlink()
            removed.append(path.name)
    return removed


@transaction.atomic
def erase_child(request: HttpRequest, child: Person, reason: str) -> int:
    """Erase every photo and video `child` is tagged in (consent is their basis, so a
    parent's request to erase applies in full: UK GDPR Article 17(1)(b)); the number
    erased. Items other children are in go too: the picture shows this child. `reason`:
    why, in words (the parent's request). Audited against every child in each item.

    Raises MediaRefused for a user who is not nursery staff, no reason, or an item the
    user may not open (may_open: another team's, or a child restricted from them)."""
    user = _check_staff(request.user)
    reason = (reason or "").strip()
    if not reason:
        raise MediaRefused("reason: say why the photos and videos are erased")
    problem = control_character_error(reason, field="The reason") or text_length_error(
        reason, field="The reason", limit=500
    )
    if problem:
        raise MediaRefused(f"reason: {problem}")
    # Locked by id: PostgreSQL locks no rows of a DISTINCT query (an item may tag them twice).
    tagged = MediaItem.objects.filter(tags__child=child).values("pk")
    items = list(MediaItem.objects.select_for_update().filter(pk__in=tagged).order_by("pk"))
    events = []
    for item in items:
        if not may_open(request, item):
            raise MediaRefused(
                "item: some of these photos and videos were taken by a nursery team you are "
                "not in, or show a child whose record you cannot open; ask the nursery's "
                "manager to erase them"
            )
        events.append((item, children_in(item)))
    erase_items(items, by=user)
    for item, children in events:
        _audit(request, item, children, "delete", "media erased", why=reason[:200])
    return len(items)


def due_for_erasure(on: date | None = None) -> list[MediaItem]:
    """Items past the policy's retention rule for nursery media on `on` (today): every
    child in focus past the rule's last day, counted from the rule's trigger (the date of
    birth; Camden's rule: until the child is six). A child in focus whose date of birth is
    not recorded keeps the item. [] when the policy has no such rule."""
    from earlyhelp.policy.decisions.retention import destroy_after, retention_rule

    on = on or timezone.localdate()
    rule = retention_rule(active_policy(), "nursery_media").rule
    if rule is None or rule.trigger != "date_of_birth":
        return []
    due = []
    for item in MediaItem.objects.prefetch_related("tags__child").iterator(chunk_size=500):
        focus = [t.child for t in item.tags.all() if t.role == Focus]
        if focus and all(
            c.date_of_birth and destroy_after(rule, c.date_of_birth) < on for c in focus
        ):
            due.append(item)
    return due


def erase_due(on: date | None = None) -> int:
    """Erase the items due under the retention rule (due_for_erasure), one transaction an
    item, each audited against every child in it citing the rule: safe to stop and rerun.
    The number erased."""
    rule = retention_rule_id()
    erased = 0
    for item in due_for_erasure(on):
        with transaction.atomic():
            item = MediaItem.objects.select_for_update().filter(pk=item.pk).first()
            if item is None:
                continue  # erased since the list was made
            children = children_in(item)
            erase_items([item])
            event = {
                "action": "delete",
                "record_type": RECORD_TYPE,
                "categories": [CATEGORY],
                "rule": f"retention:{rule}",
                "reason": "Retention period ended",
                "details": {
                    "what": "media past its retention",
                    "media": str(item.public_id),
                },
            }
            record_many(None, [{**event, "record_id": str(c.public_id)} for c in children])
            erased += 1
    return erased


def retention_rule_id() -> str:
    """The id of the policy's retention rule for nursery media ("" when it has none)."""
    from earlyhelp.policy.decisions.retention import retention_rule

    rule = retention_rule(active_policy(), "nursery_media").rule
    return rule.id if rule is not None else ""
