"""Pages for nursery photos and videos (issue 19): the share queue (each item, and whose
consent blocks each way of sharing it today), an upload, an item with its tags and its
shares, the file itself, and a child's photos and videos with their past shares and the
erasure a parent may ask for.

Need-to-know: an item opens to members of the team that took it with access to every
child in it (consent.media.may_open); every look is audited against every child it shows.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from earlyhelp.access.decorators import role_required
from earlyhelp.access.guards import (
    audit_looks,
    audit_people_shown,
    look,
    read_only,
    restricted_match,
    with_person,
)
from earlyhelp.access.roles import CASEWORK
from earlyhelp.access.rules import Access
from earlyhelp.cases import documents
from earlyhelp.consent import media, services
from earlyhelp.consent.forms import EraseMediaForm, ShareMediaForm, TagsForm, UploadForm
from earlyhelp.consent.models import MediaConsent, MediaItem, MediaShare, MediaTag
from earlyhelp.consent.views import _namer
from earlyhelp.datamap.registry import categories_of
from earlyhelp.packages.views import link_made_page
from earlyhelp.people.models import Person
from earlyhelp.web.forms import add_refusal
from earlyhelp.web.once import submitted_once

SHOWN = (MediaItem, MediaTag, MediaConsent)


def _looks(request: HttpRequest, children, page: str) -> list[dict]:
    categories = categories_of(*SHOWN)
    return [look(Access(True), "person", c.public_id, categories, page=page) for c in children]


def _item(request: HttpRequest, item_id) -> MediaItem:
    """The item, if the reader may open it (else 404: its existence is not confirmed)."""
    item = get_object_or_404(
        MediaItem.objects.select_related("team", "uploaded_by"), public_id=item_id
    )
    if not media.may_open(request, item):
        raise Http404("No such photo or video")
    return item


@role_required(*CASEWORK)
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """The share queue: the team's photos and videos, newest first, each way of sharing
    open or blocked, and why."""
    items, hidden = media.items_for(request)
    name = _namer(request)
    rows = [(item, media.children_in(item), media.ways(item, name=name)) for item in items]
    children = {c.pk: c for _, cs, _ in rows for c in cs}
    audit_looks(request, _looks(request, children.values(), "media-queue"))
    context = {
        "rows": rows,
        "hidden": hidden,
        "may_upload": media.nursery_teams(request.user).exists(),
    }
    return render(request, "consent/media_queue.html", context)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a photo or video, tagging the children in it."""
    children, hidden = services.nursery_children(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, children=children)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            item = media.upload(
                request,
                file_name=upload.name,
                data=upload.read(),
                taken_on=data["taken_on"],
                observation=data["observation"],
                focus=form.chosen("focus"),
                incidental=form.chosen("incidental"),
            )
        except media.MediaRefused as problem:
            add_refusal(form, problem)
        else:
            messages.success(request, f"{item.get_kind_display()} uploaded")
            return redirect("consent:media_item", item_id=item.public_id)
    audit_looks(
        request,
        [restricted_match(c, "media-upload") for c in hidden]
        + _looks(request, children, "media-upload"),
    )
    return render(request, "consent/media_upload.html", {"form": form, "children": children})


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def item_page(request: HttpRequest, item_id) -> HttpResponse:
    """One photo or video: the picture, the observation, who is in it, whether each way of
    sharing is open today, and where it has been shared. Its form shares it one way, if
    every child's consent allows it at that moment: the link and password of its package
    are shown once."""
    item = _item(request, item_id)
    form = None
    if request.method == "POST":
        # Every way is offered to the form: the service asks the consents again, now.
        form = ShareMediaForm(request.POST, ways=media.media_processing().shares)
        if form.is_valid():
            try:
                made, package = media.share(
                    request, item, form.cleaned_data["way"], form.cleaned_data["how"]
                )
            except media.MediaRefused as problem:
                add_refusal(form, problem)
            else:
                return _shared(request, item, made, package)
    children = media.children_in(item)
    audit_looks(request, _looks(request, children, "media-item"))
    return render(request, "consent/media_item.html", _item_context(request, item, children, form))


def _shared(request: HttpRequest, item: MediaItem, made: MediaShare, package) -> HttpResponse:
    """The link and the password of the package just made, shown once and never cached."""
    context = {"item": item, "share": made, "recipient": "the app's provider"}
    return link_made_page(request, "consent/media_shared.html", package, context)


def _item_context(request: HttpRequest, item: MediaItem, children, form=None) -> dict:
    roles = dict(item.tags.values_list("child_id", "role"))
    ways = media.ways(item, name=_namer(request))
    open_ways = [w.share for w in ways if w.open]
    if form is None and open_ways:
        form = ShareMediaForm(ways=open_ways)
    return {
        "item": item,
        "children": [(c, MediaTag.Role(roles[c.pk]).label) for c in children],
        "focus": [c for c in children if roles[c.pk] == MediaTag.Role.FOCUS],
        "others": [c for c in children if roles[c.pk] != MediaTag.Role.FOCUS],
        "ways": ways,
        "shares": item.shares.select_related("shared_by"),
        # A refused share keeps its form, with its errors, even when no way is open now.
        "form": form,
    }


@role_required(*CASEWORK)
@require_safe
def item_file(request: HttpRequest, item_id, size: str) -> HttpResponse:
    """The photo (its preview, or whole) or the video, decrypted; never cached."""
    item = _item(request, item_id)
    sha = item.preview_sha256 if size == "preview" else item.file_sha256
    if not sha:
        raise Http404("No preview")
    try:
        data = documents.read(sha)
    except documents.DocumentUnavailable:
        raise Http404("The file cannot be read") from None
    audit_looks(request, _looks(request, media.children_in(item), f"media-file-{size}"))
    content_type = "image/jpeg" if size == "preview" else item.content_type
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@submitted_once
def edit_tags(request: HttpRequest, item_id) -> HttpResponse:
    """Say again who is in a photo or video."""
    item = _item(request, item_id)
    children, _hidden = services.nursery_children(request.user)
    tagged = {t.child.public_id: t.role for t in item.tags.select_related("child")}
    # A child tagged before but no longer at the nursery is still offered, to untag them.
    offered = {c.pk: c for c in [*children, *media.children_in(item)]}
    initial = {
        "focus": [str(k) for k, r in tagged.items() if r == MediaTag.Role.FOCUS],
        "incidental": [str(k) for k, r in tagged.items() if r == MediaTag.Role.INCIDENTAL],
    }
    form = TagsForm(request.POST or None, children=list(offered.values()), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            media.retag(
                request, item, focus=form.chosen("focus"), incidental=form.chosen("incidental")
            )
        except media.MediaRefused as problem:
            add_refusal(form, problem)
        else:
            messages.success(request, "Children in it saved")
            return redirect("consent:media_item", item_id=item.public_id)
    audit_looks(request, _looks(request, offered.values(), "media-tags"))
    return render(request, "consent/media_tags.html", {"item": item, "form": form})


@role_required(*CASEWORK)
@require_safe
@with_person
def child_media(request: HttpRequest, person: Person) -> HttpResponse:
    """A child's photos and videos, and every share of one they were in: what to ask the
    app's provider to remove after a withdrawal."""
    items = list(MediaItem.objects.filter(tags__child=person).distinct().select_related("team"))
    open_items = [i for i in items if media.may_open(request, i)]
    shares = list(media.past_shares(person))
    others = {c.pk: c for i in open_items for c in media.children_in(i)}
    others.setdefault(person.pk, person)
    audit_people_shown(
        request, request.record_access, others.values(), categories_of(*SHOWN, MediaShare),
        "child-media",
    )  # fmt: skip
    context = {
        "person": person,
        "items": open_items,
        "closed": len(items) - len(open_items),
        "shares": shares,
        "may_change": not request.record_access.read_only,
    }
    return render(request, "consent/child_media.html", context)


@role_required(*CASEWORK)
@require_http_methods(["GET", "HEAD", "POST"])
@with_person
@submitted_once
def erase_child_media(request: HttpRequest, person: Person) -> HttpResponse:
    """Erase every photo and video the child is in, confirmed, with the reason."""
    if request.record_access.read_only:
        return read_only(request, person, request.record_access.rights_request)
    items = list(MediaItem.objects.filter(tags__child=person).distinct())
    form = EraseMediaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = media.erase_child(request, person, form.cleaned_data["reason"])
        except media.MediaRefused as problem:
            add_refusal(form, problem)
        else:
            messages.success(
                request, f"Erased: {count} photo{pluralize(count)} or video{pluralize(count)}"
            )
            return redirect("consent:child_media", person_id=person.public_id)
    # Only items the reader may open are listed (may_open: every child in them open to
    # them); any other makes the erasure one for the nursery's manager, and is counted.
    open_items = [i for i in items if media.may_open(request, i)]
    shown = [(i, [c for c in media.children_in(i) if c.pk != person.pk]) for i in open_items]
    named = {c.pk: c for _, others in shown for c in others}
    audit_looks(request, _looks(request, [person, *named.values()], "erase-child-media"))
    context = {
        "person": person,
        "form": form,
        "count": len(open_items),
        "closed": len(items) - len(open_items),
        "with_others": sum(1 for _, others in shown if others),
        "shown": shown,
    }
    return render(request, "consent/child_media_erase.html", context)


@role_required(*CASEWORK)
@require_POST
@with_person
@submitted_once
def removal_asked(request: HttpRequest, person: Person, share_id) -> HttpResponse:
    """Record that the nursery asked the app's provider to remove a shared item."""
    if request.record_access.read_only:
        return read_only(request, person, request.record_access.rights_request)
    share = get_object_or_404(media.past_shares(person), public_id=share_id)
    try:
        media.record_removal_asked(request, share, person)
    except media.MediaRefused as problem:
        messages.error(request, str(problem).partition(": ")[2])
    else:
        messages.success(request, "Recorded: the provider was asked to remove it")
    return redirect("consent:child_media", person_id=person.public_id)
