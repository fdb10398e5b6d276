"""Translations of the content into the languages beyond Thai and English.

The content files hold each text in Thai and English; a text in Myanmar, Khmer, Lao
or Chinese lives in one place only: ``translations/<lang>.toml`` (in the defaults, or
in a station's content folder or published version, file by file like any content
file). Each entry names the content file and the text's path in it, the English it
translates, the translation and whether the station has reviewed it:

    language = "my"

    ["policy.toml"]
    "title" = { en = "No Gift Policy", text = "...", reviewed = false }
    "channels[police_hotline].name" = { en = "...", text = "...", reviewed = false }
    ["services/lost-documents.toml"]
    "steps[0].text" = { en = "...", text = "...", reviewed = false }

A path is keys joined by dots; ``[n]`` picks the n-th entry of a list and ``[k]`` the
entry whose ``key`` is k. The loader lays each translation over its text (a
``Translated`` value, which the Text model keeps with its reviewed flag) when the
English still reads as the entry says. An entry whose English has changed or whose
text is gone is *stale*: it is not shown (the citizen reads the English), and the
content editor lists it for the station to redo. A malformed entry (an unknown
language, a blank text, a missing field) stops the load like any content mistake.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from kiosk.content.fields import REQUIRED_LANGUAGES, Translated
from kiosk.core.i18n import CITIZEN_LANGUAGES

PREFIX = "translations/"
TRANSLATED_LANGUAGES = tuple(code for code in CITIZEN_LANGUAGES if code not in REQUIRED_LANGUAGES)
_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[([A-Za-z0-9_-]+)\]")
_ENTRY_KEYS = {"en", "text", "reviewed"}


class TranslationError(ValueError):
    """A malformed translation file; the message reads "<file>: <where>: <problem>"."""


@dataclass(frozen=True)
class Entry:
    """One translated text: where it goes, the English it translates, the translation."""

    lang: str
    file: str
    path: str
    en: str
    text: str
    reviewed: bool


def is_translation_file(rel: str) -> bool:
    """True for translations/<lang>.toml."""
    return rel.startswith(PREFIX) and rel.count("/") == 1 and rel.endswith(".toml")


def language_of(rel: str) -> str:
    """The language code a translation file is named for."""
    return rel.removeprefix(PREFIX).removesuffix(".toml")


def parse(rel: str, data: dict) -> list[Entry]:
    """The entries of one translation file, checked; raises TranslationError naming the
    file, the content file and the path."""
    lang = language_of(rel)
    if lang not in TRANSLATED_LANGUAGES:
        raise TranslationError(f"{rel}: (file): unknown language {lang!r}; one of {', '.join(TRANSLATED_LANGUAGES)}")
    if data.get("language", lang) != lang:
        raise TranslationError(f"{rel}: language: must be {lang!r}, as the file's name says")
    entries = []
    for file, table in data.items():
        if file == "language":
            continue
        if not isinstance(table, dict) or not file.endswith(".toml"):
            raise TranslationError(f'{rel}: {file}: must be a table named by a content file, e.g. ["policy.toml"]')
        for path, entry in table.items():
            where = f"{rel}: {file}: {path}"
            if not isinstance(entry, dict) or set(entry) != _ENTRY_KEYS:
                raise TranslationError(f"{where}: must be a table with en, text and reviewed")
            if not all(isinstance(entry[k], str) and entry[k].strip() for k in ("en", "text")):
                raise TranslationError(f"{where}: en and text must be text, not blank")
            if not isinstance(entry["reviewed"], bool):
                raise TranslationError(f"{where}: reviewed must be true or false")
            if not _steps(path):
                raise TranslationError(f"{where}: not a path such as title or channels[nacc].name")
            entries.append(Entry(lang, file, path, entry["en"].strip(), entry["text"].strip(), entry["reviewed"]))
    return entries


def _steps(path: str) -> list[tuple[str | None, str | None]] | None:
    """[(key, None) | (None, index-or-key)] of a path, or None when it is not one."""
    steps = []
    for part in path.split("."):
        matches = list(_STEP.finditer(part))
        if not part or "".join(m.group(0) for m in matches) != part:
            return None
        steps.extend(m.groups() for m in matches)
    return steps


def find_text(data: dict, path: str) -> dict | None:
    """The Text table ({"th", "en"}) at ``path`` in a content file's data, or None."""
    node = data
    for key, pick in _steps(path) or [(None, None)]:
        if key is not None:
            node = node.get(key) if isinstance(node, dict) else None
        elif pick is not None and isinstance(node, list):
            if pick.isdigit():
                node = node[int(pick)] if int(pick) < len(node) else None
            else:
                node = next((item for item in node if isinstance(item, dict) and item.get("key") == pick), None)
        else:
            node = None
        if node is None:
            return None
    return node if isinstance(node, dict) and "th" in node and "en" in node else None


def lay_over(files: dict[str, dict]) -> tuple[dict[str, dict], list[Entry]]:
    """The content files with every current translation laid over its text, and the
    stale entries (English changed, or the text gone). The translation files are left
    out of the result; ``files`` is not changed."""
    content = {rel: data for rel, data in files.items() if not is_translation_file(rel)}
    entries = [e for rel in sorted(files) if is_translation_file(rel) for e in parse(rel, files[rel])]
    if not entries:
        return content, []
    content = copy.deepcopy(content)
    stale = []
    for entry in entries:
        text = find_text(content.get(entry.file, {}), entry.path)
        if text is None or " ".join(str(text["en"]).split()) != " ".join(entry.en.split()):
            stale.append(entry)
            continue
        if entry.lang not in text:  # one typed in the content file itself is left for the check to refuse
            text[entry.lang] = Translated(entry.text, entry.reviewed)
    return content, stale


def _texts(node, path=""):
    """(path, Text table) of every text in a content file's data."""
    if isinstance(node, dict):
        if "th" in node and "en" in node and isinstance(node.get("th"), str):
            yield path, node
            return
        for key, value in node.items():
            yield from _texts(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            pick = item.get("key") if isinstance(item, dict) and isinstance(item.get("key"), str) else i
            yield from _texts(item, f"{path}[{pick}]")


def status(files: dict[str, dict]) -> dict[str, dict[str, int]]:
    """For each translated language: the content's texts, how many are translated (and
    current), how many of those the station reviewed, and the stale entries."""
    merged, stale = lay_over(files)
    texts = [text for rel, data in merged.items() for _, text in _texts(data) if rel != "station.toml"]
    out = {}
    for lang in TRANSLATED_LANGUAGES:
        translated = [t for t in texts if isinstance(t.get(lang), Translated)]
        out[lang] = {
            "texts": len(texts),
            "translated": len(translated),
            "reviewed": sum(1 for t in translated if t[lang].reviewed),
            "stale": sum(1 for e in stale if e.lang == lang),
        }
    return out
