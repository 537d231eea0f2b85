"""An upload is accepted for what its content is, not what its name or first bytes say."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from earlyhelp.cases import documents
from earlyhelp.cases.documents import DocumentRejected, check_upload
from tests.cases import sample_files as sample

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def check(name: str, data: bytes) -> str:
    return check_upload(SimpleUploadedFile(name, data))


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(DocumentRejected) as refused:
        check(name, data)
    return str(refused.value)


# --- PDF ------------------------------------------------------------------------------------


def test_a_plain_pdf_is_accepted():
    assert check("report.pdf", sample.pdf()) == "application/pdf"


def test_pdf_running_javascript_when_opened_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    script = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.launchURL('http://example.com/x');"),
        }
    )
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(script)
    out = io.BytesIO()
    writer.write(out)
    assert refusal("report.pdf", out.getvalue()) == "The PDF must not contain JavaScript"


def test_pdf_with_document_javascript_in_its_names_tree_is_refused():
    catalog = b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 4 0 R >> >>"
    names = b"<< /Names [(init) 5 0 R] >>"
    action = b"<< /S /JavaScript /JS (app.alert(1)) >>"
    data = sample.pdf_with(catalog, sample.PAGE, names, action)
    assert refusal("report.pdf", data) == "The PDF must not contain JavaScript"


def test_pdf_script_behind_an_escaped_name_is_still_found():
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"
    data = sample.pdf_with(catalog, sample.PAGE, b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>")
    assert refusal("report.pdf", data) == "The PDF must not contain JavaScript"


def test_pdf_script_in_an_object_nothing_refers_to_is_still_found():
    orphan = b"<< /S /JavaScript /JS (app.alert(1)) >>"
    data = sample.pdf_with(sample.CATALOG, sample.PAGE, orphan)
    assert refusal("report.pdf", data) == "The PDF must not contain JavaScript"


def test_pdf_with_a_launch_action_is_refused():
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] /Annots [4 0 R] >>"
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 72 72] /A 5 0 R >>"
    launch = b"<< /S /Launch /F (C:\\\\Windows\\\\System32\\\\cmd.exe) >>"
    data = sample.pdf_with(sample.CATALOG, page, link, launch)
    assert refusal("report.pdf", data).startswith("The PDF must not contain launch actions")


def test_pdf_with_additional_actions_on_a_page_is_refused():
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] /AA << /O 4 0 R >> >>"
    fetch = b"<< /S /URI /URI (http://example.com/opened) >>"
    data = sample.pdf_with(sample.CATALOG, page, fetch)
    assert refusal("report.pdf", data) == (
        "The PDF must not run actions by itself when it is opened or used"
    )


def test_pdf_that_opens_at_a_page_and_links_to_a_website_is_accepted():
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] /Annots [4 0 R] >>"
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 72 72] /A << /S /URI /URI (https://x) >> >>"
    assert check("report.pdf", sample.pdf_with(catalog, page, link)) == "application/pdf"


def test_pdf_with_an_embedded_file_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    writer.add_attachment("payload.exe", b"MZ\x90\x00")
    out = io.BytesIO()
    writer.write(out)
    assert refusal("report.pdf", out.getvalue()) == "The PDF must not contain embedded files"


def test_pdf_with_rich_media_is_refused():
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] /Annots [4 0 R] >>"
    annotation = b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 72 72] >>"
    data = sample.pdf_with(sample.CATALOG, page, annotation)
    assert refusal("report.pdf", data).startswith("The PDF must not contain rich media")


def test_html_behind_a_pdf_header_is_refused_as_not_a_readable_pdf():
    data = b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>\n"
    assert refusal("report.pdf", data) == "The file is not a readable PDF"


def test_pdf_with_no_pages_is_refused():
    data = sample.pdf_from_objects(
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"
    )
    assert refusal("report.pdf", data) == "The file is not a readable PDF: it has no pages"


def test_pdf_that_needs_a_password_to_open_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    writer.encrypt(user_password="open sesame", owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    assert refusal("report.pdf", out.getvalue()).startswith("The PDF must not have a password")


def test_pdf_with_only_an_owner_password_is_checked_and_accepted():
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    assert check("report.pdf", out.getvalue()) == "application/pdf"


def test_pdf_script_nested_in_a_form_field_action_is_found():
    # A script two levels down: in a form field's action, reached through an array.
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] /Annots [4 0 R] >>"
    widget = b"<< /Type /Annot /Subtype /Widget /Rect [0 0 9 9] /A << /Next [5 0 R] >> >>"
    data = sample.pdf_with(sample.CATALOG, page, widget, b"<< /JS (app.alert(2)) >>")
    assert refusal("report.pdf", data) == "The PDF must not contain JavaScript"


# --- PNG and JPG ----------------------------------------------------------------------------


def test_a_complete_png_is_accepted():
    assert check("photo.png", sample.png()) == "image/png"


def test_png_with_a_chunk_whose_checksum_is_wrong_is_refused():
    data = bytearray(sample.png())
    data[-5] ^= 0xFF  # the IEND chunk's CRC
    assert refusal("photo.png", bytes(data)) == "The file is not a complete PNG image"


def test_png_cut_short_is_refused():
    assert refusal("photo.png", sample.png()[:-12]) == "The file is not a complete PNG image"


def test_png_signature_with_an_html_body_is_refused():
    data = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"
    assert refusal("photo.png", data) == "The file is not a complete PNG image"


def test_png_with_data_after_its_end_is_refused():
    data = sample.png() + b"<html><script>alert(1)</script></html>"
    assert refusal("photo.png", data).startswith("The PNG image has data after its end")


def test_a_complete_jpeg_is_accepted():
    assert check("photo.jpg", sample.jpeg()) == "image/jpeg"


def test_jpeg_signature_with_an_html_body_is_refused():
    data = b"\xff\xd8\xff<html><script>alert(1)</script></html>"
    assert refusal("photo.jpeg", data) == "The file is not a complete JPG image"


def test_jpeg_without_its_end_marker_is_refused():
    assert refusal("photo.jpg", sample.jpeg()[:-2]) == "The file is not a complete JPG image"


def test_jpeg_with_data_after_its_end_is_refused():
    data = sample.jpeg() + b"PK\x03\x04 an archive appended"
    assert refusal("photo.jpg", data).startswith("The JPG image has data after its end")


# --- Word (DOCX) ----------------------------------------------------------------------------


def test_a_word_document_is_accepted():
    assert check("letter.docx", sample.docx()) == DOCX


def test_a_zip_that_is_not_a_word_document_is_refused():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("index.html", "<html></html>")
    assert refusal("letter.docx", data.getvalue()) == (
        "The file is not a readable Word (DOCX) document"
    )


def test_docx_that_would_expand_beyond_the_limit_is_refused(settings):
    settings.DOCUMENT_MAX_EXPANDED_BYTES = 1024 * 1024
    bomb = sample.docx({"word/media/padding.xml": b"\x00" * (4 * 1024 * 1024)})
    assert len(bomb) < 16 * 1024  # a few KB of zeros, four times the limit inflated
    assert refusal("letter.docx", bomb) == (
        "The Word document must not expand to more than 1 MB when opened"
    )


def test_docx_whose_headers_understate_its_size_is_refused(settings):
    settings.DOCUMENT_MAX_EXPANDED_BYTES = 1024 * 1024
    honest = sample.docx({"word/media/padding.xml": b"\x00" * (4 * 1024 * 1024)})
    lying = sample.understate_sizes(honest, "word/media/padding.xml", 1000)
    # zipfile stops at the declared size, and the checksum of what it read then fails.
    assert refusal("letter.docx", lying) == "The file is not a readable Word (DOCX) document"


def test_docx_with_too_many_parts_is_refused(monkeypatch):
    monkeypatch.setattr(documents, "MAX_DOCX_PARTS", 5)
    parts = {f"word/media/image{n}.png": sample.png() for n in range(5)}
    assert refusal("letter.docx", sample.docx(parts)) == (
        "The Word document must not have more than 5 parts"
    )


def test_docx_with_macros_is_refused():
    data = sample.docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
    assert refusal("letter.docx", data) == "The Word document must not contain macros"


def test_macro_enabled_document_renamed_to_docx_is_refused():
    macro_types = sample.CONTENT_TYPES.replace(
        b"document.main+xml", b"document.macroEnabled.main+xml"
    )
    data = sample.docx(content_types=macro_types)
    assert refusal("letter.docx", data) == "The Word document must not contain macros"


def test_docx_with_an_embedded_object_is_refused():
    data = sample.docx({"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"})
    assert refusal("letter.docx", data) == (
        "The Word document must not contain embedded files or objects"
    )


def test_docx_with_an_archive_hidden_in_a_part_is_refused():
    data = sample.docx({"word/media/image1.png": sample.docx()})
    assert refusal("letter.docx", data) == (
        "The Word document must not contain embedded files or objects"
    )


REMOTE = "The Word document must not load content from elsewhere"
MACROS = "The Word document must not contain macros"
EMBEDDED = "The Word document must not contain embedded files or objects"
TEMPLATE = "http://example.com/t.dotm"
SETTINGS_RELS = "word/_rels/settings.xml.rels"


def test_docx_that_loads_a_remote_template_is_refused():
    rels = sample.relationships(sample.relationship("attachedTemplate", TEMPLATE, mode="External"))
    data = sample.docx({SETTINGS_RELS: rels})
    assert refusal("letter.docx", data).startswith(REMOTE)


def test_docx_with_links_to_websites_is_accepted():
    rels = sample.relationships(
        '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/hyperlink" Target="https://www.gov.uk/" TargetMode="External"/>'
    )
    data = sample.docx({"word/_rels/document.xml.rels": rels})
    assert check("letter.docx", data) == DOCX


def test_an_everyday_word_document_with_a_picture_and_links_is_accepted():
    assert check("letter.docx", sample.everyday_docx()) == DOCX


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "iso-8859-1"])
def test_docx_with_a_hyperlink_in_a_relationship_part_of_another_encoding_is_accepted(encoding):
    rels = sample.relationships(
        sample.relationship("hyperlink", "https://www.gov.uk/", mode="External", prefix="r-1"),
        prefix="r-1",
        encoding=encoding,
    )
    assert check("letter.docx", sample.docx({"word/_rels/document.xml.rels": rels})) == DOCX


def test_docx_with_a_strict_ooxml_hyperlink_is_accepted():
    strict = "http://purl.oclc.org/ooxml/officeDocument/relationships/hyperlink"
    rels = sample.relationships(sample.relationship(strict, "https://www.gov.uk/", mode="External"))
    assert check("letter.docx", sample.docx({"word/_rels/document.xml.rels": rels})) == DOCX


# The bypasses of a regex over the bytes: each is the same remote template, written so that
# a parser reads what Word reads.


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_remote_template_in_a_utf16_relationship_part_is_refused(encoding):
    rels = sample.relationships(
        sample.relationship("attachedTemplate", TEMPLATE, mode="External"), encoding=encoding
    )
    assert refusal("letter.docx", sample.docx({SETTINGS_RELS: rels})).startswith(REMOTE)


@pytest.mark.parametrize("prefix", ["r-1", "r.x", "pkg_rel", "é"])
def test_remote_template_behind_any_namespace_prefix_is_refused(prefix):
    rels = sample.relationships(
        sample.relationship("attachedTemplate", TEMPLATE, mode="External", prefix=prefix),
        prefix=prefix,
    )
    assert refusal("letter.docx", sample.docx({SETTINGS_RELS: rels})).startswith(REMOTE)


@pytest.mark.parametrize("mode", ["&#69;xternal", "&#x45;xtern&#97;l", "External ", "EXTERNAL"])
def test_remote_template_whose_target_mode_is_written_otherwise_is_refused(mode):
    rels = sample.relationships(sample.relationship("attachedTemplate", TEMPLATE, mode=mode))
    assert refusal("letter.docx", sample.docx({SETTINGS_RELS: rels})).startswith(REMOTE)


def test_remote_template_with_a_namespaced_target_mode_attribute_is_refused():
    namespaced = f' xmlns:p="{sample.RELATIONSHIPS_NS}" p:TargetMode="External"'
    rels = sample.relationships(sample.relationship("attachedTemplate", TEMPLATE, extra=namespaced))
    assert refusal("letter.docx", sample.docx({SETTINGS_RELS: rels})).startswith(REMOTE)


@pytest.mark.parametrize(
    "part",
    [
        "word/_rels/document.xml.rels",
        "word/_rels/header1.xml.rels",
        "word/glossary/_rels/document.xml.rels",
        "customXml/_rels/item1.xml.rels",
        "word/_rels/footer2.xml.RELS",
    ],
)
def test_every_relationship_part_in_any_folder_is_checked(part):
    rels = sample.relationships(sample.relationship("attachedTemplate", TEMPLATE, mode="External"))
    assert refusal("letter.docx", sample.docx({part: rels})).startswith(REMOTE)


@pytest.mark.parametrize(
    "kind, target",
    [
        ("attachedTemplate", "file:///C:/Users/sam/Templates/Letter.dotx"),
        ("attachedTemplate", "\\\\fileserver\\share\\t.dotm"),
        ("subDocument", "http://example.com/part.docx"),
        ("frame", "http://example.com/frame.html"),
        ("image", "http://example.com/pixel.png"),  # a linked picture: a read receipt
        ("externalLinkPath", "http://example.com/book.xlsx"),
        ("http://example.com/relationships/not-yet-known", TEMPLATE),
    ],
)
def test_only_a_hyperlink_may_point_outside_the_package(kind, target):
    rels = sample.relationships(sample.relationship(kind, target, mode="External"))
    data = sample.docx({"word/_rels/document.xml.rels": rels})
    assert refusal("letter.docx", data).startswith(REMOTE)


@pytest.mark.parametrize(
    "target",
    [TEMPLATE, "file:///C:/t.dotm", "C:\\t.dotm", "\\\\fileserver\\share\\t.dotm", "//host/t"],
)
def test_an_internal_relationship_whose_target_names_another_place_is_refused(target):
    rels = sample.relationships(sample.relationship("attachedTemplate", target))
    assert refusal("letter.docx", sample.docx({SETTINGS_RELS: rels})).startswith(REMOTE)


def test_macros_named_by_a_relationship_are_refused_whatever_their_part_is_called():
    rels = sample.relationships(
        sample.relationship(
            "http://schemas.microsoft.com/office/2006/relationships/vbaProject", "macros.bin"
        )
    )
    data = sample.docx(
        {"word/_rels/document.xml.rels": rels, "word/macros.bin": b"\xd0\xcf\x11\xe0 macro"}
    )
    assert refusal("letter.docx", data) == MACROS


@pytest.mark.parametrize(
    "kind, message",
    [
        ("http://schemas.microsoft.com/office/2006/relationships/vbaProject", MACROS),
        ("http://schemas.microsoft.com/office/2006/relationships/wordVbaData", MACROS),
        ("http://purl.oclc.org/ooxml/officeDocument/relationships/vbaProject", MACROS),
        ("oleObject", EMBEDDED),
        ("package", EMBEDDED),
        ("control", EMBEDDED),
        ("http://schemas.microsoft.com/office/2006/relationships/activeXControlBinary", EMBEDDED),
        ("http://purl.oclc.org/ooxml/officeDocument/relationships/oleObject", EMBEDDED),
    ],
)
def test_a_relationship_to_macros_or_an_embedded_object_is_refused_by_its_type(kind, message):
    rels = sample.relationships(
        sample.relationship("styles", "styles.xml"),
        sample.relationship(kind, "media/picture7.png", rid="rId2"),
    )
    data = sample.docx({"word/_rels/document.xml.rels": rels})
    assert refusal("letter.docx", data) == message


def test_a_relationship_part_with_elements_of_another_namespace_is_refused():
    unqualified = (
        '<Relationships xmlns:r="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="x/attachedTemplate" Target="{TEMPLATE}"/>'
        "</Relationships>"
    ).encode()
    data = sample.docx({SETTINGS_RELS: unqualified})
    assert refusal("letter.docx", data).startswith("The file is not a readable Word")


def test_a_relationship_part_that_is_not_xml_is_refused():
    data = sample.docx({SETTINGS_RELS: b"Type=attachedTemplate TargetMode=External"})
    assert refusal("letter.docx", data) == "The file is not a readable Word (DOCX) document"


def test_a_relationship_part_in_an_encoding_the_parser_does_not_know_is_refused():
    rels = sample.relationships(
        sample.relationship("attachedTemplate", TEMPLATE, mode="External"), encoding="utf-32"
    )
    data = sample.docx({SETTINGS_RELS: rels})
    assert refusal("letter.docx", data) == "The file is not a readable Word (DOCX) document"


DOCTYPE_REFUSED = "The file is not a readable Word (DOCX) document: a part declares a document type"


def test_a_relationship_part_with_a_document_type_declaration_is_refused():
    harmless = '<!DOCTYPE Relationships [<!ENTITY site "https://www.gov.uk/">]>'
    rels = sample.relationships(
        sample.relationship("hyperlink", "&site;", mode="External"), doctype=harmless
    )
    data = sample.docx({"word/_rels/document.xml.rels": rels})
    assert refusal("letter.docx", data).startswith(DOCTYPE_REFUSED)


def test_a_relationship_part_with_entities_that_expand_a_billion_times_is_refused():
    rels = sample.relationships(
        sample.relationship("hyperlink", "&i;", mode="External"), doctype=sample.BILLION_LAUGHS
    )
    data = sample.docx({"word/_rels/document.xml.rels": rels})
    assert refusal("letter.docx", data).startswith(DOCTYPE_REFUSED)


def test_content_types_with_a_document_type_declaration_are_refused():
    types = sample.content_types(doctype='<!DOCTYPE Types [<!ENTITY x "x">]>')
    assert refusal("letter.docx", sample.docx(content_types=types)).startswith(DOCTYPE_REFUSED)


MACRO_ENABLED_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


@pytest.mark.parametrize(
    "entry, message",
    [
        (sample.override("/word/document.xml", MACRO_ENABLED_MAIN), MACROS),
        (
            sample.override(
                "/word/document.xml", "APPLICATION/VND.MS-WORD.DOCUMENT.MACROENABLED.MAIN+XML"
            ),
            MACROS,
        ),
        (sample.default("bin", "application/vnd.ms-office.vbaProject"), MACROS),
        (sample.override("/word/data.bin", "application/vnd.ms-office.vbaProject; x=1"), MACROS),
        (sample.override("/word/vbaData.xml", "application/vnd.ms-word.vbaData+xml"), MACROS),
        (sample.override("/word/ax/ax1.xml", "application/vnd.ms-office.activeX+xml"), EMBEDDED),
        (sample.default("dat", "application/vnd.ms-office.activeX"), EMBEDDED),
        (
            sample.default("ole", "application/vnd.openxmlformats-officedocument.oleObject"),
            EMBEDDED,
        ),
    ],
)
def test_content_types_of_macros_or_embedded_objects_are_refused(entry, message):
    types = sample.content_types(entry)
    assert refusal("letter.docx", sample.docx(content_types=types)) == message


def test_macro_enabled_content_type_written_with_a_character_reference_in_utf16_is_refused():
    entry = sample.override("/word/document.xml", MACRO_ENABLED_MAIN.replace("m", "&#109;"))
    types = sample.content_types(entry, encoding="utf-16")
    assert refusal("letter.docx", sample.docx(content_types=types)) == MACROS


def test_two_parts_whose_names_differ_only_in_case_are_refused():
    data = sample.docx({"WORD/document.xml": sample.DOCUMENT_XML})
    assert refusal("letter.docx", data) == "The file is not a readable Word (DOCX) document"
