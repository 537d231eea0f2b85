"""A shared photo or video leaves for the parents' app as a protected package (the one
protected-export mechanism, packages.services): a PDF saying what it is, to whom and under
which agreement, the children in it (the provider routes it to their parents), the
learning-journey observation, and the photo printed on its page or the video attached to
the file. Encrypted with a new password, behind a link that expires; every download is
audited against each child in it."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.http import HttpRequest
from pypdf import PdfReader, PdfWriter

from earlyhelp.bundles import render
from earlyhelp.cases import documents
from earlyhelp.consent.models import MediaItem, MediaShare, MediaTag
from earlyhelp.lib.plausible import format_day
from earlyhelp.packages import services as packages
from earlyhelp.people.models import Person
from earlyhelp.policy.active import active_policy
from earlyhelp.policy.schema import ConsentShare
from earlyhelp.sharing import words

KINDS = {"image/jpeg": "jpeg", "image/png": "png"}
VIDEO_NAME = "video.mp4"


def content_of(share: MediaShare, item: MediaItem, children: Sequence[Person], way: ConsentShare):
    """What the package prints (bundles.render.Content): the children in focus by name (the
    provider puts it in their learning journeys); any other child only counted, since the
    provider needs nothing more of them (UK GDPR Article 5(1)(c))."""
    policy = active_policy()
    disclosures = list(share.disclosures.all())
    roles = dict(item.tags.values_list("child_id", "role"))
    in_focus = [c.full_name for c in children if roles.get(c.pk) == MediaTag.Role.FOCUS]
    others = sum(1 for c in children if roles.get(c.pk) == MediaTag.Role.INCIDENTAL)
    recipients = dict.fromkeys(d.recipient for d in disclosures)
    agreements = dict.fromkeys(d.agreement for d in disclosures if d.agreement)
    cover = [
        f"What: {share.item_words}",
        f"How it is shared: {way.name}",
        f"Into the learning journey of: {'; '.join(in_focus)}",
        *(
            [f"Other children in it: {others} (not named; each parent agreed to it)"]
            if others
            else []
        ),
        *(f"Shared with: {words.recipient_words(policy, r)}" for r in recipients),
        *(f"Agreement: {words.agreement_words(policy, a)}" for a in agreements),
        f"Why: {words.purpose_words(policy, disclosures[0].purpose)}",
        f"Lawful basis: {disclosures[0].lawful_basis}",
        f"Share reference: {share.public_id}",
    ]
    ref = "item-1"
    section = render.Section(
        title=share.item_words,
        day=item.taken_on,
        category="; ".join(words.categories_words(policy, disclosures[0].categories)),
        source=item.team.name,
        recorded_by=item.uploaded_by.get_full_name() or item.uploaded_by.get_username(),
        passages=(
            [render.Passage(label="Observation", text=item.observation, ref=ref)]
            if item.observation
            else []
        ),
        ref=ref,
    )
    if item.kind == MediaItem.Kind.PHOTO:
        section.attachments.append(
            render.Attachment(
                name="The photo",
                kind=KINDS[item.content_type],
                data=documents.read(item.file_sha256),
                ref=ref,
            )
        )
    else:
        section.passages.append(
            render.Passage(
                label="The video",
                text=f"Attached to this file as {VIDEO_NAME} (taken {format_day(item.taken_on)})",
                ref=ref,
            )
        )
    return render.Content(
        title=f"A photo or video shared by {policy.service_name}",
        reference=str(share.public_id),
        cover=[("About this photo or video", cover)],
        sections=[section],
    )


def _with_video(pdf: bytes, video: bytes) -> bytes:
    """The PDF with the video attached as an embedded file."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_attachment(VIDEO_NAME, video)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make(
    request: HttpRequest,
    share: MediaShare,
    item: MediaItem,
    children: Sequence[Person],
    how: str,
    way: ConsentShare,
) -> packages.Made:
    """Render and protect the package of `share` (packages.make, kind disclosure, owned by
    the share). Raises consent.media.MediaRefused for the package's refusals."""
    from earlyhelp.consent.media import MediaRefused

    pdf = render.render_bundle(content_of(share, item, children, way)).pdf
    if item.kind == MediaItem.Kind.VIDEO:
        pdf = _with_video(pdf, documents.read(item.file_sha256))
    # The rule each download cites: the agreement the first child in focus was shared
    # under (the share's other agreements are on its disclosures).
    first = share.disclosures.order_by("pk").first()
    try:
        return packages.make(
            request,
            pdf,
            kind=packages.Kind.DISCLOSURE,
            owner_public_id=share.public_id,
            how=how,
            people=list(children),
            reason=f"Media share {share.public_id}",
            rule=f"agreement:{first.agreement}" if first and first.agreement else "",
            file_name=f"nursery-media-{share.public_id}.pdf",
        )
    except packages.PackageRefused as refusal:
        raise MediaRefused(str(refusal)) from None
