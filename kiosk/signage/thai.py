"""Poster lines from the kiosk's one Thai line-breaking rule (kiosk.core.thaiwords: the
same word boundaries, keep-whole compounds and space rules as the screens): atoms for
addresses, and the filling of lines no wider than a measure.
"""

from __future__ import annotations

import re

from kiosk.core.thaiwords import (  # noqa: F401  (the poster code and its tests use them from here)
    KEEP_WHOLE_FILE,
    WORDS_FILE,
    Atom,
    atoms,
    dictionary,
    keep_whole,
    segment,
    split_compound,
    words,
)

_URL_BREAK = re.compile(r"(?<=[/.\-?&=_])(?=[^/.\-?&=_])")


def url_atoms(url: str) -> list[Atom]:
    """An address as atoms that may break after "/", ".", "-", "?", "&", "=", "_"
    (never inside a name), so that a long address wraps instead of being cut."""
    parts = [p for p in _URL_BREAK.split(url) if p]
    out = [Atom(p, "", "url") for p in parts]
    if out:
        out[-1] = Atom(out[-1].text, "", "")
    return out


def break_lines(items: list[Atom], width: float, measure, space_ratio: float = 0.6) -> tuple[list[str], bool]:
    """Fill lines no wider than ``width`` (``measure(str) -> float``) from atoms.
    A line breaks at its last opportunity, but at its last space if that keeps the
    line at least ``space_ratio`` full (phrases stay whole where they can).
    Returns (lines, fits): ``fits`` is False when some atom alone is wider than
    ``width`` (the caller shrinks the text; nothing is ever split inside an atom)."""
    lines: list[str] = []
    fits = True
    i = 0
    n = len(items)
    while i < n:
        line = items[i].text
        last_ok = None  # (index of the atom that ends the line, text)
        last_space = None
        if measure(line) > width:
            fits = False
        j = i
        while j + 1 < n:
            a = items[j]
            if a.brk:
                last_ok = (j, line)
                if a.brk == "space":
                    last_space = (j, line)
            cand = line + a.sep + items[j + 1].text
            if measure(cand) > width:
                break
            line = cand
            j += 1
        else:
            lines.append(line)
            break
        if last_ok is None:
            # no break opportunity on this line: keep going to the next one (overflow)
            k = j + 1
            while k < n and not items[k - 1].brk:
                line += items[k - 1].sep + items[k].text
                k += 1
            fits = False
            lines.append(line)
            i = k
            continue
        pick = last_ok
        if last_space is not None and last_space[0] != last_ok[0] and measure(last_space[1]) >= space_ratio * width:
            pick = last_space
        lines.append(pick[1])
        i = pick[0] + 1
    return lines, fits
