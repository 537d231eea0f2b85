"""Documents: their bytes in a folder outside the database, encrypted.

Each file is encrypted with the field-encryption keys (AES-256-GCM in chunks, see
encryption.encrypt_file); the id of its key is in its header, and its name is bound
into the encryption, so a file renamed or moved does not decrypt. The name is a keyed
hash of the content's SHA-256 (encryption.file_name): content uploaded twice is stored
once, and a name tells someone who can list the folder nothing about the content. The
plaintext's SHA-256 stays on the Document row; every read decrypts the whole file and
checks it before a byte is given out.

Uploads are checked by their content before anything is written: the type by its magic
number and then by its structure (a PDF must parse, with no scripts or launch actions;
a PNG or JPG must be complete; a DOCX must be a Word package that does not expand beyond
DOCUMENT_MAX_EXPANDED_BYTES, with no macros or embedded files, whose content types and
relationships, parsed as XML, declare no macros or embedded objects and load nothing
from outside the package but hyperlinks).
"""

import hashlib
import logging
import os
import re
import tempfile
import xml.parsers.expat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from earlyhelp.encryption import (
    DecryptionError,
    decrypt_file,
    encrypt_file,
    file_key_id,
    file_name,
    is_encrypted_file,
    key_ring,
)

logger = logging.getLogger(__name__)

# Magic numbers of the types we accept: the browser's content type is not trusted.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
}
EXTENSIONS = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
READ_CHUNK = 64 * 1024
# A Word document is a few dozen parts; thousands is an archive made to be slow to open.
MAX_DOCX_PARTS = 2000
HEX_NAME = re.compile(r"[0-9a-f]{64}")


class DocumentRejected(ValueError):
    """An upload that is not accepted; the message names the rule it breaks."""


class DocumentUnavailable(OSError):
    """A document's file cannot be given out: `reason` is "missing" or "unreadable"."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


def documents_dir() -> Path:
    """The folder documents are kept in (settings.DOCUMENTS_DIR)."""
    return Path(settings.DOCUMENTS_DIR)


def _name(sha256: str) -> str:
    return file_name("document", sha256)


def _binding(name: str) -> str:
    # The associated data of a document's file: what it is, and its name.
    return f"cases.Document:{name}"


def path_for(sha256: str) -> Path:
    """Where the file of the document with this content SHA-256 is kept."""
    name = _name(sha256)
    return documents_dir() / name[:2] / name


# --- checking an upload ---------------------------------------------------------------------


def check_upload(upload: UploadedFile) -> str:
    """The content type of an acceptable upload, or DocumentRejected saying why not."""
    limit = settings.DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise DocumentRejected(f"The file must be smaller than {limit // (1024 * 1024)} MB")
    if upload.size == 0:
        raise DocumentRejected("The selected file is empty")
    content_type = EXTENSIONS.get(Path(upload.name).suffix.lower())
    if content_type is None:
        raise DocumentRejected("The file must be a PDF, PNG, JPG or Word (DOCX) document")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(SIGNATURES[content_type]):
        raise DocumentRejected(
            f"The file is not a real {Path(upload.name).suffix.upper()[1:]} file"
        )
    try:
        CONTENT_CHECKS[content_type](upload)
    finally:
        upload.seek(0)
    return content_type


# PDF: what may run or open something when the file is viewed. Keys of the rule, in the
# order a refusal names them, and the message naming each rule.
PDF_RULES = {
    "javascript": "The PDF must not contain JavaScript",
    "launch": "The PDF must not contain launch actions (they start other programs)",
    "actions": "The PDF must not run actions by itself when it is opened or used",
    "embedded": "The PDF must not contain embedded files",
    "rich-media": "The PDF must not contain rich media (Flash, video or sound)",
    "xfa": "The PDF must not contain an XFA form (it can run scripts)",
}
# Actions that run code, fetch or play something; a link (/URI, /GoTo) is fine.
PDF_RISKY_ACTIONS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/ImportData": "actions",
    "/GoToE": "embedded",
    "/Rendition": "rich-media",
    "/RichMediaExecute": "rich-media",
    "/Movie": "rich-media",
    "/Sound": "rich-media",
}
NOT_A_PDF = "The file is not a readable PDF"


def _check_pdf(upload: UploadedFile) -> None:
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentRejected(
                "The PDF must not have a password: remove it and upload the file again"
            )
        if len(reader.pages) == 0:
            raise DocumentRejected(f"{NOT_A_PDF}: it has no pages")
        found = pdf_hazards(reader)
    except DocumentRejected:
        raise
    except Exception:  # pypdf raises many kinds of error on a malformed file
        raise DocumentRejected(NOT_A_PDF) from None
    for rule, message in PDF_RULES.items():
        if rule in found:
            raise DocumentRejected(message)


def _pdf_name(dictionary: DictionaryObject, key: str) -> str:
    if key not in dictionary:
        return ""
    value = dictionary[key]  # pypdf resolves an indirect value
    return str(value) if isinstance(value, str) else ""


def _pdf_dictionary_hazards(dictionary: DictionaryObject) -> set[str]:
    keys = set(dictionary.keys())
    found = set()
    if keys & {"/JS", "/JavaScript"}:
        found.add("javascript")
    if "/Launch" in keys:  # a launch action's platform-specific parameters
        found.add("launch")
    action = _pdf_name(dictionary, "/S")
    if action in PDF_RISKY_ACTIONS:
        found.add(PDF_RISKY_ACTIONS[action])
    if "/AA" in keys:  # additional actions: run on opening a page, focusing a field...
        found.add("actions")
    if "/OpenAction" in keys:
        # A destination (an array) only turns to a page; an action dictionary must be a GoTo.
        opening = dictionary["/OpenAction"]
        if isinstance(opening, DictionaryObject) and _pdf_name(opening, "/S") != "/GoTo":
            found.add("actions")
    if keys & {"/EmbeddedFiles", "/EF"} or _pdf_name(dictionary, "/Type") == "/EmbeddedFile":
        found.add("embedded")
    subtype = _pdf_name(dictionary, "/Subtype")
    if subtype == "/FileAttachment":
        found.add("embedded")
    if subtype in {"/RichMedia", "/Movie", "/Sound", "/Screen"} or keys & {
        "/RichMediaContent",
        "/RichMediaSettings",
    }:
        found.add("rich-media")
    if "/XFA" in keys:
        found.add("xfa")
    return found


def pdf_hazards(reader: PdfReader) -> set[str]:
    """The PDF_RULES keys a parsed PDF breaks, looking at every object it holds.

    Every object in the cross-reference tables (object streams included) and every
    object reachable from the trailer is read, not only the pages: a script may hang
    from the catalogue, an annotation, a form field or an orphan object.
    """
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    pending: list = [reader.trailer]
    for generation, numbers in reader.xref.items():
        pending += [IndirectObject(number, generation, reader) for number in numbers]
    pending += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # stream objects too
            found |= _pdf_dictionary_hazards(item)
            pending += dict.values(item)  # unresolved: references are followed once
        elif isinstance(item, ArrayObject):
            pending += list.__iter__(item)
    return found


def _check_png(upload: UploadedFile) -> None:
    """A PNG is its signature, then chunks with correct CRCs, IHDR first, IEND last."""
    broken = DocumentRejected("The file is not a complete PNG image")
    upload.seek(8)
    first, images = True, 0
    while True:
        header = upload.read(8)
        if len(header) != 8:
            raise broken
        length, kind = int.from_bytes(header[:4], "big"), header[4:]
        if length > 2**31 - 1 or not kind.isalpha() or (first and kind != b"IHDR"):
            raise broken
        crc, left = zlib.crc32(kind), length
        while left:
            piece = upload.read(min(left, READ_CHUNK))
            if not piece:
                raise broken
            crc, left = zlib.crc32(piece, crc), left - len(piece)
        if upload.read(4) != crc.to_bytes(4, "big"):
            raise broken
        first = False
        images += kind == b"IDAT"
        if kind == b"IEND":
            break
    if not images:
        raise broken
    if upload.read(1):
        raise DocumentRejected(
            "The PNG image has data after its end: save it again as a PNG and upload that"
        )


# Start-of-frame markers (not DHT C4, JPG C8 or DAC CC, which share the range).
JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_end(data: bytes) -> int | None:
    """Where a JPEG's end-of-image marker ends, walking its segments; None if it breaks."""
    position, size, frame, scan = 2, len(data), False, False
    while position < size:
        if data[position] != 0xFF:
            return None
        while position < size and data[position] == 0xFF:  # fill bytes
            position += 1
        if position >= size:
            return None
        marker = data[position]
        position += 1
        if marker == 0xD9:
            return position if frame and scan else None
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            continue  # markers without a segment
        if marker in (0x00, 0xD8) or position + 2 > size:
            return None
        length = int.from_bytes(data[position : position + 2], "big")
        if length < 2 or position + length > size:
            return None
        position += length
        frame |= marker in JPEG_FRAMES
        if marker == 0xDA:  # start of scan: entropy-coded data runs to the next marker
            if not frame:
                return None
            scan = True
            while True:
                position = data.find(b"\xff", position)
                if position < 0 or position + 1 >= size:
                    return None
                following = data[position + 1]
                if following == 0xFF:
                    position += 1
                elif following == 0x00 or 0xD0 <= following <= 0xD7:
                    position += 2  # a stuffed 0xFF, or a restart marker
                else:
                    break
    return None


def _check_jpeg(upload: UploadedFile) -> None:
    upload.seek(0)
    data = upload.read()  # at most DOCUMENT_MAX_BYTES
    end = _jpeg_end(data)
    if end is None:
        raise DocumentRejected("The file is not a complete JPG image")
    if end != len(data):
        raise DocumentRejected(
            "The JPG image has data after its end (a motion photo, for example): "
            "save it again as a plain JPG and upload that"
        )


NOT_A_DOCX = "The file is not a readable Word (DOCX) document"
EMBEDDED_IN_DOCX = "The Word document must not contain embedded files or objects"
MACROS_IN_DOCX = "The Word document must not contain macros"
LOADS_FROM_ELSEWHERE = (
    "The Word document must not load content from elsewhere (a remote template or object)"
)
DOCX_PARTS = {"[Content_Types].xml", "word/document.xml"}

# The XML of a package that says what its parts are and what each loads: a part's content
# type ([Content_Types].xml) and its relationships (any part named *.rels, in any folder).
# Both are parsed as XML, never searched as text: a prefix, a character reference or an
# encoding other than UTF-8 is what the parser sees, and what Word sees.
CONTENT_TYPES_PART = "[content_types].xml"
RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
# The only relationship Word does not follow by itself: a hyperlink waits for a click.
# Any other with an external target (an attached template, a linked image or object, a
# frame, a subdocument, and types not yet known) fetches its target when the document
# is opened, which is how a harmless-looking document gets its payload; so only a
# hyperlink may point outside the package. Word files made from a template on the
# author's computer name it by an external file:/// relationship and are refused too.
HYPERLINK_TYPES = {
    "http://schemas.openxmlformats.org/officedocument/2006/relationships/hyperlink",
    "http://purl.oclc.org/ooxml/officedocument/relationships/hyperlink",  # Strict OOXML
}
# Relationship types refused wherever they point, by the last segment of the type
# (lower case), so the Transitional, Strict and Microsoft forms of each are all caught.
REFUSED_RELATIONSHIPS = {
    "vbaproject": MACROS_IN_DOCX,
    "wordvbadata": MACROS_IN_DOCX,
    "vbadata": MACROS_IN_DOCX,
    "attachedtoolbars": MACROS_IN_DOCX,
    "keymapcustomizations": MACROS_IN_DOCX,
    "oleobject": EMBEDDED_IN_DOCX,
    "package": EMBEDDED_IN_DOCX,
    "control": EMBEDDED_IN_DOCX,
    "activexcontrol": EMBEDDED_IN_DOCX,
    "activexcontrolbinary": EMBEDDED_IN_DOCX,
}
# Content types refused in [Content_Types].xml (lower case, without parameters).
MACRO_CONTENT_TYPES = {
    "application/vnd.ms-office.vbaproject",
    "application/vnd.ms-word.vbadata+xml",
    "application/vnd.ms-office.vbaprojectsignature",
    "application/vnd.ms-word.attachedtoolbars",
    "application/vnd.ms-word.keymapcustomizations+xml",
}
EMBEDDED_CONTENT_TYPES = {
    "application/vnd.ms-office.activex+xml",
    "application/vnd.ms-office.activex",
    "application/vnd.openxmlformats-officedocument.oleobject",
    "application/vnd.ms-office.oleobject",
}


def _docx_expansion_refused(limit: int) -> DocumentRejected:
    return DocumentRejected(
        f"The Word document must not expand to more than {limit // (1024 * 1024)} MB when opened"
    )


def _check_docx(upload: UploadedFile) -> None:
    limit = settings.DOCUMENT_MAX_EXPANDED_BYTES
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            parts = package.infolist()
            _check_docx_parts(parts, limit)
            _check_docx_contents(package, parts, limit)
    except DocumentRejected:
        raise
    except Exception:  # a damaged archive or XML: zipfile, zlib, expat and others raise
        raise DocumentRejected(NOT_A_DOCX) from None


def _check_docx_parts(parts: list[zipfile.ZipInfo], limit: int) -> None:
    """Refuse on what the archive's directory says, before inflating anything."""
    if len(parts) > MAX_DOCX_PARTS:
        raise DocumentRejected(f"The Word document must not have more than {MAX_DOCX_PARTS} parts")
    names = [part.filename for part in parts]
    lowered = [name.lower() for name in names]
    # Part names are compared without regard to case (OPC): two that differ only in case
    # would leave open which one Word reads.
    if len(set(lowered)) != len(lowered) or not DOCX_PARTS.issubset(names):
        raise DocumentRejected(NOT_A_DOCX)
    if any(part.flag_bits & 0x1 for part in parts):
        raise DocumentRejected(
            "The Word document must not have a password: remove it and upload the file again"
        )
    if any(name.rsplit("/", 1)[-1].startswith("vba") for name in lowered):
        raise DocumentRejected(MACROS_IN_DOCX)
    if any(
        name.startswith(("word/embeddings/", "word/activex/")) or "oleobject" in name
        for name in lowered
    ):
        raise DocumentRejected(EMBEDDED_IN_DOCX)
    # The sizes the directory declares: a bomb that says what it is stops here.
    if sum(part.file_size for part in parts) > limit:
        raise _docx_expansion_refused(limit)


def _check_docx_contents(
    package: zipfile.ZipFile, parts: list[zipfile.ZipInfo], limit: int
) -> None:
    """Inflate every part, counting: a directory that understates sizes is caught here.

    The content types and every relationship part are parsed as they are inflated, so
    what they hold is bounded by the same limit.
    """
    inflated = 0
    for part in parts:
        name = part.filename.lower()
        if name == CONTENT_TYPES_PART:
            parser = _package_xml_parser(_content_type_element)
        elif name.endswith(".rels"):
            parser = _package_xml_parser(_relationship_element)
        else:
            parser = None
        first = True
        with package.open(part) as member:
            while piece := member.read(READ_CHUNK):
                if first and piece.startswith(b"PK\x03\x04"):
                    raise DocumentRejected(EMBEDDED_IN_DOCX)
                first = False
                inflated += len(piece)
                if inflated > limit:
                    raise _docx_expansion_refused(limit)
                if parser:
                    parser.Parse(piece, False)
        if parser:
            parser.Parse(b"", True)  # ExpatError if the part is not whole, well-formed XML


def _refuse_doctype(*_args: object) -> None:
    # No Office part has a document type declaration; refusing it refuses every entity,
    # and so entity expansion (billion laughs) and external entities, in any expat.
    raise DocumentRejected(f"{NOT_A_DOCX}: a part declares a document type (DOCTYPE)")


def _package_xml_parser(on_element) -> xml.parsers.expat.XMLParserType:
    """An expat parser, namespace-aware, that calls `on_element(namespace, name, attributes)`.

    Expat decodes the part as Word does, by its byte order mark or XML declaration
    (UTF-8, UTF-16, ISO-8859-1, US-ASCII; an encoding it does not know is an error),
    and resolves character references in attribute values. Element and attribute names
    arrive as "namespace local-name", whatever prefix the part chose.
    """
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype

    def start(tag: str, attributes: dict[str, str]) -> None:
        namespace, _, name = tag.rpartition(" ")
        # Attributes by local name: a prefixed TargetMode is read as a TargetMode.
        values: dict[str, list[str]] = {}
        for key, value in attributes.items():
            values.setdefault(key.rpartition(" ")[2], []).append(value)
        on_element(namespace, name, values)

    parser.StartElementHandler = start
    return parser


def _content_type_element(namespace: str, name: str, attributes: dict[str, list[str]]) -> None:
    """Refuse a macro-enabled document, or the content type of macros or embedded objects."""
    for value in attributes.get("ContentType", []):
        content_type = value.split(";", 1)[0].strip().lower()
        if "macroenabled" in content_type or content_type in MACRO_CONTENT_TYPES:
            raise DocumentRejected(MACROS_IN_DOCX)
        if content_type in EMBEDDED_CONTENT_TYPES:
            raise DocumentRejected(EMBEDDED_IN_DOCX)


def _relationship_element(namespace: str, name: str, attributes: dict[str, list[str]]) -> None:
    """Check one element of a relationship part: every relationship by its type and target.

    A relationship part holds a Relationships element of Relationship elements in the
    package relationships namespace, and nothing else; anything else is refused rather
    than guessed at.
    """
    if namespace != RELATIONSHIPS_NS or name not in {"Relationships", "Relationship"}:
        raise DocumentRejected(f"{NOT_A_DOCX}: a relationship part holds something else")
    if name == "Relationships":
        return
    types = [value.strip().lower() for value in attributes.get("Type", [])]
    for relationship_type in types:
        refusal = REFUSED_RELATIONSHIPS.get(relationship_type.rstrip("/").rpartition("/")[2])
        if refusal:
            raise DocumentRejected(refusal)
    if types and all(t in HYPERLINK_TYPES for t in types):
        return
    # Anything but the default, Internal, is treated as External; and an internal target
    # that names a scheme, a drive or a server (http:, file:, C:, //host, \\host) points
    # outside the package all the same.
    modes = attributes.get("TargetMode", [])
    if any(mode != "Internal" for mode in modes):
        raise DocumentRejected(LOADS_FROM_ELSEWHERE)
    for target in attributes.get("Target", []):
        target = target.strip()
        if target.startswith(("//", "\\\\")) or urlsplit(target.replace("\\", "/")).scheme:
            raise DocumentRejected(LOADS_FROM_ELSEWHERE)


CONTENT_CHECKS = {
    "application/pdf": _check_pdf,
    "image/png": _check_png,
    "image/jpeg": _check_jpeg,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _check_docx,
}


# --- storing and reading --------------------------------------------------------------------


def _write_encrypted(final: Path, chunks: Iterator[bytes] | list[bytes], binding: str) -> None:
    """Encrypt `chunks` into `final` by way of a temporary file: never half-written."""
    final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=final.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            encrypt_file(chunks, out, binding)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def store(upload: UploadedFile) -> tuple[str, int]:
    """Encrypt the upload into the documents folder; return (sha256, size). Never half-written.

    Reads the upload twice: once for its SHA-256, which names the file and so is bound
    into its encryption, then to encrypt it.
    """
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    sha256 = digest.hexdigest()
    documents_dir().mkdir(parents=True, exist_ok=True, mode=0o700)
    _write_encrypted(path_for(sha256), upload.chunks(), _binding(_name(sha256)))
    return sha256, size


class DecryptedDocument:
    """A document's plaintext, read as a file is (`read`, `close`), decrypted as it goes."""

    def __init__(self, handle: BinaryIO, binding: str) -> None:
        self._handle = handle
        self._chunks = decrypt_file(handle, binding)
        self._chunk, self._offset = b"", 0

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes (all that is left when negative); b"" at the end."""
        parts, wanted = [], size
        while wanted != 0:
            if self._offset >= len(self._chunk):
                self._chunk, self._offset = next(self._chunks, b""), 0
                if not self._chunk:
                    break
            end = len(self._chunk)
            if wanted > 0:
                end = min(end, self._offset + wanted)
                wanted -= end - self._offset
            parts.append(self._chunk[self._offset : end])
            self._offset = end
        return b"".join(parts)

    def close(self) -> None:
        """Close the underlying file."""
        self._chunks.close()
        self._handle.close()

    def __enter__(self) -> "DecryptedDocument":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_document(sha256: str) -> DecryptedDocument:
    """The document with this content SHA-256, checked whole before it is given out.

    The file is decrypted once to check every chunk and the SHA-256 of the plaintext,
    then handed back to be decrypted again as it is read, so a download never starts
    on a file that turns out to be damaged. Raises DocumentUnavailable.
    """
    name = _name(sha256)
    path = documents_dir() / name[:2] / name
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        logger.error("document file %s is missing", name[:12])
        raise DocumentUnavailable("missing", f"document file {name[:12]} is missing") from None
    try:
        digest = hashlib.sha256()
        for chunk in decrypt_file(handle, _binding(name)):
            digest.update(chunk)
        if digest.hexdigest() != sha256:
            raise DecryptionError(f"document file {name[:12]} does not hold the document")
        handle.seek(0)
    except (DecryptionError, OSError) as problem:
        handle.close()
        logger.error("document file %s cannot be read: %s", name[:12], problem)
        raise DocumentUnavailable("unreadable", str(problem)) from None
    return DecryptedDocument(handle, _binding(name))


def read(sha256: str) -> bytes:
    """The whole plaintext of a document, checked; DocumentUnavailable if it cannot be."""
    with open_document(sha256) as document:
        return document.read()


# --- rotation -------------------------------------------------------------------------------


@dataclass
class FileRotation:
    """What re-encrypting the documents folder did."""

    reencrypted: int = 0
    current: int = 0  # already under the current key
    encrypted_from_plain: int = 0  # stored in clear before documents were encrypted
    unreadable: int = 0


def reencrypt_files() -> FileRotation:
    """Re-encrypt, under the current key, every document file written under another one.

    One file at a time, each replaced whole: safe to stop and run again, since files
    already under the current key are only opened to read their header. A file kept in
    clear by an earlier version (named by its plain SHA-256) is encrypted and renamed.
    Nothing needs the database: a file's name is what its encryption is bound to, and
    the keyed name of its plaintext's SHA-256 is checked against it.
    """
    outcome = FileRotation()
    current_id = key_ring().current_id
    folder = documents_dir()
    if not folder.exists():
        return outcome
    for path in sorted(folder.glob("??/*")):
        if not HEX_NAME.fullmatch(path.name):
            continue  # an upload's temporary file, or something not ours
        try:
            with path.open("rb") as handle:
                if not is_encrypted_file(handle):
                    outcome.encrypted_from_plain += _encrypt_plain_file(path)
                    continue
                handle.seek(0)
                if file_key_id(handle, _binding(path.name)) == current_id:
                    outcome.current += 1
                    continue
                handle.seek(0)
                _write_encrypted(path, _checked_chunks(handle, path.name), _binding(path.name))
                outcome.reencrypted += 1
        except (DecryptionError, OSError) as problem:
            logger.warning("document file %s not re-encrypted: %s", path.name[:12], problem)
            outcome.unreadable += 1
    return outcome


def _checked_chunks(handle: BinaryIO, name: str) -> Iterator[bytes]:
    """The plaintext of a document file; at the end, DecryptionError unless its hash fits."""
    digest = hashlib.sha256()
    for chunk in decrypt_file(handle, _binding(name)):
        digest.update(chunk)
        yield chunk
    if _name(digest.hexdigest()) != name:
        raise DecryptionError(f"document file {name[:12]} does not hold what its name says")


def _encrypt_plain_file(path: Path) -> int:
    """Encrypt a file stored in clear under its SHA-256; 1 if done, else DecryptionError."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(READ_CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != path.name:
        raise DecryptionError(f"file {path.name[:12]} is in clear and does not match its name")
    with path.open("rb") as handle:
        chunks = iter(lambda: handle.read(READ_CHUNK), b"")
        target = path_for(path.name)
        _write_encrypted(target, chunks, _binding(target.name))
    path.unlink()
    return 1
