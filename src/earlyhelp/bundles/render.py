"""The subject access bundle as a PDF, with redactions burned in (issue 16, items 1 and 3).

The services build the content (the cover letter, the records in date order, their
documents and the reviewer's accepted cuts); this module prints it, with fpdf2, on A4:
the cover letter, an index (number, date, record, source, page; each document
a numbered entry under its record), then each record with its category and source.

Burned in means the words cut never reach the file: the text is laid out here, line by
line, and where a cut falls a black box the width of the words it replaces is drawn, the
exemption code (DPA 2018 Schedule 2 paragraph 16, Schedule 3 Part 3...) written on it in
white. A withheld passage, record or document prints the reviewer's words instead of its
text. Uploaded PDFs become pictures of their pages with the cuts blacked out, pictures
are encoded again without their metadata (see `attachments`), Word documents print as
text with their cuts. The file has no attachments, forms, scripts or outlines, and no
metadata but its title, its producer and fpdf2's creation date (`protect` keeps only the
title and producer).

`all_text` gathers every text the file holds, in every place a reader could find it, so
that a test can show a redacted string is nowhere in it.
"""

from __future__ import annotations

import io
import logging
import re
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
from django.conf import settings
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    StreamObject,
    TextStringObject,
)

from earlyhelp.bundles.attachments import (
    AttachmentUnreadable,
    attachment_texts,
    clean_image,
    pdf_page_count,
    pdf_page_images,
)
from earlyhelp.lib.words import day_words

__all__ = [
    "Attachment",
    "AttachmentUnreadable",
    "Content",
    "Cut",
    "FontMissing",
    "Passage",
    "Rendered",
    "Section",
    "all_text",
    "attachment_texts",
    "protect",
    "render_bundle",
    "render_schedule",
]

# DejaVu Sans, from Debian's fonts-dejavu-core (`make fonts` installs it).
DEFAULT_FONTS_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_PACKAGE = "fonts-dejavu-core"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FAMILY = "DejaVu"
PRODUCER = "earlyhelp"

# Layout, in millimetres and points. A4 portrait, 11 point text as the brief asks.
MARGIN = 20.0
MARGIN_TOP = 20.0
MARGIN_BOTTOM = 18.0
RUNNING_TITLE_BASELINE = 12.0
FOOTER_FROM_BOTTOM = 12.0
BODY_PT = 11.0
META_PT = 10.0
SMALL_PT = 8.0
INDEX_PT = 9.0
TITLE_PT = 16.0
HEADING_PT = 13.0
SUBHEADING_PT = 12.0
LABEL_PT = 7.0
LINE_SPACING = 1.35  # line height as a multiple of the font size
PARAGRAPH_GAP = 2.0
SECTION_GAP = 6.0
BOX_HEIGHT = 0.95  # a cut's box, as a multiple of the font size
BOX_PADDING = 0.8  # room either side of a box's label
CELL_PADDING = 1.2
GREY = 90
RULE_GREY = 170
SHADE_GREY = 230
# A picture is scaled to fit the page; one smaller than this height starts a new page.
SMALLEST_PICTURE_MM = 60.0
PICTURE_DPI = 96  # a picture's nominal resolution when it is smaller than the page
MM_PER_POINT = 25.4 / 72

# The bundle's own words: headings and labels, not policy.
INDEX_HEADING = "Index"
# The category is printed with each record, in the policy's full wording: in the index it
# took most of each row's lines (a 30-page index for 160 records), so the index leaves it out.
INDEX_COLUMNS = ("No.", "Date", "Record", "Source", "Page")
INDEX_WIDTHS = (11.0, 33.0, 77.0, 36.0, 13.0)
DOCUMENT_ENTRY_WIDTHS = (11.0, 33.0, 113.0, 13.0)
KIND_WORDS = {"pdf": "PDF", "png": "picture", "jpeg": "picture", "docx": "Word document"}

TOKEN = re.compile(r"\n|[^\S\n]+|\S+")

# fontTools reports every glyph it keeps when fpdf2 subsets the font: dozens of lines a
# bundle, none of use in the service's log.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)


class FontMissing(RuntimeError):
    """The font the bundle is printed in is not installed."""


@dataclass(frozen=True)
class Cut:
    """One accepted redaction: characters `start` to `end` (end excluded) of a passage's
    or a document page's or paragraph's text, printed as a black box labelled `code` (the
    exemption's short code, e.g. "S2P16"); `ref` is the redaction's id, reported back with
    the page its box landed on."""

    start: int
    end: int
    code: str
    ref: str


@dataclass
class Passage:
    """One field of a record: its label and text, with the cuts in it. A non-empty
    `withheld` withholds the whole passage: those words are printed and the text nowhere."""

    label: str
    text: str
    cuts: list[Cut] = field(default_factory=list)
    withheld: str = ""
    ref: str = ""


@dataclass
class Attachment:
    """A document uploaded to a record: `kind` is "pdf", "png", "jpeg" or "docx", `data`
    its decrypted bytes, `cuts` the cuts of each page (PDF) or paragraph (DOCX) by its index
    in `attachment_texts` (0 first). A non-empty `withheld` withholds the whole document."""

    name: str
    kind: str
    data: bytes
    cuts: dict[int, list[Cut]] = field(default_factory=dict)
    withheld: str = ""
    ref: str = ""


@dataclass
class Section:
    """One record of the bundle, in the order printed (the services sort by date)."""

    title: str
    day: date | None
    category: str
    source: str
    recorded_by: str
    passages: list[Passage]
    attachments: list[Attachment] = field(default_factory=list)
    withheld: str = ""
    ref: str = ""


@dataclass
class Content:
    """Everything a bundle prints: its title, the request's reference, the cover letter as
    (heading, paragraphs), and the records."""

    title: str
    reference: str
    cover: list[tuple[str, list[str]]]
    sections: list[Section]


@dataclass(frozen=True)
class Rendered:
    """A rendered bundle: the PDF, the 1-based page each ref (a cut, or a withheld passage,
    record or document, or any record, passage or document given a ref) landed on, and
    the number of pages."""

    pdf: bytes
    pages: dict[str, int]
    page_count: int


# --- fonts ----------------------------------------------------------------------------------


def fonts_dir() -> Path:
    """The folder holding the bundle's fonts: settings.EARLYHELP_PDF_FONTS when set, else
    Debian's DejaVu folder."""
    configured = getattr(settings, "EARLYHELP_PDF_FONTS", None) if settings.configured else None
    return Path(configured) if configured else DEFAULT_FONTS_DIR


def font_files() -> dict[str, Path]:
    """The regular ("") and bold ("B") font files; FontMissing names the package when
    either is not there."""
    folder = fonts_dir()
    files = {style: folder / name for style, name in FONT_FILES.items()}
    for path in files.values():
        if not path.is_file():
            raise FontMissing(
                f"The font for subject access bundles is missing ({path}): install Debian's "
                f"{FONT_PACKAGE} package (`make fonts`), or set EARLYHELP_PDF_FONTS to a "
                f"folder holding {' and '.join(FONT_FILES.values())}"
            )
    return files


# --- laying out text ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Text:
    text: str
    width: float
    gap: bool  # a space comes before it on its line


@dataclass(frozen=True)
class _Box:
    code: str
    refs: tuple[str, ...]
    width: float
    gap: bool


_Piece = _Text | _Box
_NEWLINE = None


def _merged_cuts(text: str, cuts: Sequence[Cut]) -> list[tuple[int, int, str, tuple[str, ...]]]:
    """Cuts in order, overlapping ones joined (their codes and refs together); a cut outside
    the text is refused rather than printed wrongly."""
    for cut in cuts:
        if not 0 <= cut.start < cut.end <= len(text):
            raise ValueError(
                f"Cut {cut.ref or '(no ref)'} ({cut.start}-{cut.end}) runs outside its text "
                f"of {len(text)} characters"
            )
    merged: list[tuple[int, int, list[str], list[str]]] = []
    for cut in sorted(cuts, key=lambda c: (c.start, c.end)):
        if merged and cut.start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], cut.end), last[2], last[3])
            if cut.code not in last[2]:
                last[2].append(cut.code)
            last[3].append(cut.ref)
        else:
            merged.append((cut.start, cut.end, [cut.code], [cut.ref]))
    return [(start, end, " ".join(codes), tuple(refs)) for start, end, codes, refs in merged]


PAGE_COUNT = "{pages}"


class _Pdf(FPDF):
    """fpdf2 with the bundle's font, running title and "Page n of N" footer, and the line
    layout that burns cuts in. Pages are broken here, not by fpdf2, so a line is never
    split from its boxes."""

    def __init__(self, title: str, orientation: str = "P") -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        # Room for a count of up to 99,999 pages: the alias is replaced by the number.
        self.alias_nb_pages(PAGE_COUNT)
        for style, path in font_files().items():
            self.add_font(FAMILY, style, str(path))
        self.set_margins(MARGIN, MARGIN_TOP, MARGIN)
        self.set_auto_page_break(False, margin=MARGIN_BOTTOM)
        self.bottom = self.h - MARGIN_BOTTOM
        self.set_title(title)
        self.set_producer(PRODUCER)
        self.running_title = title
        # The first page with the running title: 2 when the first page prints the title
        # as its heading, so that the title is not printed twice there.
        self.running_title_from = 1
        self.fonts_by_style = {}
        for style in FONT_FILES:
            self.set_font(FAMILY, style, BODY_PT)
            self.fonts_by_style[style] = self.current_font
        self.widths: dict[tuple[str, float, str], float] = {}
        self.pages_of: dict[str, int] = {}  # the caller's refs
        self.index_pages: dict[str, int] = {}  # index entries, by number

    # page furniture

    def header(self) -> None:
        if self.page_no() < self.running_title_from:
            self.y = self.t_margin
            return
        self.set_font(FAMILY, "", SMALL_PT)
        self.set_text_color(GREY)
        title = self.fit(self.running_title, "", SMALL_PT, self.epw)
        self.text(self.l_margin, RUNNING_TITLE_BASELINE, title)
        self.set_text_color(0)
        self.y = self.t_margin

    def footer(self) -> None:
        self.set_font(FAMILY, "", SMALL_PT + 1)
        self.set_text_color(GREY)
        self.set_xy(self.l_margin, self.h - FOOTER_FROM_BOTTOM)
        # cell(), not text(): only fpdf2's cells fill in the page count.
        self.cell(self.epw, 5, f"Page {self.page_no()} of {PAGE_COUNT}", align="C")
        self.set_text_color(0)

    # measuring

    def width_of(self, text: str, style: str, size: float) -> float:
        """The width of `text` in mm; words repeat, so widths are kept."""
        key = (style, size, text)
        width = self.widths.get(key)
        if width is None:
            font = self.fonts_by_style[style]
            width = font.get_text_width(text, size, None)[1] / self.k
            self.widths[key] = width
        return width

    def fit(self, text: str, style: str, size: float, width: float) -> str:
        """`text` cut short with an ellipsis to fit `width` (a running title, never a record)."""
        if self.width_of(text, style, size) <= width:
            return text
        while text and self.width_of(text + "…", style, size) > width:
            text = text[:-1]
        return text + "…"

    def line_height(self, size: float) -> float:
        return size * MM_PER_POINT * LINE_SPACING

    def need(self, height: float) -> None:
        """Start a new page unless `height` more fits on this one."""
        if self.y + height > self.bottom:
            self.add_page()

    def note(self, ref: str) -> None:
        """Note the page `ref` lands on (its first, when it runs over two)."""
        if ref and ref not in self.pages_of:
            self.pages_of[ref] = self.page_no()

    def note_entry(self, number: str) -> None:
        """Note the page of index entry `number` ("12", or "12.1" for a document)."""
        self.index_pages.setdefault(number, self.page_no())

    # flowing text

    def pieces(
        self, text: str, cuts: Sequence[Cut], style: str, size: float
    ) -> Iterator[list[_Piece] | None]:
        """The words of `text` (None for a line break), each a list of pieces printed without
        a space between: text, and boxes where cuts fall. The words cut are only measured."""
        word: list[_Piece] = []
        gap = False
        position = 0

        def words_of(chunk: str) -> Iterator[list[_Piece] | None]:
            nonlocal word, gap
            for match in TOKEN.finditer(chunk):
                token = match.group()
                if token == "\n":  # noqa: S105 - a line break, not a password
                    if word:
                        yield word
                    word, gap = [], False
                    yield _NEWLINE
                elif token.isspace():
                    if word:
                        yield word
                    word, gap = [], True
                else:
                    word.append(_Text(token, self.width_of(token, style, size), gap))
                    gap = False

        for start, end, code, refs in _merged_cuts(text, cuts):
            yield from words_of(text[position:start])
            hidden = " ".join(text[start:end].split())
            label = self.width_of(code, "B", LABEL_PT) + 2 * BOX_PADDING
            width = max(self.width_of(hidden, style, size), label)
            word.append(_Box(code, refs, width, gap))
            gap = False
            position = end
        yield from words_of(text[position:])
        if word:
            yield word

    def lines(
        self, words: Iterator[list[_Piece] | None], width: float, style: str, size: float
    ) -> Iterator[list[_Piece]]:
        """Words set into lines of at most `width` mm: a word too long for a line is broken
        between its pieces, a text piece between its characters, a box into shorter boxes."""
        space = self.width_of(" ", style, size)
        line: list[_Piece] = []
        used = 0.0
        for word in words:
            if word is _NEWLINE:
                yield line
                line, used = [], 0.0
                continue
            total = sum(piece.width for piece in word) + (space if line and word[0].gap else 0)
            if line and used + total > width:
                yield line
                line, used = [], 0.0
            for piece in word:
                gap = space if line and piece.gap else 0.0
                while used + gap + piece.width > width:
                    head, piece = self.split(piece, width - used - gap, not line, style, size)
                    if head is not None:
                        line.append(head)
                    if line:
                        yield line
                    line, used, gap = [], 0.0, 0.0
                line.append(piece if line else _retag(piece, gap=False))
                used += gap + piece.width
        if line:
            yield line

    def split(
        self, piece: _Piece, room: float, alone: bool, style: str, size: float
    ) -> tuple[_Piece | None, _Piece]:
        """What of `piece` fits in `room` mm, and the rest. On an empty line (`alone`)
        something is always taken, so the rest is shorter and the layout ends."""
        if isinstance(piece, _Box):
            label = self.width_of(piece.code, "B", LABEL_PT) + 2 * BOX_PADDING
            if room < label and not alone:
                return None, _retag(piece, gap=False)
            head = _Box(piece.code, piece.refs, room, piece.gap)
            # The rest keeps the refs too: every part of a cut's box says which it is.
            return head, _Box(piece.code, piece.refs, piece.width - room, False)
        cut = 0
        while cut < len(piece.text) and self.width_of(piece.text[: cut + 1], style, size) <= room:
            cut += 1
        if cut == 0:
            if not alone:
                return None, _retag(piece, gap=False)
            cut = 1  # a single character wider than the line: print it anyway
        head_text, rest_text = piece.text[:cut], piece.text[cut:]
        return (
            _Text(head_text, self.width_of(head_text, style, size), piece.gap),
            _Text(rest_text, self.width_of(rest_text, style, size), False),
        )

    def flow(
        self,
        text: str,
        cuts: Sequence[Cut] = (),
        *,
        style: str = "",
        size: float = BODY_PT,
        left: float | None = None,
        width: float | None = None,
        grey: bool = False,
    ) -> None:
        """Print `text` as a paragraph from the current line, cuts burned in as boxes."""
        left = self.l_margin if left is None else left
        width = self.epw if width is None else width
        height = self.line_height(size)
        words = self.pieces(text, cuts, style, size)
        for line in self.lines(words, width, style, size):
            self.need(height)
            self.draw_line(line, left, self.y, height, style, size, grey)
            self.y += height

    def draw_line(
        self,
        line: list[_Piece],
        left: float,
        top: float,
        height: float,
        style: str,
        size: float,
        grey: bool = False,
    ) -> None:
        space = self.width_of(" ", style, size)
        baseline = top + height * 0.72
        self.set_font(FAMILY, style, size)
        if grey:
            self.set_text_color(GREY)
        x = left
        run: list[str] = []
        run_left = x
        for place, piece in enumerate(line):
            if piece.gap and place:
                x += space
            if isinstance(piece, _Text):
                if not run:
                    run_left = x
                elif piece.gap:
                    run.append(" ")
                run.append(piece.text)
                x += piece.width
                continue
            if run:
                self.text(run_left, baseline, "".join(run))
                run = []
            self.draw_box(piece, x, top, height, size)
            self.set_font(FAMILY, style, size)
            x += piece.width
        if run:
            self.text(run_left, baseline, "".join(run))
        if grey:
            self.set_text_color(0)

    def draw_box(self, box: _Box, x: float, top: float, height: float, size: float) -> None:
        box_height = size * MM_PER_POINT * BOX_HEIGHT
        box_top = top + (height - box_height) / 2
        self.rect(x, box_top, box.width, box_height, style="F")
        label_width = self.width_of(box.code, "B", LABEL_PT)
        if label_width + BOX_PADDING <= box.width:
            self.set_font(FAMILY, "B", LABEL_PT)
            self.set_text_color(255)
            label_baseline = box_top + box_height / 2 + LABEL_PT * MM_PER_POINT * 0.36
            self.text(x + (box.width - label_width) / 2, label_baseline, box.code)
            self.set_text_color(0)
        for ref in box.refs:
            self.note(ref)

    def heading(self, text: str, size: float, keep: float = 0.0) -> None:
        """A bold heading, kept on a page with `keep` mm of what follows it."""
        self.need(self.line_height(size) + keep)
        self.flow(text, style="B", size=size)
        self.y += PARAGRAPH_GAP / 2

    # tables

    def cell_lines(self, text: str, width: float, size: float, style: str = "") -> list[str]:
        words = self.pieces(text, (), style, size)
        return [
            "".join(
                (" " if piece.gap and place else "") + piece.text
                for place, piece in enumerate(line)
                if isinstance(piece, _Text)
            )
            for line in self.lines(words, width - 2 * CELL_PADDING, style, size)
        ] or [""]

    def lay_row(self, row: Sequence[str], widths: Sequence[float], size: float) -> _Row:
        """A table row's cells set into lines, `widths` the row's own cells' widths."""
        cells = [self.cell_lines(text, w, size) for text, w in zip(row, widths, strict=True)]
        height = max(len(c) for c in cells) * self.line_height(size) + CELL_PADDING
        return _Row(cells, tuple(widths), height)

    def paginate(
        self, heights: Sequence[float], first_top: float, header_height: float
    ) -> list[tuple[int, float]]:
        """Where each row goes, as (page counted from 0, top), a heading row on each page."""
        placed = []
        page, y = 0, first_top + header_height
        for height in heights:
            if y + height > self.bottom and y > self.t_margin + header_height:
                page, y = page + 1, self.t_margin + header_height
            placed.append((page, y))
            y += height
        return placed

    def draw_row(
        self, cells: Sequence[Sequence[str]], widths: Sequence[float], top: float, size: float
    ) -> None:
        height = self.line_height(size)
        x = self.l_margin
        for lines, width in zip(cells, widths, strict=True):
            for number, line in enumerate(lines):
                self.draw_line(
                    [_Text(line, 0, False)] if line else [],
                    x + CELL_PADDING,
                    top + number * height,
                    height,
                    self.font_style,
                    size,
                )
            x += width

    def draw_table(
        self,
        headings: Sequence[str],
        laid: Sequence[_Row],
        placed: Sequence[tuple[int, float]],
        widths: Sequence[float],
        size: float,
    ) -> None:
        """Draw rows where `paginate` put them, the headings on top of each page."""
        head_cells = [
            self.cell_lines(text, w, size, "B") for text, w in zip(headings, widths, strict=True)
        ]
        head_height = max(len(c) for c in head_cells) * self.line_height(size) + CELL_PADDING
        current = -1
        for row, (page, top) in zip(laid, placed, strict=True):
            if page != current:
                if current != -1:
                    self.add_page()
                current = page
                head_top = top - head_height if page == 0 else self.t_margin
                self.set_fill_color(SHADE_GREY)
                self.rect(self.l_margin, head_top, sum(widths), head_height, style="F")
                self.set_fill_color(0)
                self.set_font(FAMILY, "B", size)
                self.draw_row(head_cells, widths, head_top + CELL_PADDING / 2, size)
            self.set_font(FAMILY, "", size)
            self.draw_row(row.cells, row.widths, top + CELL_PADDING / 2, size)
            bottom = top + row.height
            self.set_draw_color(RULE_GREY)
            self.line(self.l_margin, bottom, self.l_margin + sum(widths), bottom)
            self.set_draw_color(0)
            self.y = bottom

    def header_height(self, headings: Sequence[str], widths: Sequence[float], size: float) -> float:
        lines = max(
            len(self.cell_lines(t, w, size, "B")) for t, w in zip(headings, widths, strict=True)
        )
        return lines * self.line_height(size) + CELL_PADDING


@dataclass(frozen=True)
class _Row:
    cells: list[list[str]]  # each cell's lines
    widths: tuple[float, ...]
    height: float


def _retag(piece: _Piece, *, gap: bool) -> _Piece:
    if piece.gap == gap:
        return piece
    if isinstance(piece, _Text):
        return _Text(piece.text, piece.width, gap)
    return _Box(piece.code, piece.refs, piece.width, gap)


# --- the bundle -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    number: str
    day: str
    record: str
    source: str
    document: bool = False  # a document uploaded to the record above it


def _index_entries(content: Content) -> list[_Entry]:
    entries = []
    for number, section in enumerate(content.sections, start=1):
        entries.append(
            _Entry(
                str(number),
                day_words(section.day) if section.day else "",
                section.title,
                section.source,
            )
        )
        for place, attachment in enumerate(section.attachments, start=1):
            entries.append(
                _Entry(
                    f"{number}.{place}",
                    "",
                    _attachment_entry(section, attachment),
                    "",
                    document=True,
                )
            )
    return entries


def _attachment_entry(section: Section, attachment: Attachment) -> str:
    if section.withheld:
        # A withheld record's documents are withheld with it: not even their names show.
        return "Document, withheld with its record"
    if attachment.withheld:
        return f"Document: {attachment.name} (withheld)"
    kind = KIND_WORDS.get(attachment.kind, attachment.kind)
    if attachment.kind == "pdf":
        pages = pdf_page_count(attachment.data)
        return f"Document: {attachment.name} ({kind}, {pages} page{'s' if pages != 1 else ''})"
    return f"Document: {attachment.name} ({kind})"


def _check_attachment(attachment: Attachment) -> None:
    """Refuse cuts that cannot be burned in, before anything is drawn."""
    if attachment.kind not in KIND_WORDS:
        raise ValueError(f"Document {attachment.name!r}: unknown kind {attachment.kind!r}")
    if attachment.withheld or not attachment.cuts:
        return
    if attachment.kind in ("png", "jpeg"):
        raise ValueError(
            f"Document {attachment.name!r}: a picture has no text to cut; withhold it instead"
        )
    texts = attachment_texts(attachment.kind, attachment.data)
    for index, cuts in attachment.cuts.items():
        if not 0 <= index < len(texts):
            raise ValueError(
                f"Document {attachment.name!r}: cuts for part {index}, but it has {len(texts)}"
            )
        _merged_cuts(texts[index], cuts)


class _BundleWriter:
    """Prints a Content into a _Pdf: cover, index placeholder, records."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.pdf = _Pdf(content.title)
        self.entries = _index_entries(content)

    def render(self) -> Rendered:
        pdf = self.pdf
        for section in self.content.sections:
            for attachment in section.attachments:
                if not section.withheld:
                    _check_attachment(attachment)
        pdf.add_page()
        self.cover()
        pdf.add_page()
        laid, placed = self.index_layout()
        pages = (placed[-1][0] + 1) if placed else 1
        pdf.insert_toc_placeholder(
            lambda _fpdf, _outline: self.draw_index(laid, placed),
            pages=pages,
            reset_page_indices=False,
        )
        for number, section in enumerate(self.content.sections, start=1):
            self.section(number, section)
        out = bytes(pdf.output())
        return Rendered(pdf=out, pages=dict(pdf.pages_of), page_count=pdf.pages_count)

    # cover letter

    def cover(self) -> None:
        pdf = self.pdf
        pdf.flow(self.content.title, style="B", size=TITLE_PT)
        pdf.y += PARAGRAPH_GAP
        if self.content.reference:
            pdf.flow(f"Reference: {self.content.reference}", size=META_PT, grey=True)
            pdf.y += SECTION_GAP
        for heading, paragraphs in self.content.cover:
            if heading:
                pdf.heading(heading, HEADING_PT, keep=pdf.line_height(BODY_PT) * 2)
            for paragraph in paragraphs:
                pdf.flow(paragraph)
                pdf.y += PARAGRAPH_GAP
            pdf.y += PARAGRAPH_GAP

    # index

    def index_top(self) -> float:
        """Where the index's table starts on its first page, below its heading."""
        pdf = self.pdf
        return pdf.t_margin + pdf.line_height(HEADING_PT) + PARAGRAPH_GAP

    def index_layout(self) -> tuple[list[_Row], list[tuple[int, float]]]:
        """The index's rows and where each goes, worked out before the records are printed
        (a row's height never depends on its page number), so its pages can be kept."""
        pdf = self.pdf
        laid = []
        for entry in self.entries:
            if entry.document:
                # A document's entry has no date or source: its name has the room.
                row = (entry.number, entry.day, entry.record, "")
                laid.append(pdf.lay_row(row, DOCUMENT_ENTRY_WIDTHS, INDEX_PT))
            else:
                row = (entry.number, entry.day, entry.record, entry.source, "")
                laid.append(pdf.lay_row(row, INDEX_WIDTHS, INDEX_PT))
        header = pdf.header_height(INDEX_COLUMNS, INDEX_WIDTHS, INDEX_PT)
        placed = pdf.paginate([row.height for row in laid], self.index_top(), header)
        return laid, placed

    def draw_index(self, laid: list[_Row], placed: list[tuple[int, float]]) -> None:
        """Print the index on its kept pages, once every record's page is known."""
        pdf = self.pdf
        pdf.y = pdf.t_margin
        pdf.flow(INDEX_HEADING, style="B", size=HEADING_PT)
        filled = []
        for row, entry in zip(laid, self.entries, strict=True):
            page = pdf.index_pages.get(entry.number)
            cells = [*row.cells[:-1], [str(page) if page else ""]]
            filled.append(_Row(cells, row.widths, row.height))
        pdf.draw_table(INDEX_COLUMNS, filled, placed, INDEX_WIDTHS, INDEX_PT)

    # records

    def section(self, number: int, section: Section) -> None:
        pdf = self.pdf
        pdf.y += SECTION_GAP
        title = f"{number}. {section.title}"
        if section.day:
            title += f", {day_words(section.day)}"
        meta_height = pdf.line_height(META_PT) * 3
        pdf.heading(title, HEADING_PT, keep=meta_height + pdf.line_height(BODY_PT) * 2)
        pdf.note_entry(str(number))
        pdf.note(section.ref)
        for label, value in (
            ("Category", section.category),
            ("Source", section.source),
            ("Recorded by", section.recorded_by),
        ):
            if value:
                pdf.flow(f"{label}: {value}", size=META_PT, grey=True)
        pdf.y += PARAGRAPH_GAP
        if section.withheld:
            pdf.flow(section.withheld, style="B")
            for place in range(1, len(section.attachments) + 1):
                pdf.note_entry(f"{number}.{place}")
            return
        for passage in section.passages:
            self.passage(passage)
        for place, attachment in enumerate(section.attachments, start=1):
            self.attachment(f"{number}.{place}", attachment)

    def passage(self, passage: Passage) -> None:
        pdf = self.pdf
        if passage.label:
            pdf.heading(passage.label, BODY_PT, keep=pdf.line_height(BODY_PT))
        pdf.note(passage.ref)
        if passage.withheld:
            pdf.flow(passage.withheld, style="B")
        else:
            pdf.flow(passage.text, passage.cuts)
        pdf.y += PARAGRAPH_GAP

    def attachment(self, number: str, attachment: Attachment) -> None:
        pdf = self.pdf
        heading = f"Document {number}: {attachment.name}"
        if attachment.kind == "pdf" and not attachment.withheld:
            if pdf.y > pdf.t_margin:
                pdf.add_page()
        else:
            pdf.y += PARAGRAPH_GAP
        pdf.heading(heading, SUBHEADING_PT, keep=pdf.line_height(BODY_PT) * 2)
        pdf.note_entry(number)
        pdf.note(attachment.ref)
        if attachment.withheld:
            pdf.flow(attachment.withheld, style="B")
        elif attachment.kind == "pdf":
            self.pdf_pages(attachment)
        elif attachment.kind == "docx":
            for index, text in enumerate(attachment_texts("docx", attachment.data)):
                if text.strip() or attachment.cuts.get(index):
                    pdf.flow(text, attachment.cuts.get(index, ()))
                    pdf.y += PARAGRAPH_GAP
        else:
            self.picture(attachment)
        pdf.y += PARAGRAPH_GAP

    def pdf_pages(self, attachment: Attachment) -> None:
        pdf = self.pdf
        images = list(pdf_page_images(attachment.data, attachment.cuts, font_files()["B"]))
        for number, page in enumerate(images, start=1):
            if number > 1:
                pdf.add_page()
            pdf.flow(f"{attachment.name}, page {number} of {len(images)}", size=META_PT, grey=True)
            pdf.y += PARAGRAPH_GAP / 2
            for cut in attachment.cuts.get(number - 1, ()):
                pdf.note(cut.ref)
            width_mm, height_mm = page.width * MM_PER_POINT, page.height * MM_PER_POINT
            self.place_image(page.jpeg, width_mm, height_mm, border=True)

    def picture(self, attachment: Attachment) -> None:
        data, width_px, height_px = clean_image(attachment.kind, attachment.data)
        to_mm = 25.4 / PICTURE_DPI
        self.place_image(data, width_px * to_mm, height_px * to_mm)

    def place_image(self, data: bytes, width: float, height: float, border: bool = False) -> None:
        """An image at its own size, or smaller to fit the rest of the page (a new page when
        little is left), centred."""
        pdf = self.pdf
        room = pdf.bottom - pdf.y
        if room < min(SMALLEST_PICTURE_MM, height):
            pdf.add_page()
            room = pdf.bottom - pdf.y
        scale = min(1.0, pdf.epw / width, room / height)
        width, height = width * scale, height * scale
        x = pdf.l_margin + (pdf.epw - width) / 2
        pdf.image(io.BytesIO(data), x=x, y=pdf.y, w=width, h=height)
        if border:
            pdf.set_draw_color(RULE_GREY)
            pdf.rect(x, pdf.y, width, height)
            pdf.set_draw_color(0)
        pdf.y += height


def render_bundle(content: Content) -> Rendered:
    """The bundle as a PDF: cover letter, index, then each section in the order given.

    Cut text is never written to the file (a black box labelled with the exemption code
    stands in its place); withheld passages, records and documents print their `withheld`
    words only. `Rendered.pages` gives the page of each cut's and each given ref.

    Raises ValueError for a cut outside its text or a cut on a picture, FontMissing when
    the font is not installed, AttachmentUnreadable for a document that cannot be read.
    """
    return _BundleWriter(content).render()


# --- the redaction schedule -----------------------------------------------------------------


def render_schedule(
    title: str, rows: list[tuple[str, ...]], headings: tuple[str, ...], *, issuer: str = ""
) -> bytes:
    """A plain table as a PDF (A4 landscape): the redaction schedule for the IG officer and
    the ICO (each redaction's page, exemption and reason; it holds what was redacted, so it
    is never sent to the requester), a certificate of destruction.

    `issuer`, when given, is whose document it is (the council, from the policy): printed
    above the title on the first page. The first page prints the title once, as its
    heading; the pages after it carry it as their running title. Column widths follow the
    length of each column's text. Raises ValueError when a row's cells do not match the
    headings.
    """
    for row in rows:
        if len(row) != len(headings):
            raise ValueError(f"A schedule row has {len(row)} cells for {len(headings)} headings")
    pdf = _Pdf(f"{title}, {issuer}" if issuer else title, orientation="L")
    pdf.running_title_from = 2
    pdf.add_page()
    if issuer:
        pdf.flow(issuer, size=BODY_PT)
    pdf.flow(title, style="B", size=HEADING_PT)
    pdf.y += PARAGRAPH_GAP
    widths = _column_widths(headings, rows, pdf.epw)
    laid = [pdf.lay_row(row, widths, INDEX_PT) for row in rows]
    header = pdf.header_height(headings, widths, INDEX_PT)
    placed = pdf.paginate([row.height for row in laid], pdf.y, header)
    if laid:
        pdf.draw_table(headings, laid, placed, widths, INDEX_PT)
    return bytes(pdf.output())


def _column_widths(
    headings: Sequence[str], rows: Sequence[Sequence[str]], total: float
) -> list[float]:
    """Widths in proportion to each column's longer texts (a long reason gets the room)."""
    weights = []
    for column, heading in enumerate(headings):
        lengths = sorted(len(str(row[column])) for row in rows) or [0]
        typical = lengths[int(len(lengths) * 0.9)] if len(lengths) > 1 else lengths[0]
        weights.append(min(max(len(heading), typical, 4), 60))
    scale = total / sum(weights)
    return [weight * scale for weight in weights]


# --- protection -----------------------------------------------------------------------------


def protect(pdf: bytes, password: str) -> bytes:
    """The PDF encrypted with AES-256 (pypdf) so it opens only with `password`; its metadata
    is the title and producer alone (no XMP, author, subject or dates).

    The owner password is random and thrown away: no one can lift the protection without
    the document's password. Raises ValueError for an empty password.
    """
    if not password:
        raise ValueError("A bundle cannot be protected with an empty password")
    reader = PdfReader(io.BytesIO(pdf))
    title = (reader.metadata or {}).get("/Title", "")
    writer = PdfWriter(clone_from=reader)
    if "/Metadata" in writer.root_object:
        del writer.root_object["/Metadata"]
    writer.metadata = {"/Title": str(title), "/Producer": PRODUCER}
    writer.encrypt(
        user_password=password,
        owner_password=secrets.token_urlsafe(32),
        algorithm="AES-256",
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- every text in a file -------------------------------------------------------------------


def all_text(pdf: bytes, password: str | None = None) -> str:
    """Every text anywhere in a PDF, joined by newlines, for a test to search.

    Each page's text layer (pypdf and pypdfium2), the document information, the XMP
    metadata, annotations, the outline, embedded files, every string of every object, and
    every stream decompressed (read as Latin-1 and as UTF-8), so content streams, form
    XObjects and image data are searched as raw bytes too. Raises pypdf's or pypdfium2's
    error when the file is encrypted and `password` does not open it.
    """
    parts: list[str] = []
    reader = PdfReader(io.BytesIO(pdf), password=password)
    for page in reader.pages:
        parts.append(page.extract_text() or "")
        for annotation in page.get("/Annots") or []:
            parts.extend(_strings(annotation.get_object()))
    parts.extend(str(value) for value in (reader.metadata or {}).values())
    if reader.xmp_metadata is not None:
        parts.append(_decoded(reader.xmp_metadata.stream.get_data()))
    parts.extend(_outline_titles(reader.outline))
    for name, contents in reader.attachments.items():
        parts.append(name)
        parts.extend(_decoded(data) for data in contents)
    for number in range(1, int(reader.trailer.get("/Size", 0))):
        try:
            obj = reader.get_object(number)
        except Exception:  # noqa: S112 - a free or broken object holds no text
            continue
        if obj is None:
            continue
        parts.extend(_strings(obj))
        if isinstance(obj, StreamObject):
            try:
                parts.append(_decoded(obj.get_data()))
            except Exception:  # an image filter pypdf does not decode: search it raw
                parts.append(_decoded(obj._data))
    document = pdfium.PdfDocument(pdf, password=password)
    try:
        for page in document:
            textpage = page.get_textpage()
            parts.append(textpage.get_text_bounded())
            textpage.close()
    finally:
        document.close()
    return "\n".join(parts)


def _decoded(data: bytes) -> str:
    return data.decode("latin-1") + "\n" + data.decode("utf-8", errors="replace")


def _strings(obj: object, depth: int = 0) -> list[str]:
    """The strings in a PDF object, through its dictionaries and arrays (not through
    references: every object is visited on its own)."""
    if depth > 50:
        return []
    if isinstance(obj, TextStringObject):
        return [str(obj)]
    if isinstance(obj, ByteStringObject):
        return [_decoded(bytes(obj))]
    if isinstance(obj, DictionaryObject):
        found = [str(key) for key in obj]
        for value in obj.values():
            found.extend(_strings(value, depth + 1))
        return found
    if isinstance(obj, ArrayObject):
        return [text for item in obj for text in _strings(item, depth + 1)]
    return []


def _outline_titles(outline: list) -> list[str]:
    titles = []
    for item in outline:
        if isinstance(item, list):
            titles.extend(_outline_titles(item))
        else:
            titles.append(str(item.get("/Title", "")))
    return titles
