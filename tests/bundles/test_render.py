"""The bundle's PDF: redactions burned in, nothing redacted anywhere in the file, documents
drawn safely, the index and page map right, and the protected copy opening only with its
password (issue 16, items 1 and 3).

Every name, number and address here is made up.
"""

from __future__ import annotations

import io
from datetime import date

import docx
import pypdfium2 as pdfium
import pytest
from django.test import override_settings
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from earlyhelp.bundles.attachments import PAGE_DPI, pdf_page_images
from earlyhelp.bundles.render import (
    Attachment,
    Content,
    Cut,
    FontMissing,
    Passage,
    Section,
    all_text,
    attachment_texts,
    font_files,
    protect,
    render_bundle,
    render_schedule,
)

SIBLING = "Jayden Okafor"
NEIGHBOUR_PHONE = "07700 900123"
OTHER_CHILD_NHS = "943 476 5919"


def cut_of(text: str, secret: str, ref: str, code: str = "S2P16") -> Cut:
    """The cut of `secret`'s first occurrence in `text`."""
    start = text.index(secret)
    return Cut(start, start + len(secret), code, ref)


def section(title: str, passages: list[Passage], **extra) -> Section:
    return Section(
        title=title,
        day=extra.pop("day", date(2024, 3, 3)),
        category=extra.pop("category", "Family support"),
        source=extra.pop("source", "Family support worker"),
        recorded_by=extra.pop("recorded_by", "Priya Worker"),
        passages=passages,
        **extra,
    )


def content(sections: list[Section]) -> Content:
    return Content(
        title="Your records: subject access request R-7KQ2-M9XD",
        reference="R-7KQ2-M9XD",
        cover=[
            ("What we searched", ["We searched every record we hold about you."]),
            ("How to complain", ["You can complain to the Information Commissioner."]),
        ],
        sections=sections,
    )


def page_texts(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_bounded() for page in document]
    finally:
        document.close()


def words(text: str) -> set[str]:
    return set(text.split())


# --- passages -------------------------------------------------------------------------------


def test_cut_words_and_withheld_text_are_nowhere_in_the_file_but_kept_text_is():
    note = (
        f"Home visit. {SIBLING} (brother) answered the door. The neighbour, on "
        f"{NEIGHBOUR_PHONE}, raised a concern about another child, NHS number "
        f"{OTHER_CHILD_NHS}. Mum agreed the plan."
    )
    cuts = [
        cut_of(note, SIBLING, "r-sibling"),
        cut_of(note, NEIGHBOUR_PHONE, "r-phone"),
        cut_of(note, OTHER_CHILD_NHS, "r-nhs", code="S3P3"),
    ]
    bundle = render_bundle(
        content(
            [
                section(
                    "Contact",
                    [
                        Passage("Case note", note, cuts),
                        Passage(
                            "Worry",
                            "Aunt Zelinda Brackwater says the child fears his father",
                            withheld="Withheld: Schedule 3 Part 3 serious harm",
                            ref="p-worry",
                        ),
                    ],
                ),
                section(
                    "Referral",
                    [Passage("Reason", "Referral made by Quennell Ashdown, a neighbour")],
                    withheld="This record is withheld: it is about another person",
                    ref="s-referral",
                ),
            ]
        )
    )
    text = all_text(bundle.pdf)
    for secret in (
        SIBLING,
        "Okafor",
        NEIGHBOUR_PHONE,
        "900123",
        OTHER_CHILD_NHS,
        "Zelinda",
        "Brackwater",
        "Quennell",
        "Ashdown",
    ):
        assert secret not in text, secret
    for kept in ("Home visit.", "answered the door", "Mum agreed the plan", "S2P16", "S3P3"):
        assert kept in text, kept
    assert "Withheld: Schedule 3 Part 3 serious harm" in text
    assert "This record is withheld: it is about another person" in text


def test_a_cut_longer_than_a_line_is_hidden_on_every_line_it_covers():
    secret = " ".join(f"Secretword{n}" for n in range(40))
    note = f"Before the cut. {secret} After the cut."
    bundle = render_bundle(
        content([section("Contact", [Passage("Note", note, [cut_of(note, secret, "r1")])])])
    )
    text = all_text(bundle.pdf)
    assert "Secretword" not in text
    assert "Before the cut." in text
    assert "After the cut." in text


def test_overlapping_cuts_hide_the_words_of_both():
    note = "Seen with Marigold Featherstonehaugh today."
    first = cut_of(note, "Marigold Feather", "r1")
    second = cut_of(note, "Featherstonehaugh", "r2", code="S3P3")
    bundle = render_bundle(content([section("Contact", [Passage("Note", note, [first, second])])]))
    text = all_text(bundle.pdf)
    assert "Marigold" not in text
    assert "stonehaugh" not in text
    assert "Seen with" in text
    assert set(bundle.pages) >= {"r1", "r2"}


def test_a_cut_outside_its_text_is_refused():
    with pytest.raises(ValueError, match="outside"):
        render_bundle(
            content([section("Contact", [Passage("Note", "Short", [Cut(2, 9, "X", "r")])])])
        )


@settings(max_examples=25)
@given(
    st.lists(
        st.tuples(st.sampled_from(["kept", "cut"]), st.integers(min_value=1, max_value=999)),
        min_size=1,
        max_size=60,
    ),
    st.sampled_from([" ", "\n", "  ", ", "]),
)
def test_no_cut_word_survives_and_every_kept_word_does(tokens, separator):
    # Kept words and cut words are drawn from disjoint spellings, so a cut word found in
    # the file can only have come from the cut.
    parts, cuts, position = [], [], 0
    for number, (kind, value) in enumerate(tokens):
        word = f"keep{value}x" if kind == "kept" else f"zq{value}cut"
        if kind == "cut":
            cuts.append(Cut(position, position + len(word), "S2P16", f"r{number}"))
        parts.append(word + separator)
        position += len(word) + len(separator)
    note = "".join(parts)
    bundle = render_bundle(content([section("Contact", [Passage("Note", note, cuts)])]))
    text = all_text(bundle.pdf)
    assert "zq" not in text
    found = words(text.replace(",", " "))
    for kind, value in tokens:
        if kind == "kept":
            assert f"keep{value}x" in found
    assert {cut.ref for cut in cuts} <= set(bundle.pages)


def test_each_cut_is_reported_on_the_page_where_its_box_landed():
    sections = []
    for number in range(120):
        # The marker is glued to the cut, so it is always on the line of the cut's box.
        note = (
            f"Visit {number} went as planned and the plan was reviewed with the family. "
            f"Nadezhda Pemberton-Smythe-mark{number}z was mentioned."
        )
        cut = cut_of(note, "Nadezhda Pemberton-Smythe", f"cut-{number}")
        sections.append(section(f"Contact {number}", [Passage("Note", note, [cut])]))
    bundle = render_bundle(content(sections))
    pages = page_texts(bundle.pdf)
    assert bundle.page_count == len(pages)
    assert len({bundle.pages[f"cut-{n}"] for n in range(120)}) > 5
    for number in range(120):
        page = bundle.pages[f"cut-{number}"]
        assert f"-mark{number}z" in pages[page - 1], number


def test_the_index_lists_each_record_and_document_with_the_page_it_starts_on():
    sections = [
        section(
            f"Record {number}",
            [Passage("Note", "Nothing to hide here. " * 30)],
            source="Practitioner",
        )
        for number in range(1, 40)
    ]
    sections[5].attachments = [
        Attachment("school-letter.docx", "docx", make_docx(["A letter from school."])),
        Attachment("photo.png", "png", make_png()),
    ]
    bundle = render_bundle(content(sections))
    pages = page_texts(bundle.pdf)
    index = "\n".join(page for page in pages if "Index" in page and "Source" in page)
    rows = {line.split()[0]: line for line in index.splitlines() if line[:1].isdigit()}
    assert rows["6.1"].startswith("6.1 Document: school-letter.docx (Word document) ")
    assert rows["6.2"].startswith("6.2 Document: photo.png (picture) ")
    assert "Document 6.1: school-letter.docx" in pages[int(rows["6.1"].split()[-1]) - 1]
    assert "Document 6.2: photo.png" in pages[int(rows["6.2"].split()[-1]) - 1]
    for number in range(1, 40):
        row = rows[str(number)]
        # The category is printed with the record, not in the index.
        assert row.startswith(f"{number} 3 March 2024 Record {number} Practitioner ")
        page = int(row.split()[-1])
        assert f"{number}. Record {number}, 3 March 2024" in pages[page - 1], number


# --- documents ------------------------------------------------------------------------------


def make_pdf(lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.set_author(SIBLING)  # the original file's metadata must not reach the bundle
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    for line in lines:
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_docx(paragraphs: list[str], cells: list[str] = ()) -> bytes:
    document = docx.Document()
    document.core_properties.author = SIBLING
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if cells:
        table = document.add_table(rows=1, cols=len(cells))
        for cell, text in zip(table.rows[0].cells, cells, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(out, format="PNG")
    return out.getvalue()


def dark_share(picture: Image.Image, box: tuple[float, float, float, float]) -> float:
    histogram = picture.convert("L").crop(tuple(round(v) for v in box)).histogram()
    return sum(histogram[:80]) / sum(histogram)


def test_pdf_page_text_is_one_character_per_box():
    data = make_pdf(["Report about Jayden Okafor.", "Attendance was good."])
    (page,) = attachment_texts("pdf", data)
    document = pdfium.PdfDocument(data)
    textpage = document[0].get_textpage()
    assert len(page) == textpage.count_chars()
    assert "Report about Jayden Okafor." in page
    document.close()


def test_pdf_document_is_drawn_as_pictures_with_the_cut_blacked_out():
    data = make_pdf(["Report about Jayden Okafor.", "Attendance was good."])
    (page_text,) = attachment_texts("pdf", data)
    cut = cut_of(page_text, SIBLING, "r-doc")
    attachment = Attachment("report.pdf", "pdf", data, cuts={0: [cut]})
    bundle = render_bundle(
        content(
            [section("Contact", [Passage("Note", "See the report.")], attachments=[attachment])]
        )
    )
    text = all_text(bundle.pdf)
    assert "Jayden" not in text
    assert "Okafor" not in text
    # No text layer of the original survives, kept words included: the page is a picture.
    assert "Attendance" not in text
    assert "Document 1.1: report.pdf" in text
    assert "report.pdf, page 1 of 1" in text
    reader = PdfReader(io.BytesIO(bundle.pdf))
    picture_page = bundle.pages["r-doc"]
    assert len(reader.pages[picture_page - 1].images) == 1
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))

    # The picture is black where the name was, and the kept words are still legible ink.
    picture = Image.open(
        io.BytesIO(next(pdf_page_images(data, {0: [cut]}, font_files()["B"])).jpeg)
    )
    document = pdfium.PdfDocument(data)
    textpage = document[0].get_textpage()
    height = document[0].get_height()
    scale = PAGE_DPI / 72

    def pixels(start: int, end: int) -> tuple[float, float, float, float]:
        boxes = [textpage.get_charbox(i) for i in range(start, end)]
        left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
        bottom, top = min(b[1] for b in boxes), max(b[3] for b in boxes)
        return left * scale, (height - top) * scale, right * scale, (height - bottom) * scale

    kept_start = page_text.index("Attendance")
    assert dark_share(picture, pixels(cut.start, cut.end)) > 0.6
    assert dark_share(picture, pixels(kept_start, kept_start + len("Attendance"))) < 0.45
    document.close()


def test_picture_is_printed_without_its_exif_gps_or_comment():
    exif = Image.Exif()
    exif[0x010E] = "Jayden Okafor at his home"  # ImageDescription
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (51.0, 30.0, 12.0), 3: "W", 4: (0.0, 7.0, 39.0)})
    out = io.BytesIO()
    Image.new("RGB", (120, 90), "green").save(
        out, format="JPEG", exif=exif, comment=b"Taken at Jayden's house"
    )
    original = out.getvalue()
    assert 0x8825 in Image.open(io.BytesIO(original)).getexif()  # the test's own premise

    bundle = render_bundle(
        content(
            [
                section(
                    "Contact",
                    [Passage("Note", "A photo.")],
                    attachments=[Attachment("photo.jpg", "jpeg", original)],
                )
            ]
        )
    )
    assert "Jayden" not in all_text(bundle.pdf)
    reader = PdfReader(io.BytesIO(bundle.pdf))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1
    printed = Image.open(io.BytesIO(images[0].data))
    assert printed.size == (120, 90)
    assert len(printed.getexif()) == 0
    assert "comment" not in printed.info
    assert b"GPS" not in images[0].data


def test_docx_paragraphs_and_table_cells_print_with_their_cuts():
    data = make_docx(
        ["Letter from school.", f"{SIBLING} was late again.", "Attendance 92%."],
        cells=["Contact number", NEIGHBOUR_PHONE],
    )
    texts = attachment_texts("docx", data)
    assert texts == [
        "Letter from school.",
        f"{SIBLING} was late again.",
        "Attendance 92%.",
        "Contact number",
        NEIGHBOUR_PHONE,
    ]
    cuts = {1: [cut_of(texts[1], SIBLING, "r-name")], 4: [Cut(0, 12, "S2P16", "r-phone")]}
    attachment = Attachment("letter.docx", "docx", data, cuts=cuts)
    bundle = render_bundle(
        content([section("Education", [Passage("Note", "Letter.")], attachments=[attachment])])
    )
    text = all_text(bundle.pdf)
    assert "Jayden" not in text
    assert "Okafor" not in text
    assert "900123" not in text
    for kept in ("Letter from school.", "was late again.", "Attendance 92%.", "Contact number"):
        assert kept in text
    assert {"r-name", "r-phone"} <= set(bundle.pages)


def test_withheld_document_prints_its_words_only():
    data = make_docx(["Private letter naming Ottoline Quarrington."])
    attachment = Attachment(
        "private.docx", "docx", data, withheld="Withheld: legal professional privilege", ref="a1"
    )
    bundle = render_bundle(
        content([section("Contact", [Passage("Note", "Letter.")], attachments=[attachment])])
    )
    text = all_text(bundle.pdf)
    assert "Ottoline" not in text
    assert "Withheld: legal professional privilege" in text
    assert "Document: private.docx (withheld)" in text
    assert "a1" in bundle.pages


def test_a_picture_cannot_be_given_cuts():
    attachment = Attachment("photo.png", "png", make_png(), cuts={0: [Cut(0, 1, "X", "r")]})
    with pytest.raises(ValueError, match="withhold it instead"):
        render_bundle(content([section("Contact", [], attachments=[attachment])]))


# --- the file -------------------------------------------------------------------------------


def test_bundle_has_no_forms_files_or_scripts_and_no_author_or_subject():
    bundle = render_bundle(content([section("Contact", [Passage("Note", "Visit.")])]))
    reader = PdfReader(io.BytesIO(bundle.pdf))
    root = reader.trailer["/Root"]
    for key in ("/AcroForm", "/Names", "/Metadata", "/Outlines", "/JavaScript", "/AA"):
        assert key not in root, key
    assert set(reader.metadata) <= {"/Title", "/Producer", "/CreationDate"}
    assert reader.metadata["/Title"] == "Your records: subject access request R-7KQ2-M9XD"


def test_protected_bundle_opens_only_with_its_password():
    note = "Mum agreed the plan with Florentyna Gallagher-Voss."
    bundle = render_bundle(
        content(
            [
                section(
                    "Contact",
                    [Passage("Note", note, [cut_of(note, "Florentyna Gallagher-Voss", "r")])],
                )
            ]
        )
    )
    protected = protect(bundle.pdf, "lantern-orbit-42")
    with pytest.raises(FileNotDecryptedError):
        all_text(protected)
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(protected)
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(protected, password="wrong")
    text = all_text(protected, "lantern-orbit-42")
    assert "Mum agreed the plan" in text
    assert "Florentyna" not in text
    reader = PdfReader(io.BytesIO(protected))
    encryption = reader.trailer["/Encrypt"]
    assert encryption["/V"] == 5  # AES-256
    reader.decrypt("lantern-orbit-42")
    assert set(reader.metadata) == {"/Title", "/Producer"}
    assert "/Metadata" not in reader.trailer["/Root"]


def test_protect_refuses_an_empty_password():
    bundle = render_bundle(content([]))
    with pytest.raises(ValueError, match="empty password"):
        protect(bundle.pdf, "")


def test_all_text_finds_strings_hidden_in_metadata_annotations_and_files():
    # all_text is the tests' witness: it must see what a careless PDF would leak.
    pdf = FPDF()
    pdf.set_subject("Subject-Ximena")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.text_annotation(20, 20, "Annotation-Yusra")
    pdf.embed_file(basename="notes.txt", bytes=b"Embedded-Wilhelmina")
    pdf.start_section("Outline-Bartholomew")
    text = all_text(bytes(pdf.output()))
    for hidden in (
        "Subject-Ximena",
        "Annotation-Yusra",
        "Embedded-Wilhelmina",
        "Outline-Bartholomew",
    ):
        assert hidden in text, hidden


def test_schedule_is_a_table_of_the_redactions():
    rows = [
        (str(n), "S2P16", "Third party: a sibling", f"page {n + 3}", f"ref-{n}")
        for n in range(1, 120)
    ]
    schedule = render_schedule(
        "Redaction schedule R-7KQ2-M9XD",
        rows,
        ("No.", "Exemption", "Reason", "Page", "Redaction"),
    )
    text = all_text(schedule)
    assert "Redaction schedule R-7KQ2-M9XD" in text
    assert "Third party: a sibling" in text
    assert "ref-119" in text
    assert len(page_texts(schedule)) > 1


def test_a_missing_font_is_reported_with_the_package_to_install(tmp_path):
    with (
        override_settings(EARLYHELP_PDF_FONTS=str(tmp_path)),
        pytest.raises(FontMissing, match="fonts-dejavu-core"),
    ):
        render_bundle(content([]))
