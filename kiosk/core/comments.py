"""Personal numbers in free-text comments: found and masked before a comment is stored.

A "digit run" is digits joined by separators, with an optional leading "+"; a run of
MASK_MIN_DIGITS or more digits is masked. Between two digits of a run may stand:
- up to three separator marks: dashes of every kind (-, en dash, em dash, minus sign
  U+2212, full-width hyphen), dots, brackets, "/" and "_" (and their full-width forms),
  with any amount of white space around them (spaces, no-break and ideographic spaces,
  tabs, a newline);
- or a single comma with nothing around it (081,234,5678).
Invisible format characters (zero-width space, direction marks: Unicode category Cf) are
ignored. A digit is any character with a digit value: ASCII, Thai, full-width,
superscript and subscript digits alike.

That covers 13-digit ID numbers (1234567890123, 1-2345-67890-12-3, 1 2345 67890 12 3),
phone numbers (081-234-5678, 0812345678, 02-205-1315, (02) 205 1315, +66 81 234 5678,
081–234–5678, 081/234/5678) and several phone numbers written in a row, and also bank
account numbers. Prices, times, counts and hotlines (1599) are shorter and stay; so does a
number grouped by thousands with commas (1,000,000,000 baht is a price), and a comma
followed by a space ends a run, as it ends an item of a list ("1599, 10:30, 2025-01-15").
"""

import re
import unicodedata

MASK_CHAR = "\u2022"  # •
MASK_MIN_DIGITS = 9
MAX_MARKS = 3  # separator marks between two digits of a run

_MARKS = set("-.()[]/_\u2212") | {chr(0xFF00 + ord(c) - 0x20) for c in "-.()[]/_"}  # and full-width forms
_COMMAS = {",", "\uff0c"}
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _is_digit(ch):
    return unicodedata.digit(ch, None) is not None


def _is_invisible(ch):
    return unicodedata.category(ch) == "Cf"


def _is_mark(ch):
    return ch in _MARKS or unicodedata.category(ch) == "Pd"


def _may_join(ch):
    return _is_invisible(ch) or _is_mark(ch) or ch.isspace() or ch in _COMMAS


def strip_invisible(text):
    """The text without invisible format characters (category Cf: U+200B, U+202E, ...)."""
    return "".join(ch for ch in text if not _is_invisible(ch))


def _joins(gap):
    """True when the characters between two digits keep them in one run."""
    visible = [ch for ch in gap if not _is_invisible(ch)]
    if visible and all(ch in _COMMAS for ch in visible):
        return len(visible) == 1
    marks = 0
    for ch in visible:
        if _is_mark(ch):
            marks += 1
        elif not ch.isspace():
            return False
    return marks <= MAX_MARKS


def _runs(text):
    """(start, end) of each digit run in `text`."""
    index, length = 0, len(text)
    while index < length:
        if not _is_digit(text[index]):
            index += 1
            continue
        start = index - 1 if index and text[index - 1] == "+" else index
        end = index + 1
        while True:
            probe = end
            while probe < length and _may_join(text[probe]):
                probe += 1
            if probe < length and _is_digit(text[probe]) and _joins(text[end:probe]):
                end = probe + 1
            else:
                break
        yield start, end
        index = end


def _ascii_digits(run):
    return "".join(str(unicodedata.digit(ch)) if _is_digit(ch) else ch for ch in run if not _is_invisible(ch))


def mask_personal_numbers(text):
    """Mask ID, phone and other long numbers (digits become •); returns (text, masked?)."""
    pieces, last, masked = [], 0, False
    for start, end in _runs(text):
        run = text[start:end]
        if sum(map(_is_digit, run)) < MASK_MIN_DIGITS or _THOUSANDS.fullmatch(_ascii_digits(run)):
            continue
        masked = True
        pieces.append(text[last:start])
        pieces.append("".join(MASK_CHAR if _is_digit(ch) else ch for ch in run))
        last = end
    pieces.append(text[last:])
    return "".join(pieces), masked
