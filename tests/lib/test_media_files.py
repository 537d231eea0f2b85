"""Uploaded photos and videos: checked by content, stripped of location and camera metadata.

Every photo is made here with Pillow and every MP4 is built box by box, so each test shows
exactly what the upload holds. The street, camera and coordinates below are made up.
"""

import io
import random
import struct
import zlib
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from earlyhelp.lib.media_files import MIB, CleanMedia, MediaRejected, clean_media, preview

MAKE = "Acme Optical"
MODEL = "Snapper 3000"
STREET = "12 Acacia Road"
LOCATION = b"+51.5074-000.1278/"
MAKE_TAG, MODEL_TAG, ORIENTATION_TAG, GPS_IFD = 0x010F, 0x0110, 0x0112, 0x8825
BIG = 10 * MIB


# Photos.


def noise(size: tuple[int, int], mode: str = "RGB", seed: int = 1) -> Image.Image:
    """An image of random pixels: it does not compress, so cutting the file loses pixels."""
    bands = len(Image.new(mode, (1, 1)).getbands())
    rng = random.Random(seed)
    return Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * bands))


def encode(image: Image.Image, image_format: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=image_format, **params)
    return out.getvalue()


def camera_exif(orientation: int | None = None) -> Image.Exif:
    """EXIF as a phone writes it: camera make and model, and where the photo was taken."""
    exif = Image.Exif()
    exif[MAKE_TAG] = MAKE
    exif[MODEL_TAG] = MODEL
    if orientation is not None:
        exif[ORIENTATION_TAG] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (51.0, 30.0, 26.64)  # latitude
    gps[3], gps[4] = "W", (0.0, 7.0, 40.08)  # longitude
    return exif


def with_iptc(jpeg: bytes, city: bytes) -> bytes:
    """``jpeg`` with a Photoshop APP13 segment holding IPTC City, just after SOI."""
    iim = b"\x1c\x02\x5a" + struct.pack(">H", len(city)) + city
    payload = b"Photoshop 3.0\x00" + b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iim)) + iim
    return jpeg[:2] + b"\xff\xed" + struct.pack(">H", 2 + len(payload)) + payload + jpeg[2:]


def tagged_jpeg(size: tuple[int, int] = (40, 30), orientation: int | None = None) -> bytes:
    """A JPEG with EXIF (camera, GPS), XMP, a comment and IPTC, all naming a place."""
    jpeg = encode(
        Image.new("RGB", size, "green"),
        "JPEG",
        exif=camera_exif(orientation),
        xmp=f"<x:xmpmeta><City>{STREET}</City></x:xmpmeta>".encode(),
        comment=f"Taken at {STREET}".encode(),
    )
    return with_iptc(jpeg, STREET.encode())


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload))
    )


def png_declaring(width: int, height: int) -> bytes:
    """A small PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b""))
        + png_chunk(b"IEND", b"")
    )


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_jpeg_loses_gps_camera_make_and_model_xmp_iptc_and_comment() -> None:
    upload = tagged_jpeg()
    source = opened(upload)
    assert source.getexif().get_ifd(GPS_IFD)  # the upload really does carry them
    assert source.getexif()[MAKE_TAG] == MAKE
    assert STREET.encode() in upload

    clean = clean_media(upload, "IMG_0001.jpg", max_bytes=BIG)

    assert (clean.kind, clean.content_type) == ("photo", "image/jpeg")
    assert clean.data.startswith(b"\xff\xd8\xff")
    exif = opened(clean.data).getexif()
    assert not exif.get_ifd(GPS_IFD)
    assert MAKE_TAG not in exif
    assert MODEL_TAG not in exif
    assert len(exif) == 0
    for text in (MAKE, MODEL, STREET, "Acacia", "Photoshop", "xmpmeta", "Exif"):
        assert text.encode() not in clean.data
    assert set(opened(clean.data).info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density"}


def test_a_jpeg_is_turned_the_right_way_up_by_its_exif_orientation() -> None:
    # Orientation 6: the camera was turned a quarter clockwise, so the stored pixels must
    # be turned a quarter clockwise to show: the left (red) half comes out on top.
    image = Image.new("RGB", (40, 30), "blue")
    image.paste("red", (0, 0, 20, 30))
    upload = encode(image, "JPEG", quality=95, exif=camera_exif(orientation=6))

    clean = clean_media(upload, "sideways.JPEG", max_bytes=BIG)

    assert (clean.width, clean.height) == (30, 40)
    stored = opened(clean.data).convert("RGB")
    assert stored.size == (30, 40)
    red, _, blue = stored.getpixel((15, 5))
    assert red > 200 and blue < 60
    red, _, blue = stored.getpixel((15, 35))
    assert blue > 200 and red < 60
    assert ORIENTATION_TAG not in opened(clean.data).getexif()  # else viewers turn it again


def test_a_jpeg_without_orientation_keeps_its_size() -> None:
    clean = clean_media(tagged_jpeg((64, 48)), "a.jpg", max_bytes=BIG)
    assert (clean.width, clean.height) == (64, 48)
    assert opened(clean.data).size == (64, 48)


def test_a_cmyk_jpeg_is_stored_as_an_rgb_jpeg() -> None:
    upload = encode(Image.new("CMYK", (10, 10), (0, 255, 255, 0)), "JPEG")
    clean = clean_media(upload, "print.jpg", max_bytes=BIG)
    assert clean.content_type == "image/jpeg"
    assert opened(clean.data).mode == "RGB"


def test_a_jpeg_saved_as_mpo_by_a_phone_is_still_a_jpeg() -> None:
    frame = Image.new("RGB", (20, 10), "red")
    upload = encode(frame, "MPO", save_all=True, append_images=[frame], exif=camera_exif())
    clean = clean_media(upload, "dual_camera.jpg", max_bytes=BIG)
    assert clean.content_type == "image/jpeg"
    assert opened(clean.data).format == "JPEG"
    assert MAKE.encode() not in clean.data


def test_the_icc_colour_profile_is_kept() -> None:
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    upload = encode(Image.new("RGB", (10, 10), "red"), "JPEG", icc_profile=icc)
    clean = clean_media(upload, "colour.jpg", max_bytes=BIG)
    assert opened(clean.data).info["icc_profile"] == icc


def test_a_png_loses_its_text_chunks_and_exif_chunk() -> None:
    text = PngInfo()
    text.add_text("Comment", STREET)  # tEXt
    text.add_text("Author", STREET, zip=True)  # zTXt
    text.add_itxt("Location", STREET)  # iTXt
    upload = encode(Image.new("RGB", (16, 8), "blue"), "PNG", pnginfo=text, exif=camera_exif())
    for chunk in (b"tEXt", b"zTXt", b"iTXt", b"eXIf"):
        assert chunk in upload

    clean = clean_media(upload, "drawing.png", max_bytes=BIG)

    assert (clean.kind, clean.content_type, clean.width, clean.height) == (
        "photo",
        "image/png",
        16,
        8,
    )
    for chunk in (b"tEXt", b"zTXt", b"iTXt", b"eXIf", MAKE.encode(), b"Acacia"):
        assert chunk not in clean.data
    assert not opened(clean.data).getexif()
    assert opened(clean.data).text == {}


def test_a_png_keeps_its_transparency() -> None:
    upload = encode(Image.new("RGBA", (4, 4), (255, 0, 0, 0)), "PNG")
    clean = clean_media(upload, "sticker.png", max_bytes=BIG)
    stored = opened(clean.data)
    assert stored.mode == "RGBA"
    assert stored.getpixel((0, 0)) == (255, 0, 0, 0)


def test_a_palette_png_with_a_transparent_colour_is_stored_with_an_alpha_channel() -> None:
    image = Image.new("P", (4, 4), 1)
    image.putpalette([0, 0, 0, 255, 0, 0])
    upload = encode(image, "PNG", transparency=1)
    stored = opened(clean_media(upload, "icon.png", max_bytes=BIG).data)
    assert stored.mode == "RGBA"
    assert stored.getpixel((0, 0))[3] == 0


def test_a_16_bit_grey_png_stays_16_bit() -> None:
    upload = encode(Image.new("I;16", (4, 4), 60000), "PNG")
    stored = opened(clean_media(upload, "scan.png", max_bytes=BIG).data)
    assert (stored.mode, stored.getpixel((0, 0))) == ("I;16", 60000)


@pytest.mark.parametrize(("image_format", "name"), [("JPEG", "cut.jpg"), ("PNG", "cut.png")])
def test_a_truncated_photo_is_rejected_as_damaged(image_format: str, name: str) -> None:
    whole = encode(noise((64, 64)), image_format)
    assert clean_media(whole, name, max_bytes=BIG).kind == "photo"
    with pytest.raises(MediaRejected, match=r"^The photo is damaged or incomplete$"):
        clean_media(whole[: len(whole) // 2], name, max_bytes=BIG)


def test_a_photo_with_only_its_header_is_rejected_as_damaged() -> None:
    header_only = encode(noise((64, 64)), "PNG")[:33]  # signature and IHDR
    with pytest.raises(MediaRejected, match=r"^The photo is damaged or incomplete$"):
        clean_media(header_only, "a.png", max_bytes=BIG)


def test_a_photo_pillow_fails_on_in_any_way_is_damaged() -> None:
    # Pillow raises ValueError here, not OSError: every failure must become a rejection.
    short_header = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", b"\x00\x00\x00\x04\x00")
    with pytest.raises(MediaRejected, match=r"^The photo is damaged or incomplete$"):
        clean_media(short_header + png_chunk(b"IEND", b""), "a.png", max_bytes=BIG)


def test_a_png_named_jpg_is_not_a_real_jpg() -> None:
    upload = encode(Image.new("RGB", (4, 4)), "PNG")
    with pytest.raises(MediaRejected, match=r"^The file is not a real JPG photo$"):
        clean_media(upload, "photo.jpg", max_bytes=BIG)


def test_a_jpeg_named_png_is_not_a_real_png() -> None:
    upload = encode(Image.new("RGB", (4, 4)), "JPEG")
    with pytest.raises(MediaRejected, match=r"^The file is not a real PNG photo$"):
        clean_media(upload, "photo.png", max_bytes=BIG)


def test_a_text_file_named_png_is_not_a_real_png() -> None:
    with pytest.raises(MediaRejected, match=r"^The file is not a real PNG photo$"):
        clean_media(b"Dear parents, the trip is on Friday.\n", "letter.png", max_bytes=BIG)


def test_a_jpeg_magic_number_with_no_jpeg_after_it_is_damaged() -> None:
    with pytest.raises(MediaRejected, match=r"^The photo is damaged or incomplete$"):
        clean_media(b"\xff\xd8\xff" + b"not really" * 10, "a.jpg", max_bytes=BIG)


TOO_LARGE = r"^The photo is too large \(more than 40 million pixels\)$"


def test_a_photo_over_the_pixel_limit_is_rejected_before_decoding() -> None:
    # 49 million pixels: over the 40 million allowed, under Pillow's own limit.
    with pytest.raises(MediaRejected, match=TOO_LARGE):
        clean_media(png_declaring(7_000, 7_000), "bomb.png", max_bytes=BIG)


def test_a_photo_pillow_warns_is_a_decompression_bomb_is_rejected() -> None:
    # 100 million pixels: Pillow warns (DecompressionBombWarning) but would go on.
    with (
        pytest.warns(Image.DecompressionBombWarning),
        pytest.raises(MediaRejected, match=TOO_LARGE),
    ):
        clean_media(png_declaring(10_000, 10_000), "bomb.png", max_bytes=BIG)


def test_a_photo_pillow_refuses_as_a_decompression_bomb_is_rejected() -> None:
    # 10,000 million pixels: Pillow raises DecompressionBombError.
    with pytest.raises(MediaRejected, match=TOO_LARGE):
        clean_media(png_declaring(100_000, 100_000), "bomb.png", max_bytes=BIG)


def test_the_pixel_limit_can_be_set_lower_and_is_inclusive() -> None:
    upload = encode(Image.new("RGB", (40, 30)), "JPEG")
    assert clean_media(upload, "a.jpg", max_bytes=BIG, max_pixels=1_200).width == 40
    with pytest.raises(MediaRejected, match=r"^The photo is too large \(more than 0.0011 million"):
        clean_media(upload, "a.jpg", max_bytes=BIG, max_pixels=1_100)


def test_the_pixel_limit_can_be_no_higher_than_pillows() -> None:
    limit = Image.MAX_IMAGE_PIXELS
    assert limit is not None
    with (
        pytest.warns(Image.DecompressionBombWarning),
        pytest.raises(MediaRejected, match=rf"more than {limit / 1_000_000:g} million pixels"),
    ):
        clean_media(png_declaring(limit + 1, 1), "a.png", max_bytes=BIG, max_pixels=10**12)


# Sizes and names.


def test_an_empty_file_is_rejected() -> None:
    with pytest.raises(MediaRejected, match=r"^The selected file is empty$"):
        clean_media(b"", "photo.jpg", max_bytes=BIG)


def test_a_file_over_the_size_limit_is_rejected_whatever_it_is() -> None:
    with pytest.raises(MediaRejected, match=r"^The file must be smaller than 2 MB$"):
        clean_media(b"x" * (2 * MIB + 1), "photo.jpg", max_bytes=2 * MIB)


def test_a_file_of_exactly_the_size_limit_is_accepted() -> None:
    upload = encode(Image.new("RGB", (4, 4)), "JPEG")
    assert clean_media(upload, "a.jpg", max_bytes=len(upload)).kind == "photo"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("a.jpg", "image/jpeg"),
        ("a.JPG", "image/jpeg"),
        ("a.jpeg", "image/jpeg"),
        ("Sports.Day.Jpeg", "image/jpeg"),
        ("a.png", "image/png"),
        ("C:\\fakepath\\a.PNG", "image/png"),
    ],
)
def test_photo_extensions_are_matched_whatever_their_case(name: str, content_type: str) -> None:
    upload = encode(Image.new("RGB", (4, 4)), "PNG" if content_type == "image/png" else "JPEG")
    assert clean_media(upload, name, max_bytes=BIG).content_type == content_type


@pytest.mark.parametrize(
    "name", ["clip.mov", "clip.MOV", "photo.gif", "photo.heic", "photo", "jpg", "photo.jpg.exe"]
)
def test_other_extensions_are_rejected(name: str) -> None:
    upload = encode(Image.new("RGB", (4, 4)), "JPEG")
    with pytest.raises(
        MediaRejected, match=r"^The file must be a photo \(JPG or PNG\) or a video \(MP4\)$"
    ):
        clean_media(upload, name, max_bytes=BIG)


# Videos. An MP4 is a run of boxes: size (4 bytes, big-endian), type (4), payload.


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def large_box(kind: bytes, payload: bytes) -> bytes:
    """A box with size field 1, its real size in 64 bits after the type."""
    return struct.pack(">I", 1) + kind + struct.pack(">Q", 16 + len(payload)) + payload


def blank(kind: bytes, payload: bytes) -> bytes:
    """What cleaning makes of a metadata box: 'free', zeros, the same size."""
    return box(b"free", bytes(len(payload)))


MakeBox = Callable[[bytes, bytes], bytes]
FTYP = box(b"ftyp", b"isom" + b"\x00\x00\x02\x00" + b"isomiso2avc1mp41")
MDAT = box(b"mdat", bytes(range(256)) * 4)  # stands in for the frames
XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")


def quicktime_text(text: bytes) -> bytes:
    return struct.pack(">HH", len(text), 0x15C7) + text  # length, language


def udta_payload() -> bytes:
    return box(b"\xa9xyz", quicktime_text(LOCATION)) + box(b"\xa9mak", quicktime_text(b"Acme"))


def meta_payload() -> bytes:
    item = box(b"\xa9mod", box(b"data", bytes(8) + MODEL.encode()))
    return bytes(4) + box(b"hdlr", bytes(8) + b"mdir" + bytes(13)) + box(b"ilst", item)


def hdlr(handler: bytes, name: bytes = b"") -> bytes:
    return box(b"hdlr", bytes(8) + handler + bytes(12) + name + b"\x00")


AVCC = box(b"avcC", bytes.fromhex("01640028ffe1000a6764002aac2b40f00001"))
ESDS = box(b"esds", bytes(4) + bytes.fromhex("03190001000411400000000000000000000005021190"))


def visual_entry(kind: bytes = b"avc1", children: bytes = AVCC, compressor: bytes = b"") -> bytes:
    """A VisualSampleEntry: its 78 bytes of fields (320x240, compressorname), then boxes."""
    fields = (
        bytes(6)
        + struct.pack(">H", 1)  # data_reference_index
        + bytes(16)
        + struct.pack(">HHIII", 320, 240, 0x480000, 0x480000, 0)
        + struct.pack(">H", 1)  # frame_count
        + compressor.ljust(32, b"\x00")
        + struct.pack(">Hh", 24, -1)
    )
    assert len(fields) == 78
    return box(kind, fields + children)


def audio_entry(kind: bytes = b"mp4a", children: bytes = ESDS) -> bytes:
    """An AudioSampleEntry: its 28 bytes of fields (stereo, 16 bits, 48 kHz), then boxes."""
    fields = bytes(6) + struct.pack(">H", 1) + bytes(8) + struct.pack(">HHI", 2, 16, 0)
    fields += struct.pack(">I", 48000 << 16)
    assert len(fields) == 28
    return box(kind, fields + children)


def stsd(*entries: bytes) -> bytes:
    return box(b"stsd", bytes(4) + struct.pack(">I", len(entries)) + b"".join(entries))


def trak(
    handler: bytes = b"vide",
    entry: bytes | None = None,
    extra: bytes = b"",
    *,
    handler_name: bytes = b"",
    stowaway: bytes = b"",
) -> bytes:
    """A track: tkhd, mdia (mdhd, hdlr, minf with dinf and stbl), then ``extra``.

    ``entry`` is its sample entry: by default mp4a for a sound track's handler, else avc1.
    ``stowaway`` is put last in each of mdia, minf, dinf and stbl.
    """
    if entry is None:
        entry = audio_entry() if handler == b"soun" else visual_entry()
    tables = box(b"stts", bytes(8)) + box(b"stsc", bytes(8)) + box(b"stsz", bytes(12))
    offsets = box(b"stco", struct.pack(">II", 1, len(FTYP) + 8))
    stbl = box(b"stbl", stsd(entry) + tables + offsets + stowaway)
    media_header = box(b"vmhd" if handler == b"vide" else b"smhd", bytes(12))
    dinf = box(b"dinf", box(b"dref", bytes(8)) + stowaway)
    minf = box(b"minf", media_header + dinf + stbl + stowaway)
    mdia = box(b"mdia", box(b"mdhd", bytes(24)) + hdlr(handler, handler_name) + minf + stowaway)
    return box(b"trak", box(b"tkhd", bytes(84)) + mdia + extra)


def movie(
    metadata_box: MakeBox = box, handler: bytes = b"vide", entry: bytes | None = None
) -> bytes:
    """ftyp, moov (mvhd, a trak with its own udta, udta, meta), mdat: a phone's MP4.

    ``metadata_box`` makes the udta and meta boxes: ``blank`` gives the expected result.
    """
    moov = box(
        b"moov",
        box(b"mvhd", bytes(100))
        + trak(handler, entry, extra=metadata_box(b"udta", udta_payload()))
        + metadata_box(b"udta", udta_payload())
        + metadata_box(b"meta", meta_payload()),
    )
    return FTYP + moov + MDAT


def test_a_video_loses_its_location_and_camera_boxes_and_no_byte_moves() -> None:
    upload = movie()
    assert LOCATION in upload and MODEL.encode() in upload

    clean = clean_media(upload, "outing.mp4", max_bytes=BIG)

    assert (clean.kind, clean.content_type, clean.width, clean.height) == (
        "video",
        "video/mp4",
        None,
        None,
    )
    assert len(clean.data) == len(upload)
    assert b"+51.5074" not in clean.data
    assert MODEL.encode() not in clean.data and b"Acme" not in clean.data
    assert b"udta" not in clean.data and b"meta" not in clean.data
    assert clean.data.endswith(MDAT)  # the frames, where the offset tables point
    assert clean.data == movie(metadata_box=blank)


def test_free_takes_the_place_of_udta_with_the_same_size_field() -> None:
    upload = movie()
    at = upload.index(b"udta") - 4  # the trak's udta comes first
    clean = clean_media(upload, "outing.mp4", max_bytes=BIG).data
    assert clean[at : at + 4] == upload[at : at + 4]
    assert clean[at + 4 : at + 8] == b"free"
    size = struct.unpack(">I", upload[at : at + 4])[0]
    assert clean[at + 8 : at + size] == bytes(size - 8)


def test_top_level_meta_udta_and_xmp_uuid_boxes_are_blanked() -> None:
    xmp = XMP_UUID + f"<x:xmpmeta>{STREET}</x:xmpmeta>".encode()
    moov = box(b"moov", box(b"mvhd", bytes(100)))

    def video(metadata_box: MakeBox = box) -> bytes:
        return (
            FTYP
            + metadata_box(b"uuid", xmp)
            + moov
            + metadata_box(b"meta", meta_payload())
            + MDAT
            + metadata_box(b"udta", udta_payload())
        )

    clean = clean_media(video(), "a.mp4", max_bytes=BIG).data
    assert clean == video(metadata_box=blank)
    assert STREET.encode() not in clean and XMP_UUID not in clean


def test_boxes_with_a_64_bit_size_are_read_and_blanked_keeping_their_header() -> None:
    payload = udta_payload()
    moov = box(b"moov", box(b"mvhd", bytes(100)) + large_box(b"udta", payload))
    mdat = large_box(b"mdat", b"frames" * 50)
    clean = clean_media(FTYP + moov + mdat, "a.mp4", max_bytes=BIG).data
    expected_moov = box(b"moov", box(b"mvhd", bytes(100)) + large_box(b"free", bytes(len(payload))))
    assert clean == FTYP + expected_moov + mdat


def test_a_last_box_of_size_zero_runs_to_the_end_of_the_file() -> None:
    upload = FTYP + box(b"moov", box(b"udta", udta_payload())) + b"\x00\x00\x00\x00mdat" + b"x" * 99
    clean = clean_media(upload, "a.mp4", max_bytes=BIG).data
    assert len(clean) == len(upload) and LOCATION not in clean


def test_an_m4v_is_an_mp4() -> None:
    assert clean_media(movie(), "CLIP.M4V", max_bytes=BIG).content_type == "video/mp4"


@pytest.mark.parametrize(
    "upload",
    [
        movie()[:-10],  # cut short: mdat's size overruns the file
        FTYP + box(b"moov", b"") + struct.pack(">I", 10**6) + b"mdat" + b"frames",
        FTYP + box(b"moov", b"") + MDAT + b"\x00\x00\x00",  # a stray tail, not a box
        FTYP + box(b"moov", struct.pack(">I", 500) + b"trak") + MDAT,  # overruns its parent
        FTYP + box(b"moov", struct.pack(">I", 4) + b"trak") + MDAT,  # smaller than a header
        FTYP + box(b"moov", b"") + struct.pack(">IIQ", 1, 0x6D646174, 10**9),  # 64-bit overrun
        FTYP + box(b"moov", b"") + struct.pack(">I", 1) + b"mdat" + b"\x00\x00",  # cut 64-bit
    ],
)
def test_a_video_whose_boxes_do_not_fit_the_file_is_damaged(upload: bytes) -> None:
    with pytest.raises(MediaRejected, match=r"^The video is damaged or incomplete$"):
        clean_media(upload, "a.mp4", max_bytes=BIG)


def test_a_video_without_moov_is_damaged() -> None:
    # A phone writes moov last: a recording cut short has none.
    with pytest.raises(MediaRejected, match=r"^The video is damaged or incomplete$"):
        clean_media(FTYP + MDAT, "a.mp4", max_bytes=BIG)


def test_a_video_without_mdat_is_damaged() -> None:
    with pytest.raises(MediaRejected, match=r"^The video is damaged or incomplete$"):
        clean_media(FTYP + box(b"moov", box(b"mvhd", bytes(100))), "a.mp4", max_bytes=BIG)


def test_boxes_nested_deeper_than_any_mp4_are_damaged() -> None:
    nested = box(b"udta", b"")
    for _ in range(1000):
        nested = box(b"moov", nested)
    with pytest.raises(MediaRejected, match=r"^The video is damaged or incomplete$"):
        clean_media(FTYP + nested + MDAT, "a.mp4", max_bytes=BIG)


@pytest.mark.parametrize(
    "upload",
    [
        box(b"free", bytes(8)) + FTYP + box(b"moov", b"") + MDAT,  # ftyp is not first
        box(b"moov", b"") + FTYP + MDAT,
        b"RIFF\x00\x00\x00\x00AVI LIST",
        b"ftyp",  # too short to hold a box
        encode(Image.new("RGB", (4, 4)), "JPEG"),
    ],
)
def test_a_video_must_start_with_an_ftyp_box(upload: bytes) -> None:
    with pytest.raises(MediaRejected, match=r"^The file is not a real MP4 video$"):
        clean_media(upload, "a.mp4", max_bytes=BIG)


@pytest.mark.parametrize(
    "ftyp_payload",
    [
        b"qt  \x00\x00\x02\x00qt  ",  # a QuickTime .mov renamed
        b"heic\x00\x00\x00\x00mif1heic",  # an iPhone photo renamed
        b"isom",  # too short for a minor version
    ],
)
def test_a_video_whose_ftyp_names_no_mp4_brand_is_not_mp4(ftyp_payload: bytes) -> None:
    upload = box(b"ftyp", ftyp_payload) + box(b"moov", b"") + MDAT
    with pytest.raises(MediaRejected, match=r"^The file is not a real MP4 video$"):
        clean_media(upload, "a.mp4", max_bytes=BIG)


def test_a_sony_xavc_s_video_is_an_mp4() -> None:
    upload = box(b"ftyp", b"XAVC\x00\x00\x00\x00XAVCmp42iso2") + box(b"moov", b"") + MDAT
    assert clean_media(upload, "a.mp4", max_bytes=BIG).kind == "video"


# Previews.


def test_a_preview_is_a_jpeg_no_longer_than_the_longest_side_keeping_the_shape() -> None:
    clean = clean_media(encode(noise((1000, 500)), "PNG"), "wide.png", max_bytes=BIG)
    small = preview(clean)
    assert small is not None and small.startswith(b"\xff\xd8\xff")
    assert opened(small).size == (480, 240)
    assert opened(preview(clean, longest_side=100) or b"").size == (100, 50)


def test_a_preview_of_a_small_photo_is_not_enlarged() -> None:
    clean = clean_media(encode(Image.new("RGB", (40, 30)), "JPEG"), "a.jpg", max_bytes=BIG)
    assert opened(preview(clean) or b"").size == (40, 30)


def test_a_preview_carries_no_metadata() -> None:
    clean = clean_media(tagged_jpeg((600, 400), orientation=6), "a.jpg", max_bytes=BIG)
    small = preview(clean, longest_side=120) or b""
    assert opened(small).size == (80, 120)
    assert not opened(small).getexif()
    assert "comment" not in opened(small).info and "xmp" not in opened(small).info
    for text in (MAKE, MODEL, STREET, "Exif"):
        assert text.encode() not in small


def test_a_preview_shows_transparent_parts_on_white() -> None:
    clean = clean_media(
        encode(Image.new("RGBA", (8, 8), (0, 0, 0, 0)), "PNG"), "a.png", max_bytes=BIG
    )
    assert all(channel > 250 for channel in opened(preview(clean) or b"").getpixel((4, 4)))


def test_a_preview_of_a_16_bit_grey_png_keeps_its_tone() -> None:
    clean = clean_media(encode(Image.new("I;16", (4, 4), 32768), "PNG"), "a.png", max_bytes=BIG)
    red, green, blue = opened(preview(clean) or b"").getpixel((2, 2))
    assert 120 < red < 136 and red == green == blue


def test_a_video_has_no_preview() -> None:
    assert preview(clean_media(movie(), "a.mp4", max_bytes=BIG)) is None


def test_a_preview_needs_a_longest_side_of_at_least_one_pixel() -> None:
    clean = clean_media(encode(Image.new("RGB", (4, 4)), "JPEG"), "a.jpg", max_bytes=BIG)
    with pytest.raises(ValueError, match="longest_side"):
        preview(clean, longest_side=0)


# Whatever arrives, the answer is a CleanMedia or a MediaRejected: nothing else escapes.

SAMPLES = [tagged_jpeg(), encode(noise((16, 16)), "PNG"), movie(), movie(handler=b"soun")]
MAGIC_NUMBERS = [b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"\x00\x00\x00\x10ftypisom"]


@st.composite
def uploads(draw: st.DrawFn) -> bytes:
    """Arbitrary bytes, bytes behind a real magic number, or a real file broken somewhere."""
    how = draw(st.sampled_from(["any", "magic", "broken"]))
    if how == "any":
        return draw(st.binary(max_size=600))
    if how == "magic":
        return draw(st.sampled_from(MAGIC_NUMBERS)) + draw(st.binary(max_size=600))
    sample = draw(st.sampled_from(SAMPLES))
    start = draw(st.integers(0, len(sample)))
    end = draw(st.integers(start, min(len(sample), start + 16)))
    return sample[:start] + draw(st.binary(max_size=16)) + sample[end:]


@given(upload=uploads(), name=st.sampled_from(["a.jpg", "a.mp4", "a.png"]))
def test_any_upload_is_cleaned_or_rejected_and_never_raises_anything_else(
    upload: bytes, name: str
) -> None:
    try:
        clean = clean_media(upload, name, max_bytes=BIG)
    except MediaRejected:
        return
    assert isinstance(clean, CleanMedia)
    if clean.kind == "video":
        assert len(clean.data) == len(upload)  # no byte moved
    # What was cleaned is accepted again as it is (nothing left to strip from a video).
    again = clean_media(clean.data, name, max_bytes=BIG)
    assert again.content_type == clean.content_type
    if clean.kind == "video":
        assert again == clean


def test_a_video_with_a_track_other_than_picture_and_sound_is_refused():
    # A GoPro-style GPS track keeps its positions in mdat, where they cannot be blanked.
    for handler in (b"meta", b"camm", b"text"):
        with pytest.raises(MediaRejected, match="track other than picture and sound"):
            clean_media(movie(handler=handler), "clip.mp4", max_bytes=BIG)
    assert clean_media(movie(handler=b"soun"), "clip.mp4", max_bytes=BIG).kind == "video"


def test_metadata_in_a_fragment_and_anything_left_in_free_space_are_blanked():
    fragment = box(b"moof", box(b"traf", box(b"udta", udta_payload())))
    leftover = box(b"free", b"EXIF GPS +34.0522-118.2437/")
    upload = movie() + fragment + leftover
    cleaned = clean_media(upload, "clip.mp4", max_bytes=BIG).data
    assert len(cleaned) == len(upload)
    assert LOCATION not in cleaned and b"+34.0522" not in cleaned


def test_a_quicktime_file_is_not_an_mp4_whatever_brands_it_also_lists():
    quicktime = box(b"ftyp", b"qt  " + bytes(4) + b"isom")
    upload = quicktime + movie()[len(FTYP) :]
    with pytest.raises(MediaRejected, match="not a real MP4 video"):
        clean_media(upload, "clip.mp4", max_bytes=BIG)


# Videos: only the boxes a player needs are kept, each in its place; anything else is blanked.

GPS = box(b"\xa9xyz", quicktime_text(LOCATION))  # a bare location box, as a crafted file has


def moov_with(*boxes: bytes) -> bytes:
    return box(b"moov", box(b"mvhd", bytes(100)) + trak() + b"".join(boxes))


def assert_blanked_in_place(upload: bytes) -> bytes:
    """Clean ``upload``, which names a place, and check the place is gone, the length
    unchanged and the frames (MDAT) where they were."""
    assert LOCATION in upload
    clean = clean_media(upload, "clip.mp4", max_bytes=BIG).data
    assert LOCATION not in clean and b"+51.5074" not in clean
    assert len(clean) == len(upload)
    at = upload.index(MDAT)
    assert clean[at : at + len(MDAT)] == MDAT
    return clean


@pytest.mark.parametrize(
    "kind", [b"wide", b"pdin", b"sidx", b"styp", b"emsg", b"prft", b"XXXX", b"\xa9xyz", b"meco"]
)
def test_an_unknown_top_level_box_is_blanked(kind: bytes) -> None:
    stowaway = box(kind, quicktime_text(LOCATION))
    upload = FTYP + stowaway + moov_with() + MDAT + stowaway
    clean = assert_blanked_in_place(upload)
    gone = blank(kind, stowaway[8:])
    assert clean == FTYP + gone + moov_with() + MDAT + gone


def test_meco_and_the_meta_inside_it_are_blanked_at_the_top_and_in_moov() -> None:
    meco = box(b"meco", box(b"meta", meta_payload() + GPS))
    upload = FTYP + meco + moov_with(meco) + MDAT
    clean = assert_blanked_in_place(upload)
    assert b"meco" not in clean and b"meta" not in clean


@pytest.mark.parametrize("location", [GPS, box(b"loci", bytes(6) + LOCATION + bytes(12))])
def test_a_location_box_directly_in_moov_is_blanked(location: bytes) -> None:
    assert_blanked_in_place(FTYP + moov_with(location) + MDAT)


def test_udta_inside_an_unknown_box_in_moov_or_moof_is_blanked() -> None:
    hideout = box(b"XXXX", box(b"udta", udta_payload()))
    fragment = box(b"moof", box(b"mfhd", bytes(8)) + hideout)
    assert_blanked_in_place(FTYP + moov_with(hideout) + fragment + MDAT)


def test_udta_inside_a_sample_entry_is_blanked_and_its_codec_boxes_kept() -> None:
    pasp = box(b"pasp", struct.pack(">II", 1, 1))
    udta = box(b"udta", udta_payload())

    def video(metadata_box: MakeBox = box) -> bytes:
        entry = visual_entry(children=AVCC + metadata_box(b"udta", udta[8:]) + pasp)
        return FTYP + box(b"moov", box(b"mvhd", bytes(100)) + trak(entry=entry)) + MDAT

    clean = assert_blanked_in_place(video())
    assert clean == video(metadata_box=blank)
    assert AVCC + blank(b"udta", udta[8:]) + pasp in clean


def test_an_unknown_box_among_a_tracks_boxes_is_blanked_at_every_level() -> None:
    # Inside trak, edts, mdia, minf, dinf and stbl the known boxes stay and any other goes.
    edts = box(b"edts", box(b"elst", bytes(8)) + GPS)
    upload = FTYP + box(b"moov", box(b"mvhd", bytes(100)) + trak(extra=edts + GPS, stowaway=GPS))
    upload += MDAT
    assert upload.count(LOCATION) == 6
    clean = assert_blanked_in_place(upload)
    for kept in (b"mvhd", b"tkhd", b"elst", b"mdhd", b"hdlr", b"vmhd", b"dref", b"avcC", b"stco"):
        assert kept in clean


def test_the_handler_name_and_the_compressor_name_are_emptied() -> None:
    # A camera names itself there ("GoPro AVC"); nothing needs them to play.
    camera_track = trak(
        entry=visual_entry(compressor=b"\x11GoPro AVC encoder"), handler_name=b"GoPro AVC  "
    )
    upload = FTYP + box(b"moov", box(b"mvhd", bytes(100)) + camera_track) + MDAT
    clean = clean_media(upload, "clip.mp4", max_bytes=BIG).data
    assert len(clean) == len(upload) and b"GoPro" not in clean
    assert clean == upload.replace(camera_track, trak(handler_name=bytes(11)))


def test_skip_and_free_boxes_are_zeroed_wherever_they_are() -> None:
    spare = box(b"skip", LOCATION)
    assert_blanked_in_place(FTYP + spare + moov_with(box(b"free", LOCATION)) + MDAT + spare)


def test_a_second_ftyp_is_blanked() -> None:
    assert_blanked_in_place(FTYP + moov_with() + MDAT + box(b"ftyp", b"isom" + bytes(4) + LOCATION))


def test_a_known_box_out_of_its_place_is_blanked() -> None:
    misplaced = box(b"hdlr", bytes(8) + b"vide" + bytes(12) + LOCATION)
    assert_blanked_in_place(FTYP + moov_with(misplaced, box(b"stco", LOCATION)) + MDAT)


@pytest.mark.parametrize(
    "upload",
    [
        FTYP + box(b"moov", box(b"mvhd", bytes(100))) + trak() + MDAT,  # trak at the top
        FTYP + moov_with(box(b"moov", b"")) + MDAT,
        FTYP + box(b"moov", box(b"trak", box(b"stbl", b""))) + MDAT,
    ],
)
def test_a_box_that_holds_others_out_of_its_place_is_damaged(upload: bytes) -> None:
    with pytest.raises(MediaRejected, match=r"^The video is damaged or incomplete$"):
        clean_media(upload, "a.mp4", max_bytes=BIG)


# Tracks: the handler says picture or sound, and the sample entries must be that.


@pytest.mark.parametrize("kind", [b"gpmd", b"camm", b"tx3g", b"mett", b"text", b"mp4s"])
def test_a_picture_track_whose_sample_entry_is_not_a_picture_format_is_refused(
    kind: bytes,
) -> None:
    # GoPro's GPS samples (gpmd) lie in mdat: a track labelled vide must still not carry them.
    with pytest.raises(MediaRejected, match="track other than picture and sound"):
        clean_media(movie(entry=box(kind, bytes(8) + LOCATION)), "a.mp4", max_bytes=BIG)


@pytest.mark.parametrize(
    ("handler", "entry"),
    [(b"vide", audio_entry()), (b"soun", visual_entry()), (b"soun", box(b"gpmd", bytes(8)))],
)
def test_a_tracks_sample_entries_must_be_of_its_handlers_kind(handler: bytes, entry: bytes) -> None:
    with pytest.raises(MediaRejected, match="track other than picture and sound"):
        clean_media(movie(handler=handler, entry=entry), "a.mp4", max_bytes=BIG)


@pytest.mark.parametrize(
    ("handler", "entry"),
    [
        *[(b"vide", visual_entry(kind)) for kind in (b"avc3", b"hvc1", b"hev1", b"vp09", b"av01")],
        (b"vide", visual_entry(b"mp4v", ESDS)),
        (b"vide", visual_entry(b"vp08", box(b"vpcC", bytes(12)))),
        *[(b"soun", audio_entry(kind, b"")) for kind in (b"Opus", b"ac-3", b"ec-3", b"fLaC")],
    ],
)
def test_each_picture_and_sound_format_is_accepted(handler: bytes, entry: bytes) -> None:
    upload = movie(handler=handler, entry=entry)
    assert clean_media(upload, "a.mp4", max_bytes=BIG).kind == "video"


def test_a_video_with_picture_and_sound_tracks_is_accepted() -> None:
    moov = box(b"moov", box(b"mvhd", bytes(100)) + trak() + trak(b"soun"))
    upload = FTYP + moov + MDAT
    assert clean_media(upload, "a.mp4", max_bytes=BIG).data == upload


@pytest.mark.parametrize(
    "entry",
    [
        box(b"avc1", bytes(77)),  # one byte short of a visual sample entry's fields
        box(b"mp4a", bytes(27)),  # one byte short of an audio sample entry's fields
    ],
)
def test_a_sample_entry_too_short_for_its_fields_is_damaged(entry: bytes) -> None:
    handler = b"soun" if entry[4:8] == b"mp4a" else b"vide"
    with pytest.raises(MediaRejected, match=r"^The video is damaged or incomplete$"):
        clean_media(movie(handler=handler, entry=entry), "a.mp4", max_bytes=BIG)


@pytest.mark.parametrize(
    "sample_description",
    [
        box(b"stsd", bytes(4) + struct.pack(">I", 0)),  # no sample entry
        box(b"stsd", bytes(4) + struct.pack(">I", 2) + visual_entry()),  # counts two, has one
        box(b"stsd", bytes(6)),  # too short for its entry count
    ],
)
def test_a_track_without_a_whole_sample_description_is_damaged(sample_description: bytes) -> None:
    upload = movie().replace(stsd(visual_entry()), sample_description)
    with pytest.raises(MediaRejected, match=r"^The video is damaged or incomplete$"):
        clean_media(upload, "a.mp4", max_bytes=BIG)


# mdat: one, or one for each fragment.


def test_a_spare_mdat_is_refused() -> None:
    upload = movie() + box(b"mdat", b"Taken at " + LOCATION)
    with pytest.raises(MediaRejected, match=r"^The video is damaged or incomplete$"):
        clean_media(upload, "a.mp4", max_bytes=BIG)


def fragment(sequence: int) -> bytes:
    traf = box(b"traf", box(b"tfhd", struct.pack(">II", 0x20000, 1)) + box(b"trun", bytes(8)))
    return box(b"moof", box(b"mfhd", struct.pack(">II", 0, sequence)) + traf)


def test_a_fragmented_video_keeps_its_fragment_boxes_with_one_mdat_for_each_moof() -> None:
    mvex = box(b"mvex", box(b"mehd", bytes(8)) + box(b"trex", bytes(24)))
    init = FTYP + box(b"moov", box(b"mvhd", bytes(100)) + trak() + mvex)
    random_access = box(b"mfra", box(b"tfra", bytes(16)) + box(b"mfro", bytes(8)))
    upload = init + fragment(1) + MDAT + fragment(2) + MDAT + random_access
    assert clean_media(upload, "a.mp4", max_bytes=BIG).data == upload


def test_a_fragmented_video_with_more_mdat_than_moof_is_refused() -> None:
    upload = FTYP + moov_with() + fragment(1) + MDAT + box(b"mdat", LOCATION)
    with pytest.raises(MediaRejected, match=r"^The video is damaged or incomplete$"):
        clean_media(upload, "a.mp4", max_bytes=BIG)


def test_a_video_with_two_moov_is_damaged() -> None:
    with pytest.raises(MediaRejected, match=r"^The video is damaged or incomplete$"):
        clean_media(movie() + moov_with(GPS), "a.mp4", max_bytes=BIG)


# ftyp: checked, not cleaned.


@pytest.mark.parametrize(
    "ftyp_payload",
    [
        b"isom\x00\x00\x02\x00isomiso2" + LOCATION,  # not a whole number of brands
        b"isom\x00\x00\x02\x00isom\x00GPS",  # a brand that is not printable
        b"isom\x00\x00\x02\x00isom\xa9xyz",
    ],
)
def test_an_ftyp_whose_compatible_brands_are_not_whole_printable_brands_is_refused(
    ftyp_payload: bytes,
) -> None:
    upload = box(b"ftyp", ftyp_payload) + movie()[len(FTYP) :]
    with pytest.raises(MediaRejected, match=r"^The file is not a real MP4 video$"):
        clean_media(upload, "a.mp4", max_bytes=BIG)


def test_an_mp4_major_brand_listing_quicktime_among_its_compatible_brands_is_refused() -> None:
    upload = box(b"ftyp", b"isom\x00\x00\x02\x00isomqt  mp41") + movie()[len(FTYP) :]
    with pytest.raises(MediaRejected, match=r"^The file is not a real MP4 video$"):
        clean_media(upload, "a.mp4", max_bytes=BIG)


@pytest.mark.parametrize("major", [b"M4A ", b"3gp4", b"heic", b"XXXX"])
def test_the_major_brand_must_be_an_mp4_brand_whatever_the_compatible_brands(major: bytes) -> None:
    upload = box(b"ftyp", major + bytes(4) + b"isommp42") + movie()[len(FTYP) :]
    with pytest.raises(MediaRejected, match=r"^The file is not a real MP4 video$"):
        clean_media(upload, "a.mp4", max_bytes=BIG)


def test_an_unknown_compatible_brand_is_overwritten_with_the_major_brand() -> None:
    # Four printable characters a brand: four of them spell a place to within 100 metres.
    spelt = box(b"ftyp", b"mp42\x00\x00\x00\x01isom" + LOCATION[:16])
    upload = spelt + movie()[len(FTYP) :]
    clean = clean_media(upload, "a.mp4", max_bytes=BIG).data
    assert len(clean) == len(upload) and LOCATION[:8] not in clean
    expected_ftyp = box(b"ftyp", b"mp42\x00\x00\x00\x01isom" + b"mp42" * 4)
    assert clean == expected_ftyp + movie(metadata_box=blank)[len(FTYP) :]
