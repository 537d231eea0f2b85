"""Small real files of each accepted type, and broken or hostile ones, made in the tests."""

import io
import struct
import zipfile
import zlib

from pypdf import PdfWriter

MARKER = "Amira Haddad CAMHS referral"  # text to look for in what is stored


def pdf(title: str = MARKER) -> bytes:
    """A one-page PDF whose metadata holds `title` in clear."""
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_from_objects(*objects: bytes, root: int = 1) -> bytes:
    """A PDF written by hand from object bodies (numbered from 1), with a correct xref."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>"


def pdf_with(catalog: bytes = CATALOG, page: bytes = PAGE, *more: bytes) -> bytes:
    """A one-page PDF with the given catalogue and page, and more objects from 4 on."""
    return pdf_from_objects(catalog, PAGES, page, *more)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png() -> bytes:
    """A 1x1 grey PNG."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + png_chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    """A structurally complete baseline JPEG (its pixels are not meant to decode nicely)."""

    def segment(marker: int, body: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body

    return (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(0xDB, b"\x00" + bytes(range(1, 65)))
        + segment(0xC0, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00")
        + segment(0xC4, b"\x00" + b"\x01" + b"\x00" * 15 + b"\x00")
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\x12\xff\x00\x34\xff\xd0\x56"  # scan data, a stuffed 0xFF and a restart marker
        + b"\xff\xd9"
    )


CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
# Relationship types, Transitional OOXML, by their last segment.
OFFICE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MAIN_CONTENT_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)

CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
PACKAGE_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    b"</Relationships>"
)
DOCUMENT_XML = (
    b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
    b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Attendance report</w:t></w:r>'
    b"</w:p></w:body></w:document>"
)
# A document type declaration whose entities expand a billion times (billion laughs).
BILLION_LAUGHS = (
    '<!DOCTYPE Relationships [<!ENTITY a "hahahahahahahahahaha">'
    + "".join(
        f'<!ENTITY {b} "{("&" + a + ";") * 10}">'
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "]>"
)


def _xml(root: str, namespace: str, body: str, prefix: str, encoding: str, doctype: str) -> bytes:
    """An XML part: `root` in `namespace` (bound to `prefix`, or the default), in `encoding`
    (UTF-16 gets its byte order mark, UTF-16LE and UTF-16BE none), with an optional
    document type declaration."""
    label = encoding.upper().replace("-LE", "LE").replace("-BE", "BE")  # as XML names them
    qualified = f"{prefix}:{root}" if prefix else root
    binding = f"xmlns:{prefix}" if prefix else "xmlns"
    text = (
        f'<?xml version="1.0" encoding="{label}"?>{doctype}'
        f'<{qualified} {binding}="{namespace}">{body}</{qualified}>'
    )
    return text.encode(encoding)


def relationship(
    kind: str,
    target: str,
    *,
    mode: str | None = None,
    rid: str = "rId1",
    prefix: str = "",
    extra: str = "",
) -> str:
    """One Relationship element; `kind` is a full type URI or the last segment of an
    officeDocument relationship type (hyperlink, attachedTemplate...)."""
    type_uri = kind if "://" in kind else OFFICE_RELATIONSHIP + kind
    name = f"{prefix}:Relationship" if prefix else "Relationship"
    target_mode = f' TargetMode="{mode}"' if mode is not None else ""
    return f'<{name} Id="{rid}" Type="{type_uri}" Target="{target}"{target_mode}{extra}/>'


def relationships(
    *tags: str, prefix: str = "", encoding: str = "utf-8", doctype: str = ""
) -> bytes:
    """A relationship part holding `tags`, made with `relationship` (same `prefix`)."""
    return _xml("Relationships", RELATIONSHIPS_NS, "".join(tags), prefix, encoding, doctype)


def content_types(*entries: str, encoding: str = "utf-8", doctype: str = "") -> bytes:
    """[Content_Types].xml for the main document part, with more Default/Override `entries`."""
    main = f'<Override PartName="/word/document.xml" ContentType="{MAIN_CONTENT_TYPE}"/>'
    body = "".join(entries) + main
    return _xml("Types", CONTENT_TYPES_NS, body, "", encoding, doctype)


def override(part: str, content_type: str) -> str:
    return f'<Override PartName="{part}" ContentType="{content_type}"/>'


def default(extension: str, content_type: str) -> str:
    return f'<Default Extension="{extension}" ContentType="{content_type}"/>'


def docx(extra: dict[str, bytes] | None = None, content_types: bytes = CONTENT_TYPES) -> bytes:
    """A minimal Word package, with `extra` parts added."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", content_types)
        package.writestr("_rels/.rels", PACKAGE_RELS)
        package.writestr("word/document.xml", DOCUMENT_XML)
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return out.getvalue()


def everyday_docx() -> bytes:
    """A Word document as Word saves one: styles, settings, a picture, properties, a link."""
    ct = content_types(
        default("rels", "application/vnd.openxmlformats-package.relationships+xml"),
        default("xml", "application/xml"),
        default("png", "image/png"),
        override(
            "/word/styles.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
        ),
        override(
            "/word/settings.xml",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
        ),
        override(
            "/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"
        ),
    )
    package_rels = relationships(
        relationship("officeDocument", "word/document.xml"),
        relationship(
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
            "docProps/core.xml",
            rid="rId2",
        ),
    )
    document_rels = relationships(
        relationship("styles", "styles.xml"),
        relationship("settings", "/word/settings.xml", rid="rId2"),
        relationship("image", "media/image1.png", rid="rId3", mode="Internal"),
        relationship("hyperlink", "https://www.gov.uk/", rid="rId4", mode="External"),
        relationship("hyperlink", "mailto:early.help@example.gov.uk", rid="rId5", mode="External"),
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", ct)
        package.writestr("_rels/.rels", package_rels)
        package.writestr("word/document.xml", DOCUMENT_XML)
        package.writestr("word/_rels/document.xml.rels", document_rels)
        package.writestr("word/styles.xml", b'<?xml version="1.0"?><w:styles xmlns:w="x"/>')
        package.writestr("word/settings.xml", b'<?xml version="1.0"?><w:settings xmlns:w="x"/>')
        package.writestr("word/media/image1.png", png())
        package.writestr(
            "docProps/core.xml", b'<?xml version="1.0"?><cp:coreProperties xmlns:cp="x"/>'
        )
    return out.getvalue()


def understate_sizes(archive: bytes, name: str, size: int) -> bytes:
    """The archive with the uncompressed size of part `name` rewritten as `size`, in both
    the local header and the central directory, as a bomb that lies would have it."""
    data = bytearray(archive)
    encoded = name.encode()
    local = data.find(b"PK\x03\x04")
    while local != -1:
        name_length = struct.unpack_from("<H", data, local + 26)[0]
        if data[local + 30 : local + 30 + name_length] == encoded:
            struct.pack_into("<I", data, local + 22, size)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length] == encoded:
            struct.pack_into("<I", data, central + 24, size)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)
