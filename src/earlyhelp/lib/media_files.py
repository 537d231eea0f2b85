"""Uploaded photos and videos of children: checked by their content, stripped of metadata.

Pure: the standard library and Pillow only. Nothing the browser says is trusted: the file
name only tells which kind the content must then prove to be, by its magic number and by
parsing. Photos are decoded and saved afresh, so no metadata (EXIF with GPS and camera,
XMP, IPTC, PNG text, comments) can survive. MP4 videos have their metadata boxes blanked in
place, so that no byte moves: an MP4's chunk offset tables hold absolute file offsets.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from PIL import Image, ImageOps

MIB = 1024 * 1024
JPEG_QUALITY = 90
PREVIEW_QUALITY = 85

# Extension (lower case, no dot) -> content type stored.
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "mp4": "video/mp4",
    "m4v": "video/mp4",
}
NOT_REAL = {
    "image/jpeg": "The file is not a real JPG photo",
    "image/png": "The file is not a real PNG photo",
    "video/mp4": "The file is not a real MP4 video",
}
WRONG_TYPE = "The file must be a photo (JPG or PNG) or a video (MP4)"
DAMAGED_PHOTO = "The photo is damaged or incomplete"
DAMAGED_VIDEO = "The video is damaged or incomplete"

# Pillow's decoder for each; its JPEG one also opens MPO (a phone's JPEG with extra frames).
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# Modes a PNG can hold as they are; others (palette, say) are saved as RGB or RGBA.
PNG_MODES = ("1", "L", "LA", "I;16", "RGB", "RGBA")

# MP4 boxes opened to look for metadata inside, and the boxes blanked wherever they are:
# udta holds ©xyz (location) and camera make/model, meta holds iTunes-style tags, uuid XMP.
# Fragmented MP4s carry udta and meta inside moof/traf (and mvex, mfra) too.
CONTAINER_BOXES = {
    b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"moof", b"traf", b"mvex",
    b"mfra",
}  # fmt: skip
# Metadata boxes are blanked; free space (free, skip) is zeroed too, since a writer may leave
# old metadata, or anything, in it.
METADATA_BOXES = {b"udta", b"meta", b"uuid"}
FREE_BOXES = {b"free", b"skip"}
# Tracks a clip may carry: pictures and sound. A timed-metadata track (GoPro's GPS "meta"
# with gpmd samples, "camm" camera motion, subtitles, "text") keeps data in mdat that cannot
# be blanked without rewriting the file, so the video is refused.
TRACK_HANDLERS = {b"vide", b"soun"}
OTHER_TRACK = (
    "The video has a track other than picture and sound (such as location or camera "
    "data); save it again from the camera or phone without it"
)
MAX_BOX_DEPTH = 8  # moov/trak/mdia/minf/stbl is 5 deep; deeper nesting is a crafted file
# ftyp brands saying the file is MP4 (QuickTime's "qt  " and HEIC photos are not).
MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ",
    b"dash",
}  # fmt: skip

Box = tuple[bytes, int, int, int]  # an MP4 box: type, start, header length, end (offsets)


class MediaRejected(ValueError):
    """An upload that is not accepted; the message names the rule it breaks, in words a
    nursery worker understands (e.g. "The file is not a real JPG photo")."""


@dataclass(frozen=True)
class CleanMedia:
    """An accepted upload, ready to store.

    ``kind`` is "photo" or "video"; ``content_type`` is "image/jpeg", "image/png" or
    "video/mp4"; ``data`` is the bytes to store, with metadata stripped; ``width`` and
    ``height`` are the stored photo's size in pixels (None for a video).
    """

    kind: str
    content_type: str
    data: bytes
    width: int | None
    height: int | None


def clean_media(
    data: bytes, file_name: str, *, max_bytes: int, max_pixels: int = 40_000_000
) -> CleanMedia:
    """Check an upload by its content and return it without location or camera metadata.

    ``file_name``'s extension (.jpg, .jpeg, .png, .mp4, .m4v, any case) says what the file
    must be; ``data`` must then prove it. ``max_bytes`` is the largest upload accepted, in
    bytes; ``max_pixels`` the largest photo, in pixels (width times height; Pillow's own limit,
    ``Image.MAX_IMAGE_PIXELS``, applies too when it is lower). Photos are re-encoded (JPEG
    at quality 90, turned the right way up by their EXIF orientation); videos keep every
    byte in place but for their metadata boxes. Raises MediaRejected for anything else.
    """
    if not data:
        raise MediaRejected("The selected file is empty")
    if len(data) > max_bytes:
        raise MediaRejected(f"The file must be smaller than {max_bytes // MIB} MB")
    _, dot, extension = file_name.strip().rpartition(".")
    content_type = CONTENT_TYPES.get(extension.lower()) if dot else None
    if content_type is None:
        raise MediaRejected(WRONG_TYPE)
    if not _has_magic_number(data, content_type):
        raise MediaRejected(NOT_REAL[content_type])
    if content_type == "video/mp4":
        return _clean_video(data)
    return _clean_photo(data, content_type, max_pixels)


def preview(clean: CleanMedia, *, longest_side: int = 480) -> bytes | None:
    """A small JPEG of a cleaned photo, at most ``longest_side`` pixels on its longest side.

    Transparent parts are shown on white; the JPEG carries no metadata. None for a video
    (nothing here decodes video). Raises ValueError if ``longest_side`` is less than 1.
    """
    if longest_side < 1:
        raise ValueError(f"longest_side must be at least 1, not {longest_side}")
    if clean.kind != "photo":
        return None
    with Image.open(io.BytesIO(clean.data), formats=["JPEG", "PNG"]) as image:
        image.thumbnail((longest_side, longest_side))  # keeps the shape, never enlarges
        if image.mode.startswith("I"):
            image = image.point(lambda value: value / 256)  # 16-bit grey down to 8 bits
        rgba = image.convert("RGBA")
        # The ICC profile still fits RGB pixels; a grey one would not.
        icc = image.info.get("icc_profile") if image.mode in ("RGB", "RGBA") else None
    flat = Image.new("RGB", rgba.size, "white")  # a new image: none of the source's info
    flat.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    flat.save(out, format="JPEG", quality=PREVIEW_QUALITY, icc_profile=icc)
    return out.getvalue()


def _has_magic_number(data: bytes, content_type: str) -> bool:
    if content_type == "image/jpeg":
        return data.startswith(b"\xff\xd8\xff")
    if content_type == "image/png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    return data[4:8] == b"ftyp"  # an MP4 opens with its ftyp box


def _clean_photo(data: bytes, content_type: str, max_pixels: int) -> CleanMedia:
    """Decode the photo fully, turn it the right way up and save it afresh."""
    limit = min(max_pixels, Image.MAX_IMAGE_PIXELS or max_pixels)
    too_large = MediaRejected(
        f"The photo is too large (more than {limit / 1_000_000:g} million pixels)"
    )
    try:
        # Only the decoder the extension names may read it, so the format Pillow finds is
        # that one; and less of Pillow is exposed to the upload.
        with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[content_type]]) as image:
            # The size comes from the header: check it before decoding a single pixel.
            # Pillow only warns between its limit and twice it, so this check is what
            # rejects those; above twice it Pillow raises DecompressionBombError itself.
            if image.width * image.height > limit:
                raise too_large
            image.load()  # raises on a truncated or corrupt file
            ImageOps.exif_transpose(image, in_place=True)
            fresh, icc = _without_metadata(image, content_type)
        out = io.BytesIO()
        if content_type == "image/jpeg":
            fresh.save(out, format="JPEG", quality=JPEG_QUALITY, icc_profile=icc)
        else:
            fresh.save(out, format="PNG", icc_profile=icc)
    except MediaRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_large from None  # the warning arrives as an error under `-W error`
    except Exception:  # Pillow raises many kinds (OSError, SyntaxError, ...) on a bad file
        raise MediaRejected(DAMAGED_PHOTO) from None
    return CleanMedia("photo", content_type, out.getvalue(), fresh.width, fresh.height)


def _without_metadata(image: Image.Image, content_type: str) -> tuple[Image.Image, bytes | None]:
    """A new image with ``image``'s pixels and nothing else, and the ICC profile to keep.

    Saving ``image`` itself would carry its ``info`` along (Pillow writes a JPEG comment
    from it, for one), so the pixels are pasted into an image that never had any.
    """
    if content_type == "image/jpeg":
        mode = image.mode if image.mode in ("L", "RGB") else "RGB"  # CMYK, say
    elif image.mode in PNG_MODES and "transparency" not in image.info:
        mode = image.mode
    else:  # palette and the like: keep any transparency as an alpha channel
        has_alpha = "A" in image.mode or "transparency" in image.info
        mode = "RGBA" if has_alpha else "RGB"
    source = image if image.mode == mode else image.convert(mode)
    fresh = Image.new(mode, source.size)
    fresh.paste(source)
    # An ICC profile identifies no one, but describes the old mode's pixels only.
    icc = image.info.get("icc_profile") if mode == image.mode else None
    return fresh, icc


def _clean_video(data: bytes) -> CleanMedia:
    """Check the MP4's box structure and blank its metadata boxes in place."""
    video = bytearray(data)
    top = list(_boxes(video, 0, len(video)))  # the top-level boxes tile the whole file
    _, start, header, end = top[0]  # ftyp: the magic number was checked
    if not _has_mp4_brand(bytes(video[start + header : end])):
        raise MediaRejected(NOT_REAL["video/mp4"])
    _check_tracks(video, top)
    kinds = {box[0] for box in top}
    if b"moov" not in kinds or b"mdat" not in kinds:
        raise MediaRejected(DAMAGED_VIDEO)  # a recording cut short has no moov
    _blank_metadata(video, top, depth=0)
    return CleanMedia("video", "video/mp4", bytes(video), None, None)


def _boxes(video: bytearray, start: int, end: int) -> Iterator[Box]:
    """The boxes between ``start`` and ``end``: (type, start, header length, end) each.

    Raises MediaRejected unless they fill the span exactly, each one inside it.
    """
    position = start
    while position < end:
        if end - position < 8:
            raise MediaRejected(DAMAGED_VIDEO)
        size, kind = struct.unpack_from(">I4s", video, position)
        header = 8
        if size == 1:  # a 64-bit size follows the type
            if end - position < 16:
                raise MediaRejected(DAMAGED_VIDEO)
            (size,) = struct.unpack_from(">Q", video, position + 8)
            header = 16
        elif size == 0:  # the box runs to the end
            size = end - position
        if size < header or size > end - position:
            raise MediaRejected(DAMAGED_VIDEO)
        yield kind, position, header, position + size
        position += size


def _check_tracks(video: bytearray, top: list[Box]) -> None:
    """Refuse a video with a track that is not picture or sound (its handler, in
    moov/trak/mdia/hdlr), or a track with no handler at all."""
    for kind, start, header, end in top:
        if kind != b"moov":
            continue
        for trak in _boxes(video, start + header, end):
            if trak[0] != b"trak":
                continue
            handlers = [
                bytes(video[h[1] + h[2] + 8 : h[1] + h[2] + 12])  # after version, pre_defined
                for mdia in _boxes(video, trak[1] + trak[2], trak[3])
                if mdia[0] == b"mdia"
                for h in _boxes(video, mdia[1] + mdia[2], mdia[3])
                if h[0] == b"hdlr" and h[3] - h[1] - h[2] >= 12
            ]
            if not handlers or any(h not in TRACK_HANDLERS for h in handlers):
                raise MediaRejected(OTHER_TRACK)


def _has_mp4_brand(ftyp: bytes) -> bool:
    """Whether the ftyp payload (major brand, minor version, compatible brands) names MP4:
    a QuickTime file ("qt  " as its major brand) is not one, whatever else it lists."""
    if len(ftyp) < 8 or ftyp[:4] == b"qt  ":
        return False
    compatible = [ftyp[i : i + 4] for i in range(8, len(ftyp) - 3, 4)]
    return any(brand in MP4_BRANDS for brand in [ftyp[:4], *compatible])


def _blank_metadata(video: bytearray, boxes: Iterable[Box], depth: int) -> None:
    """Turn every metadata box into a 'free' box of zeros, the same size, recursively."""
    if depth > MAX_BOX_DEPTH:
        raise MediaRejected(DAMAGED_VIDEO)
    for kind, start, header, end in boxes:
        if kind in METADATA_BOXES:
            video[start + 4 : start + 8] = b"free"  # the size field stays as it was
            video[start + header : end] = bytes(end - start - header)  # uuid's id goes too
        elif kind in FREE_BOXES:
            video[start + header : end] = bytes(end - start - header)
        elif kind in CONTAINER_BOXES:
            _blank_metadata(video, _boxes(video, start + header, end), depth + 1)
