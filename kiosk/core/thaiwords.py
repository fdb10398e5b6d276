"""Where a line may break in Thai (and mixed Thai and Latin) text: the one rule of the
kiosk's screens (kiosk.web.linebreaks marks it in the HTML) and of its posters
(kiosk.signage.thai fills the lines with it).

Thai is written without spaces between words; a line may break only between
words. This module finds word boundaries by dictionary-based maximal matching
(the segmentation of a run of Thai letters into the fewest dictionary words,
as few unknown letters as possible first), with a compact word list in
``words_th.txt`` (the words of the kiosk's own content plus common Thai words;
see that file's header). It is conservative where it is unsure: a break is
offered only between two dictionary words, never next to letters it does not
know, so an unknown word is kept whole.

``keep_whole_th.txt`` lists compounds and names that never break, even where
their parts are words of their own (แจ้งความ, เจ้าหน้าที่, ผู้บังคับบัญชา, e-Service):
Chromium's own dictionary splits them, and a split can change the meaning
("ไม่ต้องแจ้ง|ความ").

Spaces are break opportunities too (Thai uses them between phrases), except
before ๆ and ฯ, before "น." (as in "16.30 น."), between a few
abbreviations and the number that follows them ("พ.ศ. 2561", "มาตรา 128"),
and between a number and its unit or month ("3 งาน", "20 นาที", "1 ม.ค. 2570").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kiosk.core.thaidate import MONTHS_TH_ABBR

WORDS_FILE = Path(__file__).with_name("words_th.txt")
KEEP_WHOLE_FILE = Path(__file__).with_name("keep_whole_th.txt")

# Thai letters and marks (not the Thai digits, ๆ or ฯ, which are handled apart).
_THAI_LETTER = re.compile(r"[\u0E01-\u0E2E\u0E30-\u0E3A\u0E40-\u0E45\u0E47-\u0E4E]+")
# Characters that never begin a line: they belong to the word before.
_GLUE_BEFORE = ("ๆ", "ฯ")
# Chunks that stay on the line of the word before them.
_NO_BREAK_BEFORE = {"น.", "น.)", "น.,", "*"}
# Abbreviations that stay with the number after them.
_NO_BREAK_AFTER_IF_NUMBER = {"พ.ศ.", "ค.ศ.", "มาตรา", "โทร.", "ข้อ", "ฉบับที่", "ปีงบประมาณ", "B.E.", "no."}
_NUMBER = re.compile(r"^[(\[]?[0-9๐-๙][0-9๐-๙,.\-/:]*")
_ENDS_WITH_NUMBER = re.compile(r"[0-9๐-๙][)\],.]?$")
# Units and month abbreviations that stay with the number before them ("3 งาน", "1 ม.ค.").
_UNITS = {
    "งาน",
    "นาที",
    "วัน",
    "วันทำการ",
    "บาท",
    "ชั่วโมง",
    "ปี",
    "คน",
    "ราย",
    "ครั้ง",
    "เท่า",
    "เดือน",
} | set(MONTHS_TH_ABBR)
_MONTHS = set(MONTHS_TH_ABBR)


def _read_list(path: Path) -> set[str]:
    return {
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }


@lru_cache(maxsize=1)
def keep_whole() -> tuple[frozenset[str], re.Pattern | None]:
    """The compounds and names that never break, and a pattern that finds them (longest first)."""
    entries = frozenset(_read_list(KEEP_WHOLE_FILE))
    if not entries:
        return entries, None
    return entries, re.compile("|".join(re.escape(e) for e in sorted(entries, key=len, reverse=True)))


@lru_cache(maxsize=1)
def dictionary() -> tuple[frozenset[str], int]:
    """The word list (a frozen set, the keep-whole compounds included) and the length of
    its longest word."""
    words = _read_list(WORDS_FILE) | {w for w in keep_whole()[0] if _THAI_LETTER.fullmatch(w)}
    return frozenset(words), max((len(w) for w in words), default=1)


@lru_cache(maxsize=4096)
def segment(run: str) -> tuple[tuple[str, bool], ...]:
    """Split a run of Thai letters into (piece, known) pairs: the fewest unknown
    letters, then the fewest words (maximal matching), then the longest first
    word. Unknown letters come out one by one, with known = False."""
    words, longest = dictionary()
    n = len(run)
    # best[i] = (unknown letters, pieces) for run[i:], and the end of the first piece.
    best: list[tuple[int, int]] = [(0, 0)] * (n + 1)
    nxt = [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        choice = None
        for j in range(min(n, i + longest), i, -1):  # longest first: wins ties
            if run[i:j] in words:
                cost = (best[j][0], best[j][1] + 1)
                if choice is None or cost < choice[0]:
                    choice = (cost, j)
        unknown = (best[i + 1][0] + 1, best[i + 1][1] + 1)
        if choice is None or unknown < choice[0]:
            choice = (unknown, i + 1)
        best[i], nxt[i] = choice
    out: list[tuple[str, bool]] = []
    i = 0
    while i < n:
        j = nxt[i]
        piece = run[i:j]
        out.append((piece, piece in words))
        i = j
    return tuple(out)


COMPOUND_MIN = 16  # known words this long may break between the words they are made of


@lru_cache(maxsize=4096)
def split_compound(word: str) -> tuple[str, ...]:
    """A long dictionary word made only of other dictionary words (a compound
    such as สำนักงานปลัดสำนักนายกรัฐมนตรี) as those words; else the word itself."""
    if len(word) < COMPOUND_MIN or word in keep_whole()[0]:
        return (word,)
    words_, longest = dictionary()
    n = len(word)
    best: list[tuple[int, int] | None] = [None] * (n + 1)
    best[n] = (0, n)
    for i in range(n - 1, -1, -1):
        for j in range(min(n, i + longest), i, -1):
            if (j - i < n) and best[j] is not None and word[i:j] in words_:
                cost = best[j][0] + 1
                if best[i] is None or cost < best[i][0]:
                    best[i] = (cost, j)
    if best[0] is None:
        return (word,)
    out, i = [], 0
    while i < n:
        j = best[i][1]
        out.append(word[i:j])
        i = j
    # a piece of one or two letters is more likely a bad cut than a word
    if any(len(p) < 3 for p in out):
        return (word,)
    return tuple(out)


def words(text: str) -> list[str]:
    """The pieces of ``text`` between which a line may break without a space
    (Thai word boundaries); non-Thai characters stay with their neighbours, and a
    keep-whole compound is never cut. ``"".join(words(t)) == t`` always."""
    pieces = _glue_prefixes(_dictionary_words(text))
    entries, pattern = keep_whole()
    if len(pieces) < 2 or pattern is None:
        return pieces
    inside = set()
    for m in pattern.finditer(text):
        inside.update(range(m.start() + 1, m.end()))
    if not inside:
        return pieces
    out, pos = [], 0
    for piece in pieces:
        if out and pos in inside:
            out[-1] += piece
        else:
            out.append(piece)
        pos += len(piece)
    return out


# Prefixes that make a word of the word after them (ผู้ตอบ, การประเมิน, ความคืบหน้า): a line
# never ends on one.
PREFIXES = frozenset({"ผู้", "การ", "ความ", "นัก", "ชาว"})


def _glue_prefixes(pieces: list[str]) -> list[str]:
    out: list[str] = []
    glue = False
    for piece in pieces:
        if glue and out:
            out[-1] += piece
        else:
            out.append(piece)
        glue = piece in PREFIXES
    return out


def _dictionary_words(text: str) -> list[str]:
    """The pieces of ``text`` at its dictionary word boundaries."""
    pieces: list[str] = []
    pos = 0
    glue_next = False  # the previous piece must not break from the next one
    for m in _THAI_LETTER.finditer(text):
        if m.start() > pos:  # non-Thai characters: glue to the previous piece
            _append(pieces, text[pos : m.start()], glue=True)
            glue_next = True
        segs = [(p, k) for p, k in _expand(segment(m.group()))]
        # Breaks only between two known words; unknown letters join both neighbours.
        group = ""
        prev_known = False
        for piece, known in segs:
            if group and known and prev_known:
                _append(pieces, group, glue=glue_next)
                glue_next = False
                group = ""
            group += piece
            prev_known = known
        _append(pieces, group, glue=glue_next)
        glue_next = not prev_known
        pos = m.end()
        # a Thai run next to non-Thai characters stays attached to them
        if pos < len(text):
            glue_next = True
    if pos < len(text):
        _append(pieces, text[pos:], glue=True)
    return pieces


def _expand(segs):
    for piece, known in segs:
        if known:
            for p in split_compound(piece):
                yield p, True
        else:
            yield piece, False


def _append(pieces: list[str], s: str, glue: bool) -> None:
    if not s:
        return
    if glue and pieces:
        pieces[-1] += s
    else:
        pieces.append(s)


@dataclass(frozen=True)
class Atom:
    """An unbreakable piece of a line. ``sep`` is what goes between it and the
    next atom on the same line ("" or " "); ``brk`` how the line may break after
    it: "space" (the space is dropped), "word" (a Thai word boundary), "url"
    (after a "/" or "." in an address) or "" (never)."""

    text: str
    sep: str
    brk: str


def atoms(text: str) -> list[Atom]:
    """``text`` (one paragraph; whitespace runs count as one space) as atoms."""
    chunks = text.split()
    out: list[Atom] = []
    for ci, chunk in enumerate(chunks):
        pieces = words(chunk)
        for pi, piece in enumerate(pieces):
            last = pi == len(pieces) - 1
            out.append(Atom(piece, " " if last else "", "space" if last else "word"))
        if ci + 1 < len(chunks):
            nxt = chunks[ci + 1]
            if (
                nxt.startswith(_GLUE_BEFORE)
                or nxt in _NO_BREAK_BEFORE
                or ((chunk in _NO_BREAK_AFTER_IF_NUMBER or chunk in _MONTHS) and _NUMBER.match(nxt))
                or (
                    _ENDS_WITH_NUMBER.search(chunk)
                    and (nxt in _UNITS or nxt.rstrip(")],;:") in _UNITS or nxt.rstrip(")],.;:") in _UNITS)
                )
            ):
                a = out[-1]
                out[-1] = Atom(a.text, " ", "")
    if out:
        a = out[-1]
        out[-1] = Atom(a.text, "", "")
    return out
