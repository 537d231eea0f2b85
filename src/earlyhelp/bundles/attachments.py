"""Documents uploaded to a record, made safe to print in a subject access bundle.

A reviewer cuts third parties' information out of a document's text (`attachment_texts`);
this module turns the document into something that can be printed with those cuts burned
in and nothing else of the original file left:

- a PDF's pages are drawn as pictures (pypdfium2), with a black box over the character
  boxes of each cut, so no text layer, annotation, form or embedded file of the original
  survives; the reviewer saw the text pdfium reads from each page, so a cut's offsets are
  indices into that page's character boxes;
- a PNG or JPEG is decoded and encoded again into a fresh image (Pillow), so its EXIF (GPS
  position, camera, dates), XMP, comments and text chunks are gone;
- a Word document is read as text, one string per paragraph (python-docx), and printed as
  text with its cuts, by the renderer.

Nothing here knows Django: the renderer passes the font to label the boxes with.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import docx
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from docx.table import Table
from docx.text.paragraph import Paragraph
from PIL import Image, ImageDraw, ImageFont, ImageOps

KINDS = ("pdf", "png", "jpeg", "docx")
# Pages of an uploaded PDF are drawn at this resolution: sharp enough to read small print
# on paper or screen, small enough that a 50-page letter stays a few megabytes.
PAGE_DPI = 130
PDF_POINTS_PER_INCH = 72
JPEG_QUALITY = 85
# Glyphs are anti-aliased a pixel or so beyond their boxes: boxes grow by this many pixels.
BOX_PADDING_PX = 2
# A cut's label is drawn in the box when it fits at this size or more (pixels).
SMALLEST_LABEL_PX = 7


class AttachmentUnreadable(ValueError):
    """An uploaded document that cannot be opened as the kind it is said to be."""


class Span(Protocol):
    """A cut of a document's text: characters `start` to `end` (end excluded), and the
    exemption `code` printed on its box. `bundles.render.Cut` is one."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def code(self) -> str: ...


@dataclass(frozen=True)
class PageImage:
    """One page of an uploaded PDF drawn as a picture, its cuts burned in.

    `jpeg` is a JPEG without metadata; `width` and `height` are the page's size in PDF
    points (1/72 inch), so it can be printed at its own size or scaled to fit.
    """

    jpeg: bytes
    width: float
    height: float


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of document {kind!r}: it must be one of {KINDS}")


def attachment_texts(kind: str, data: bytes) -> list[str]:
    """The text of a document as the reviewer sees it and cuts index into.

    A PDF gives one string per page: the characters of pdfium's text page in their own
    order, one character per character box (generated line breaks included), so offset i
    of a page's string is box i of that page. A DOCX gives one string per paragraph of the
    body, in order, a table's cells' paragraphs where the table stands (a merged cell
    once); empty paragraphs stay, so the indices are stable. A PNG or JPEG has no text: [].

    Raises ValueError for an unknown kind, AttachmentUnreadable for a file that is not one.
    """
    _check_kind(kind)
    if kind == "pdf":
        with _open_pdf(data) as document:
            return [_page_text(page) for page in document]
    if kind == "docx":
        return list(_docx_paragraphs(data))
    return []


# --- PDF ------------------------------------------------------------------------------------


class _OpenPdf:
    """A pypdfium2 document, closed on leaving the `with` block."""

    def __init__(self, data: bytes) -> None:
        try:
            self.document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            raise AttachmentUnreadable(f"The PDF cannot be read: {error}") from None

    def __enter__(self) -> pdfium.PdfDocument:
        return self.document

    def __exit__(self, *exc: object) -> None:
        self.document.close()


def _open_pdf(data: bytes) -> _OpenPdf:
    return _OpenPdf(data)


def _page_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        # One character per box, read one at a time: get_text_range() may leave out or add
        # characters, and then offsets would no longer match boxes.
        return "".join(
            chr(pdfium_c.FPDFText_GetUnicode(textpage, index) or 0xFFFD)
            for index in range(textpage.count_chars())
        )
    finally:
        textpage.close()


def pdf_page_count(data: bytes) -> int:
    """How many pages an uploaded PDF has (AttachmentUnreadable if it is not a PDF)."""
    with _open_pdf(data) as document:
        return len(document)


def pdf_page_images(
    data: bytes, cuts: Mapping[int, Sequence[Span]], label_font: Path
) -> Iterator[PageImage]:
    """Each page of a PDF drawn as a picture, black boxes over its cuts, in page order.

    `cuts` maps a page's index (0 is the first page) to the cuts of that page's text (see
    `attachment_texts`); each box carries its cut's exemption code in white, in
    `label_font` (a TrueType file), where it fits. Annotations and form fields are not
    drawn: the reviewer never saw their text, so nothing in them could have been cut.

    Raises ValueError for a cut outside its page's text or a page the PDF does not have,
    AttachmentUnreadable for a file that is not a PDF.
    """
    scale = PAGE_DPI / PDF_POINTS_PER_INCH
    with _open_pdf(data) as document:
        missing = [index for index in cuts if not 0 <= index < len(document)]
        if missing:
            raise ValueError(
                f"Cuts given for page {missing[0] + 1} of a PDF of {len(document)} pages"
            )
        for index, page in enumerate(document):
            width, height = page.get_size()
            bitmap = page.render(scale=scale, may_draw_forms=False, draw_annots=False)
            picture = bitmap.to_pil().convert("RGB")
            page_cuts = cuts.get(index, ())
            if page_cuts:
                boxes = _cut_boxes(page, bitmap, page_cuts)
                _burn_in(picture, boxes, label_font)
            bitmap.close()
            yield PageImage(jpeg=_jpeg(picture), width=width, height=height)


def _cut_boxes(
    page: pdfium.PdfPage, bitmap: pdfium.PdfBitmap, cuts: Sequence[Span]
) -> list[tuple[tuple[int, int, int, int], str]]:
    """The pixel rectangles (left, top, right, bottom) each cut covers, one per line of text
    it runs over, with the cut's code."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        to_bitmap = bitmap.get_posconv(page).to_bitmap
        boxes = []
        for cut in cuts:
            if not 0 <= cut.start < cut.end <= count:
                raise ValueError(
                    f"A cut ({cut.start}-{cut.end}) runs outside its page's text of "
                    f"{count} characters"
                )
            for left, bottom, right, top in _line_boxes(textpage, cut.start, cut.end):
                x0, y0 = to_bitmap(left, top)
                x1, y1 = to_bitmap(right, bottom)
                boxes.append(
                    (
                        (
                            round(min(x0, x1)) - BOX_PADDING_PX,
                            round(min(y0, y1)) - BOX_PADDING_PX,
                            round(max(x0, x1)) + BOX_PADDING_PX,
                            round(max(y0, y1)) + BOX_PADDING_PX,
                        ),
                        cut.code,
                    )
                )
        return boxes
    finally:
        textpage.close()


def _line_boxes(
    textpage: pdfium.PdfTextPage, start: int, end: int
) -> list[tuple[float, float, float, float]]:
    """The character boxes of characters start..end-1 joined into one box per line, in PDF
    points (left, bottom, right, top). Characters without a box (generated spaces and line
    breaks) are skipped."""
    lines: list[list[float]] = []
    for index in range(start, end):
        left, bottom, right, top = textpage.get_charbox(index, loose=True)
        if right <= left or top <= bottom:
            continue
        if lines:
            line = lines[-1]
            middle = (bottom + top) / 2
            # Same line when the character's middle lies within the line's height.
            if line[1] <= middle <= line[3]:
                line[0], line[1] = min(line[0], left), min(line[1], bottom)
                line[2], line[3] = max(line[2], right), max(line[3], top)
                continue
        lines.append([left, bottom, right, top])
    return [(a, b, c, d) for a, b, c, d in lines]


def _burn_in(
    picture: Image.Image, boxes: list[tuple[tuple[int, int, int, int], str]], font: Path
) -> None:
    draw = ImageDraw.Draw(picture)
    for (left, top, right, bottom), code in boxes:
        draw.rectangle((left, top, right, bottom), fill="black")
        size = int((bottom - top) * 0.7)
        while size >= SMALLEST_LABEL_PX:
            label_font = ImageFont.truetype(str(font), size)
            text_left, text_top, text_right, text_bottom = draw.textbbox(
                (0, 0), code, font=label_font
            )
            if text_right - text_left <= right - left - 2:
                draw.text(
                    (
                        (left + right - (text_right - text_left)) / 2 - text_left,
                        (top + bottom - (text_bottom - text_top)) / 2 - text_top,
                    ),
                    code,
                    fill="white",
                    font=label_font,
                )
                break
            size -= 1


def _jpeg(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


# --- pictures -------------------------------------------------------------------------------


def clean_image(kind: str, data: bytes) -> tuple[bytes, int, int]:
    """A PNG or JPEG encoded again from its pixels alone: (bytes, width, height) in pixels.

    The picture is turned upright by its EXIF orientation first, then copied into a new
    image, so no EXIF (GPS position, camera, dates), XMP, ICC profile, comment or PNG text
    chunk is carried over. A JPEG stays a JPEG; a PNG stays a PNG, flattened onto white.

    Raises ValueError for another kind, AttachmentUnreadable for a file that is not one.
    """
    if kind not in ("png", "jpeg"):
        raise ValueError(f"Not a picture: {kind!r}")
    try:
        with Image.open(io.BytesIO(data)) as original:
            original.load()
            upright = ImageOps.exif_transpose(original)
    except (OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise AttachmentUnreadable(f"The picture cannot be read: {error}") from None
    if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info:
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
    else:
        flat = upright.convert("RGB")
    # A new image has an empty `info`: nothing of the original's metadata can follow it.
    fresh = Image.new("RGB", flat.size)
    fresh.paste(flat)
    out = io.BytesIO()
    if kind == "jpeg":
        fresh.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        fresh.save(out, format="PNG", optimize=False)
    return out.getvalue(), fresh.width, fresh.height


# --- Word -----------------------------------------------------------------------------------


def _docx_paragraphs(data: bytes) -> Iterator[str]:
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds of error on a bad package
        raise AttachmentUnreadable(f"The Word document cannot be read: {error}") from None
    yield from _block_texts(document.iter_inner_content())


def _block_texts(blocks: Iterator[Paragraph | Table]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text
            continue
        seen: list[object] = []
        for row in block.rows:
            for cell in row.cells:
                # A merged cell is returned once for each grid column it spans.
                if any(cell._tc is element for element in seen):
                    continue
                seen.append(cell._tc)
                yield from _block_texts(cell.iter_inner_content())
