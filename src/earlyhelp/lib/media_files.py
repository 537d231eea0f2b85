"""Uploaded photos and videos of children: checked by their content, stripped of metadata.

Pure: the standard library and Pillow only. Nothing the browser says is trusted: the file
name only tells which kind the content must then prove to be, by its magic number and by
parsing. Photos are decoded and saved afresh, so no metadata (EXIF with GPS and camera,
XMP, IPTC, PNG text, comments) can survive. MP4 videos keep only the boxes a player needs
(an allowlist); every other box is blanked in place, so that no byte moves: an MP4's chunk
offset tables hold absolute file offsets. A video with a track other than picture and sound
is refused, since its samples (GPS, say) lie in mdat among the frames.
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

# MP4 boxes are cleaned by an allowlist: only the boxes a player needs to show the pictures and
# play the sound (ISO/IEC 14496-12 and 14496-15) are kept, each only where it belongs; any
# other box (udta with ©xyz location and camera make, meta with iTunes-style tags, uuid XMP,
# loci, meco, a vendor's own boxes, ...) becomes a 'free' box of zeros, the same size. Free
# space (free, skip) is zeroed wherever it is: a writer may leave old metadata, or anything,
# in it. The ftyp box, which must come first, is checked, and its unknown brands replaced.
TOP_BOXES = frozenset({b"moov", b"mdat", b"moof", b"mfra"})  # styp, sidx, emsg... are blanked
CHILD_BOXES = {
    b"moov": frozenset({b"mvhd", b"trak", b"mvex"}),
    b"trak": frozenset({b"tkhd", b"edts", b"mdia", b"tref"}),
    b"edts": frozenset({b"elst"}),
    b"mdia": frozenset({b"mdhd", b"hdlr", b"minf"}),
    b"minf": frozenset({b"vmhd", b"smhd", b"nmhd", b"dinf", b"stbl"}),
    b"dinf": frozenset({b"dref"}),
    b"stbl": frozenset({
        b"stsd", b"stts", b"ctts", b"stsc", b"stsz", b"stz2", b"stco", b"co64", b"stss",
        b"sdtp", b"sbgp", b"sgpd", b"cslg", b"subs", b"saiz", b"saio",
    }),
    b"mvex": frozenset({b"mehd", b"trex"}),
    b"moof": frozenset({b"mfhd", b"traf"}),
    b"traf": frozenset({
        b"tfhd", b"tfdt", b"trun", b"sbgp", b"sgpd", b"subs", b"saiz", b"saio",
    }),
    b"mfra": frozenset({b"tfra", b"mfro"}),
}  # fmt: skip
FREE_BOXES = frozenset({b"free", b"skip"})
# Sample entries (stsd's children) a clip may have, by its track's handler: pictures and
# sound. Any other (GoPro's gpmd GPS samples, camm camera motion, tx3g subtitles, mett timed
# metadata) keeps data in mdat that cannot be blanked without rewriting the file, so the video
# is refused, as it is for a track whose handler is not vide or soun.
SAMPLE_ENTRIES = {
    b"vide": frozenset({
        b"avc1", b"avc3", b"hvc1", b"hev1", b"mp4v", b"vp08", b"vp09", b"av01",
    }),
    b"soun": frozenset({b"mp4a", b"Opus", b"ac-3", b"ec-3", b"fLaC"}),
}  # fmt: skip
# A sample entry's fixed fields, after its box header; its child boxes follow them.
VISUAL_ENTRY_FIELDS = 78  # VisualSampleEntry: ... frame_count, compressorname, depth
AUDIO_ENTRY_FIELDS = 28  # AudioSampleEntry: ... channelcount, samplesize, samplerate
COMPRESSOR_NAME = slice(42, 74)  # in the visual fields: a camera may write its make there
HDLR_FIELDS = 24  # version and flags, pre_defined, handler_type, reserved; then the name
# A sample entry's children kept: the codec's configuration and how to show the picture.
CODEC_BOXES = frozenset({
    b"avcC", b"hvcC", b"esds", b"dOps", b"dac3", b"dec3", b"dfLa", b"vpcC", b"av1C", b"pasp",
    b"colr", b"btrt", b"clap", b"fiel", b"mdcv", b"clli",
})  # fmt: skip
TRACK_HANDLERS = set(SAMPLE_ENTRIES)
OTHER_TRACK = (
    "The video has a track other than picture and sound (such as location or camera "
    "data); save it again from the camera or phone without it"
)
# moov/trak/mdia/minf/stbl/stsd/avc1/avcC is 8 deep; the allowlist goes no deeper, so this
# only guards against a mistake in it.
MAX_BOX_DEPTH = 8
# ftyp major brands saying the file is MP4 (QuickTime's "qt  " and HEIC photos are not).
# XAVC is Sony's camera MP4 (XAVC S), compatible with mp42.
MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ",
    b"dash", b"XAVC",
}  # fmt: skip
# Compatible brands kept as they are; any other is overwritten with the major brand (which
# the file already claims), since four printable characters a brand can spell a place.
KNOWN_BRANDS = MP4_BRANDS | {
    b"iso7", b"iso8", b"iso9", b"mp71", b"avc3", b"av01", b"M4VH", b"M4VP", b"M4A ",
    b"M4B ", b"M4P ", b"f4v ", b"MSNV", b"mmp4", b"3gp4", b"3gp5", b"3gp6", b"3gp7",
    b"3gp8", b"3gp9", b"3g2a", b"3g2b", b"3g2c", b"3ge6", b"3ge7", b"3gg6", b"3gs7",
    b"msdh", b"msix", b"cmfc", b"cmf2", b"cmfs", b"cmfl", b"piff", b"ccff", b"dby1",
    b"caqv", b"CAEP", b"kddi",
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
    byte in place but for the boxes not on the allowlist, blanked. Raises MediaRejected for
    anything else.
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
    """Check the MP4's box structure and blank, in place, every box not on the allowlist."""
    video = bytearray(data)
    top = list(_boxes(video, 0, len(video)))  # the top-level boxes tile the whole file
    _, start, header, end = top[0]  # ftyp: the magic number was checked
    _clean_ftyp(video, start + header, end)
    kinds = [box[0] for box in top[1:]]
    moofs, mdats = kinds.count(b"moof"), kinds.count(b"mdat")
    # A recording cut short has no moov (a phone writes it last). A spare mdat is where
    # nothing points but anything can be: one mdat, or one for each fragment (moof).
    if kinds.count(b"moov") != 1 or not 1 <= mdats <= max(moofs, 1):
        raise MediaRejected(DAMAGED_VIDEO)
    _clean_boxes(video, top[1:], TOP_BOXES, depth=0)  # a second ftyp is blanked too
    for moov in top:
        if moov[0] == b"moov":
            _check_tracks(video, moov)
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


def _clean_ftyp(video: bytearray, start: int, end: int) -> None:
    """Check the ftyp payload (major brand, minor version, compatible brands) between
    ``start`` and ``end``: refuse it unless its major brand is MP4's and its compatible
    brands are whole brands of printable characters, none QuickTime's "qt  " (a .mov
    renamed, whatever else it claims). An unknown compatible brand becomes the major one."""
    major = bytes(video[start : start + 4])
    if end - start < 8 or major not in MP4_BRANDS or (end - start) % 4:
        raise MediaRejected(NOT_REAL["video/mp4"])
    for at in range(start + 8, end, 4):
        brand = bytes(video[at : at + 4])
        if brand == b"qt  " or not all(0x20 <= char < 0x7F for char in brand):
            raise MediaRejected(NOT_REAL["video/mp4"])
        if brand not in KNOWN_BRANDS:
            video[at : at + 4] = major


def _clean_boxes(
    video: bytearray, boxes: Iterable[Box], allowed: frozenset[bytes], depth: int
) -> None:
    """Keep the ``allowed`` boxes (cleaning inside those that hold more boxes) and turn any
    other into a 'free' box of zeros, the same size. A box that holds others found out of
    its place (a moov in a moov, say) is a crafted file, refused as damaged."""
    if depth > MAX_BOX_DEPTH:
        raise MediaRejected(DAMAGED_VIDEO)
    for kind, start, header, end in boxes:
        if kind in FREE_BOXES:
            video[start + header : end] = bytes(end - start - header)
        elif kind not in allowed:
            if kind in CHILD_BOXES:
                raise MediaRejected(DAMAGED_VIDEO)
            video[start + 4 : start + 8] = b"free"  # the size field stays as it was
            video[start + header : end] = bytes(end - start - header)  # uuid's id goes too
        elif kind in CHILD_BOXES:
            children = _boxes(video, start + header, end)
            _clean_boxes(video, children, CHILD_BOXES[kind], depth + 1)
        elif kind == b"stsd":
            _clean_sample_entries(video, start + header, end, depth + 1)
        elif kind == b"hdlr" and end - start - header > HDLR_FIELDS:
            name = start + header + HDLR_FIELDS  # "GoPro AVC", say: empty, it shows nowhere
            video[name:end] = bytes(end - name)


def _clean_sample_entries(video: bytearray, start: int, end: int, depth: int) -> None:
    """Clean stsd's payload (version and flags, entry count, the entries): refuse a sample
    entry that is not picture or sound, and keep only the codec boxes inside each."""
    if end - start < 8:
        raise MediaRejected(DAMAGED_VIDEO)
    (count,) = struct.unpack_from(">I", video, start + 4)
    entries = list(_boxes(video, start + 8, end))
    if len(entries) != count:
        raise MediaRejected(DAMAGED_VIDEO)
    for kind, entry, header, entry_end in entries:
        if kind in SAMPLE_ENTRIES[b"vide"]:
            fields = VISUAL_ENTRY_FIELDS
        elif kind in SAMPLE_ENTRIES[b"soun"]:
            fields = AUDIO_ENTRY_FIELDS
        else:
            raise MediaRejected(OTHER_TRACK)
        first = entry + header
        if entry_end - first < fields:
            raise MediaRejected(DAMAGED_VIDEO)
        if fields == VISUAL_ENTRY_FIELDS:
            name = slice(first + COMPRESSOR_NAME.start, first + COMPRESSOR_NAME.stop)
            video[name] = bytes(COMPRESSOR_NAME.stop - COMPRESSOR_NAME.start)
        children = _boxes(video, first + fields, entry_end)
        _clean_boxes(video, children, CODEC_BOXES, depth + 1)


def _check_tracks(video: bytearray, moov: Box) -> None:
    """Refuse a track that is not picture or sound: its handler (trak/mdia/hdlr) must be
    vide or soun, and its sample entries (trak/mdia/minf/stbl/stsd) that handler's kinds.
    A track with no handler is refused too; one with no sample entry is damaged."""
    for trak in _children(video, [moov], b"trak"):
        mdias = _children(video, [trak], b"mdia")
        handlers = {
            bytes(video[h[1] + h[2] + 8 : h[1] + h[2] + 12])  # after version, pre_defined
            for h in _children(video, mdias, b"hdlr")
            if h[3] - h[1] - h[2] >= 12
        }
        if not handlers or not handlers <= TRACK_HANDLERS:
            raise MediaRejected(OTHER_TRACK)
        stbls = _children(video, _children(video, mdias, b"minf"), b"stbl")
        formats = {
            entry[0]
            for stsd in _children(video, stbls, b"stsd")
            for entry in _boxes(video, stsd[1] + stsd[2] + 8, stsd[3])
        }
        if not formats:
            raise MediaRejected(DAMAGED_VIDEO)
        if any(not formats <= SAMPLE_ENTRIES[handler] for handler in handlers):
            raise MediaRejected(OTHER_TRACK)


def _children(video: bytearray, parents: Iterable[Box], kind: bytes) -> list[Box]:
    """The boxes of type ``kind`` directly inside any of ``parents``."""
    return [
        child
        for _, start, header, end in parents
        for child in _boxes(video, start + header, end)
        if child[0] == kind
    ]
