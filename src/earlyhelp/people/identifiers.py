"""Validation, normalisation and synthetic generation of UK personal identifiers.

Pure Python (no Django) so the rules can be tested in isolation and shared by
forms, models and the synthetic-data generator.

* NHS number: ten digits, the last a modulus 11 check digit.
* UPN (DfE unique pupil number): a check letter followed by twelve characters.
* UK postcode: outward code + inward code, e.g. ``NW5 2AB``.

Generators take an explicit :class:`random.Random` so synthetic data is
deterministic for a given seed.
"""

from __future__ import annotations

import random
import re

__all__ = [
    "NHS_ISSUED_RANGES",
    "NHS_TEST_PREFIX",
    "NHS_TEST_RANGE",
    "POSTCODE_PARTS_PATTERN",
    "UPN_LETTERS",
    "format_nhs_number",
    "make_nhs_number",
    "make_upn",
    "nhs_check_digit",
    "nhs_number_is_valid",
    "nhs_number_range",
    "normalise_nhs_number",
    "normalise_postcode",
    "normalise_upn",
    "postcode_district",
    "postcode_is_valid",
    "postcode_sector",
    "upn_check_letter",
    "upn_is_valid",
]

_WHITESPACE = re.compile(r"\s+")

# ---------------------------------------------------------------------------
# NHS number
# ---------------------------------------------------------------------------
# NHS Data Dictionary, "NHS Number" (modulus 11), as restated by e.g.
# com.eldrix.concierge.nhs-number and R epidm::valid_nhs:
#   1. multiply each of the first nine digits by 10, 9, ..., 2;
#   2. sum the products; 3. take the remainder mod 11;
#   4. check digit = 11 - remainder; 11 -> 0; 10 -> the number is never issued.
# Worked example used in the tests: 943 476 5919.
#
# Synthetic numbers use the prefix 999: the 999 000 0000 - 999 999 9999 range is
# reserved for test and demo data and never issued to a patient (see the
# nhs-number crate's "NHS Number Ranges" notes; currently issued ranges are
# 3xx, 4xx and 6xx-7xx), so a generated number cannot be a real person's.

NHS_TEST_PREFIX = "999"
_NHS_DIGITS = re.compile(r"[0-9]{10}")

# The ranges of ten-digit numbers ever issued to a person, as (where, first, last), both
# ends included. Source: the NHS Number ranges as published with NHS Wales's nhs-number
# library (docs.rs/nhs-number, "NHS Number Ranges") and Wikipedia "NHS number":
# England 3xx, 4xx and 6xx-7xx (Wales and the Isle of Man share 4xx and 6xx-7xx);
# 320 000 0010 - 399 999 9999 is Northern Ireland's Health and Care Number;
# 010 100 0000 - 311 299 9999 is Scotland's CHI number (a date of birth, DDMMYY, then
# four digits). A child who moved from Scotland or Northern Ireland keeps their number,
# so all of them are accepted. Nothing else (000..., 5xx, 8xx, 9xx) was ever issued.
NHS_ISSUED_RANGES: tuple[tuple[str, int, int], ...] = (
    ("Scotland (CHI number)", 101_000_000, 3_112_999_999),
    ("England", 3_000_000_000, 3_999_999_999),
    ("Northern Ireland (Health and Care Number)", 3_200_000_010, 3_999_999_999),
    ("England, Wales and the Isle of Man", 4_000_000_000, 4_999_999_999),
    ("England, Wales and the Isle of Man", 6_000_000_000, 7_999_999_999),
)
# Valid by the check digit, never issued to a patient: for test and demo data only.
NHS_TEST_RANGE: tuple[int, int] = (9_990_000_000, 9_999_999_999)


def nhs_check_digit(first_nine: str) -> int | None:
    """Return the modulus 11 check digit for the first nine digits of an NHS number.

    Returns ``None`` when the computed check value is 10: no NHS number is ever
    issued with that stem. Raises :class:`ValueError` unless ``first_nine`` is
    exactly nine ASCII digits.
    """
    if not re.fullmatch(r"[0-9]{9}", first_nine):
        raise ValueError("an NHS number stem is nine digits")
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalise_nhs_number(value: str) -> str:
    """Return the NHS number as ten digits with any whitespace removed.

    ``"943 476 5919"`` becomes ``"9434765919"``. Raises :class:`ValueError` if
    what is left is not exactly ten ASCII digits. The check digit is not tested
    here: use :func:`nhs_number_is_valid`.
    """
    digits = _WHITESPACE.sub("", value)
    if not _NHS_DIGITS.fullmatch(digits):
        raise ValueError("an NHS number is ten digits")
    return digits


def nhs_number_is_valid(value: str) -> bool:
    """Return whether ``value`` is a well-formed NHS number with a correct check digit.

    Spaces (any whitespace) between the digits are allowed, so the usual
    ``3 3 4`` display form is accepted.
    """
    try:
        digits = normalise_nhs_number(value)
    except (TypeError, ValueError):
        return False
    check = nhs_check_digit(digits[:9])
    return check is not None and check == int(digits[9])


def nhs_number_range(value: str) -> str | None:
    """Return ``"issued"``, ``"test"`` or ``None``: where the NHS number ``value`` falls.

    ``"issued"``: in one of :data:`NHS_ISSUED_RANGES`; ``"test"``: in the
    :data:`NHS_TEST_RANGE`, never a real person's; ``None``: never issued (e.g.
    ``000 000 0000``, which passes the check digit). Whitespace is ignored. Raises
    :class:`ValueError` unless ``value`` is ten digits. The check digit is not tested here.
    """
    number = int(normalise_nhs_number(value))
    if NHS_TEST_RANGE[0] <= number <= NHS_TEST_RANGE[1]:
        return "test"
    if any(first <= number <= last for _, first, last in NHS_ISSUED_RANGES):
        return "issued"
    return None


def format_nhs_number(value: str) -> str:
    """Return the NHS number in its display form ``"943 476 5919"``.

    Raises :class:`ValueError` if ``value`` is not ten digits (whitespace allowed).
    """
    digits = normalise_nhs_number(value)
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def make_nhs_number(rng: random.Random) -> str:
    """Return a valid synthetic NHS number (ten digits, no spaces) from the 999 test range.

    The result is always ``999`` + six random digits + the check digit; stems
    whose check value would be 10 are skipped, so the result is always valid.
    """
    while True:
        stem = NHS_TEST_PREFIX + "".join(str(rng.randrange(10)) for _ in range(6))
        check = nhs_check_digit(stem)
        if check is not None:
            return f"{stem}{check}"


# ---------------------------------------------------------------------------
# UPN (unique pupil number)
# ---------------------------------------------------------------------------
# Rule, as confirmed from the UK Government Data Standards Catalogue entry
# "Unique Pupil Number" v2.0 (govtalk.gov.uk/gdsc, agreed 18 Nov 2004, owner DfE)
# and the DfE census validation rule 1510 as restated in school MIS help pages
# (Arbor, Juniper "Census Error 1510"):
#
# * Format ``Annnnnnnnnnnn`` (permanent) or ``AnnnnnnnnnnnA`` (temporary).
#   Characters 2-13: LA number (3 digits), establishment number (4 digits),
#   last two digits of the academic year (2), then 3 serial digits (permanent)
#   or 2 serial digits and a letter (temporary).
# * Check letter (character 1): sum of value x position over characters 2-13,
#   the first of them counting as position 2 (weights 2..13), modulo 23, mapped
#   0->A, 1->B, ..., 22->Z over the 23 letters below: I, O and S are skipped.
# * I, O and S are used neither as a check letter nor as the final character of
#   a temporary UPN. The final letter of a temporary UPN enters the sum with the
#   same value as in the check-letter mapping (A=0, B=1, ..., H=7, J=8, ...).
#   So the 13th character may be any of these 23 letters, NOT any of A-Z.
#
# Known-good examples: B801200005001 (python-stdnum stdnum.gb.upn docs),
# A950000178301 and H243278544154 (test data of the DfE CIN census rule 1510 in
# data-to-insight/csc-validator-be-cin). Beware the worked example on the Arbor /
# Juniper "error 1510" help pages: it "corrects" B207000016049 to Q207000016049,
# but its own products sum to 266, 266 mod 23 = 13, and 13 is P in its own table,
# so the right check letter is P (P207000016049); Q207000016049 is invalid.
# Not checked here: that the LA number is a real one (Camden is 202).

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_VALUE = {letter: index for index, letter in enumerate(UPN_LETTERS)}
_UPN_BODY = re.compile(rf"[0-9]{{11}}[0-9{UPN_LETTERS}]")
_UPN = re.compile(rf"[{UPN_LETTERS}][0-9]{{11}}[0-9{UPN_LETTERS}]")


def upn_check_letter(body12: str) -> str:
    """Return the check letter for the twelve UPN characters that follow it.

    ``body12`` is eleven digits followed by a digit (permanent UPN) or by one of
    :data:`UPN_LETTERS` (temporary UPN). Raises :class:`ValueError` otherwise.
    """
    if not _UPN_BODY.fullmatch(body12):
        raise ValueError("a UPN body is eleven digits then a digit or one of " + UPN_LETTERS)
    total = 0
    for weight, char in enumerate(body12, start=2):
        value = int(char) if char.isdigit() else _UPN_VALUE[char]
        total += value * weight
    return UPN_LETTERS[total % 23]


def normalise_upn(value: str) -> str:
    """Return ``value`` upper-cased with all whitespace removed (no validation)."""
    return _WHITESPACE.sub("", value).upper()


def upn_is_valid(value: str) -> bool:
    """Return whether ``value`` is a permanent or temporary UPN with the right check letter.

    Whitespace is ignored and lower case is accepted (see :func:`normalise_upn`).
    """
    try:
        upn = normalise_upn(value)
    except (TypeError, AttributeError):
        return False
    if not _UPN.fullmatch(upn):
        return False
    return upn_check_letter(upn[1:]) == upn[0]


def make_upn(
    rng: random.Random,
    la_code: str = "202",
    *,
    establishment: str | None = None,
    year: int | None = None,
    temporary: bool = False,
) -> str:
    """Return a valid synthetic UPN allocated by ``la_code`` (Camden is 202).

    ``establishment`` is a four-digit DfE establishment number (random if not
    given); ``year`` is the academic year of allocation (its last two digits are
    used; random 2005-2025 if not given). A ``temporary`` UPN ends in a letter.
    """
    if not re.fullmatch(r"[0-9]{3}", la_code):
        raise ValueError("an LA code is three digits")
    if establishment is None:
        establishment = f"{rng.randrange(1000, 8000):04d}"
    elif not re.fullmatch(r"[0-9]{4}", establishment):
        raise ValueError("an establishment number is four digits")
    if year is None:
        year = rng.randrange(2005, 2026)
    serial = f"{rng.randrange(100):02d}"
    last = rng.choice(UPN_LETTERS) if temporary else str(rng.randrange(10))
    body = f"{la_code}{establishment}{year % 100:02d}{serial}{last}"
    return upn_check_letter(body) + body


# ---------------------------------------------------------------------------
# UK postcodes
# ---------------------------------------------------------------------------
# Royal Mail / BS 7666 postcode format rules (as restated in e.g. the ILR
# specification's "Valid postcode format" appendix and Wikipedia "Postcodes in
# the United Kingdom"):
#   outward code: A9, A99, AA9, AA99, A9A or AA9A, where
#     - the 1st letter is never Q, V or X;
#     - the 2nd letter is never I, J or Z;
#     - a letter in the 3rd position (A9A) is one of A B C D E F G H J K P S T U W;
#     - a letter in the 4th position (AA9A) is one of A B E H M N P R V W X Y;
#   inward code: a digit then two letters, never C I K M O V.
# Also accepted: the historic special case GIR 0AA. Not accepted: overseas
# territory and BFPO codes. This checks the format only, not that the postcode
# exists (that needs the Royal Mail PAF or ONS Postcode Directory).

_P1 = "ABCDEFGHIJKLMNOPRSTUWYZ"  # not Q V X
_P2 = "ABCDEFGHKLMNOPQRSTUVWXY"  # not I J Z
_P3 = "ABCDEFGHJKPSTUW"
_P4 = "ABEHMNPRVWXY"
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # not C I K M O V

_OUTWARD = (
    rf"(?:[{_P1}][0-9]{{1,2}}"  # A9, A99
    rf"|[{_P1}][{_P2}][0-9]{{1,2}}"  # AA9, AA99
    rf"|[{_P1}][0-9][{_P3}]"  # A9A
    rf"|[{_P1}][{_P2}][0-9][{_P4}])"  # AA9A
)
_INWARD = rf"[0-9][{_INWARD_LETTERS}]{{2}}"
_POSTCODE = re.compile(
    rf"(?P<outward>{_OUTWARD})(?P<inward>{_INWARD})"
    r"|(?P<outward_gir>GIR)(?P<inward_gir>0AA)"
)
# The same rule for a compact upper-case postcode, with numbered groups, for column-wise
# engines (Polars' regex has no named groups): group 1 or 3 is the outward code.
POSTCODE_PARTS_PATTERN = rf"^(?:({_OUTWARD})({_INWARD})|(GIR)(0AA))$"


def _split_postcode(value: str) -> tuple[str, str] | None:
    """Return (outward, inward) for a postcode in any case/spacing, or None if invalid."""
    if not isinstance(value, str):
        return None
    compact = _WHITESPACE.sub("", value).upper()
    match = _POSTCODE.fullmatch(compact)
    if match is None:
        return None
    if match.group("outward") is not None:
        return match.group("outward"), match.group("inward")
    return match.group("outward_gir"), match.group("inward_gir")


def postcode_is_valid(value: str) -> bool:
    """Return whether ``value`` has the format of a UK postcode.

    Case and whitespace are ignored: ``"nw5 2ab"``, ``"NW52AB"`` and
    ``" NW5  2AB "`` are all accepted.
    """
    return _split_postcode(value) is not None


def _require_postcode(value: str) -> tuple[str, str]:
    parts = _split_postcode(value)
    if parts is None:
        raise ValueError(f"not a UK postcode: {value!r}")
    return parts


def normalise_postcode(value: str) -> str:
    """Return the postcode upper-cased with one space before the inward code.

    ``"nw52ab"`` becomes ``"NW5 2AB"``. Raises :class:`ValueError` if ``value``
    is not a UK postcode. Idempotent on its own output.
    """
    outward, inward = _require_postcode(value)
    return f"{outward} {inward}"


def postcode_district(value: str) -> str:
    """Return the outward code (postcode district): ``"SW14 2JU"`` -> ``"SW14"``.

    Raises :class:`ValueError` if ``value`` is not a UK postcode.
    """
    return _require_postcode(value)[0]


_DISTRICT = re.compile(rf"{_OUTWARD}|GIR")


def normalise_district(value: str) -> str:
    """A postcode district (the outward code) upper-cased: ``" n7 "`` -> ``"N7"``.

    Raises :class:`ValueError` if ``value`` is not the first part of a UK postcode.
    """
    compact = _WHITESPACE.sub("", value).upper() if isinstance(value, str) else ""
    if not _DISTRICT.fullmatch(compact):
        raise ValueError(f"not a UK postcode district: {value!r}")
    return compact


def postcode_sector(value: str) -> str:
    """Return the postcode sector: ``"SW14 2JU"`` -> ``"SW14 2"``.

    Raises :class:`ValueError` if ``value`` is not a UK postcode.
    """
    outward, inward = _require_postcode(value)
    return f"{outward} {inward[0]}"
