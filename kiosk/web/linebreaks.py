"""The kiosk's one Thai line-breaking rule (kiosk.core.thaiwords), marked in a citizen
screen's HTML on the server.

Chromium breaks Thai with its own dictionary, which splits compounds ("แจ้ง|ความ",
"เจ้า|หน้าที่"): `word-break: keep-all` does not stop it for Thai. So every run of text
that holds Thai (or a hyphenated keep-whole word such as e-Service) goes into a
`<span class="tw">` (white-space: nowrap, in kiosk.css) with a `<wbr>` at each word
boundary that the posters use too: the browser may break there, and at the spaces
between runs, and nowhere else. `<wbr>` adds no character, so copying, searching,
accessible names and the tests' text matching see the text unchanged.

The rewrite works on the rendered HTML's text nodes only (never inside a tag, an
attribute, a comment, <script>, <style>, <textarea>, <title>, <svg>, <code> or <pre>),
and leaves alone any element marked `data-own-breaks` (QR addresses, which break
after "/" and "." instead).
"""

import re
from functools import lru_cache

from markupsafe import Markup

from kiosk.core.thaiwords import atoms

_TOKEN = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_SKIPPED_TAGS = {"script", "style", "textarea", "title", "svg", "code", "pre"}
_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_THAI = re.compile(r"[\u0E01-\u0E4E]")
_HYPHENATED = re.compile(r"\w-\w")
_ADDRESS = re.compile(r"://|www\.|@|\.(?:go|co|ac|or)\.th|\.com\b", re.IGNORECASE)
# A piece this long with no word boundary of ours is left to the browser: a break inside
# it is better than a line wider than the screen.
LONGEST_UNBROKEN = 40
# A text this short without a space is a label (a button, a face, a chip): one line, with
# no <wbr> in it at all (a <wbr> hidden by CSS would put a space into the control's
# accessible name in Chromium: "ตัวอักษร ใหญ่").
SHORT_LABEL = 12


def mark_breaks(html):
    """`html` with the Thai line-break opportunities marked (see the module's docstring)."""
    out = []
    pos = 0
    skip_tag, skip_depth = None, 0
    for match in _TOKEN.finditer(html):
        text = html[pos : match.start()]
        if text:
            out.append(text if skip_tag else mark_text(text))
        tag = match.group()
        out.append(tag)
        pos = match.end()
        if tag.startswith("<!--"):
            continue
        if skip_tag:
            name = tag[2:].split(">")[0].split()[0].lower() if tag.startswith("</") else None
            start = _START.match(tag)
            if start and start.group(1).lower() == skip_tag and not tag.endswith("/>"):
                skip_depth += 1
            elif name == skip_tag:
                skip_depth -= 1
                if skip_depth == 0:
                    skip_tag = None
            continue
        start = _START.match(tag)
        if not start or tag.endswith("/>"):
            continue
        name = start.group(1).lower()
        if name in _VOID_TAGS:
            continue
        if name in _SKIPPED_TAGS or "data-own-breaks" in tag:
            skip_tag, skip_depth = name, 1
    tail = html[pos:]
    if tail:
        out.append(tail if skip_tag else mark_text(tail))
    return Markup("".join(out)) if isinstance(html, Markup) else "".join(out)


def _needs_marking(text):
    return bool(_THAI.search(text) or (_HYPHENATED.search(text) and not _ADDRESS.search(text)))


@lru_cache(maxsize=16384)  # the same texts come back on every render
def mark_text(text):
    """One text node (already HTML-escaped) with its runs in nowrap spans and <wbr> at
    the word boundaries; unchanged if it holds no Thai and no hyphenated word."""
    if not _needs_marking(text):
        return text
    core = text.strip()
    if len(core) <= SHORT_LABEL and not any(c.isspace() for c in core):
        return text.replace(core, _run(core, label=True), 1)
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    out = [lead[:1]] if lead else []
    group = []
    for atom in atoms(core):
        if atom.brk == "word":
            group += [atom.text, "<wbr>"]
            continue
        group.append(atom.text)
        if atom.brk == "space" or not atom.sep:
            out.append(_run("".join(group)))
            group = []
            if atom.sep:
                out.append(" ")
        else:  # a space that must not break ("16.30 น.", "มาตรา 128")
            group.append(atom.sep)
    if group:
        out.append(_run("".join(group)))
    if trail:
        out.append(trail[:1])
    return "".join(out)


def _run(run, label=False):
    """A run between two spaces: kept on one line, breaking only at its <wbr>."""
    if _ADDRESS.search(run) or not (_needs_marking(run) or " " in run):
        return run.replace("<wbr>", "")
    if max(len(piece) for piece in run.split("<wbr>")) > LONGEST_UNBROKEN:
        return run.replace("<wbr>", "")
    return f'<span class="tw tl">{run}</span>' if label else f'<span class="tw">{run}</span>'


_MARK = re.compile(r'<span class="tw(?: tl)?">((?:[^<]|<wbr>)*)</span>|<wbr>')


def unmark(html):
    """`html` without the marks `mark_breaks` adds: the text as the templates wrote it
    (for a reader of the raw HTML, such as a test that looks for a sentence)."""
    return _MARK.sub(lambda m: (m.group(1) or "").replace("<wbr>", ""), html)
