"""Poster definitions (signage/posters.toml) read, checked and resolved against
the kiosk's content and settings: what goes on each poster, ready to draw.

The file is first validated by the models of schema.py; then a value "@a.b.c" is looked up in the content and settings (see README.md in
signage/); bilingual texts written in the file may use {station}, {label},
{eit_period}, {phone} and {website}. Mistakes raise PosterError naming the
file, the poster and the field.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from kiosk.config.settings import Settings, eit_period
from kiosk.content.loader import (
    Channel,
    Content,
    EService,
    Facility,
    Figure,
    Hours,
    Pledge,
    Service,
    Shifts,
    Text,
    public_url,
)
from kiosk.content.pages import MAIN_PAGES, page_url
from kiosk.core.i18n import Label
from kiosk.core.thaidate import MONTHS_EN, MONTHS_TH_ABBR, be_year
from kiosk.core.vocab import SECTION_LABELS, UNIT_LABELS, UNITS
from kiosk.signage.schema import PosterError, read_definitions

__all__ = [
    "POSTER_WORDS",
    "Block",
    "Card",
    "Poster",
    "PosterError",
    "LANGUAGE_POSTERS",
    "bilingual",
    "build_posters",
    "in_language",
    "load_definitions",
    "period_text",
]

DEFINITIONS_FILE = Path(__file__).resolve().parents[2] / "signage" / "posters.toml"
# The words every poster's header and footer use, from the message catalogue.
POSTER_WORDS = {
    "tagline": Label("One Stop Service"),
    "no_gift": Label("No gifts accepted here"),
    "phone": Label("Phone"),
    "demo_note": Label("* Sample data: the station replaces it before posting"),
}

_INDEX = re.compile(r"^(\w+)\[(-?\d+|-?\d*:-?\d*)\]$")  # "points[0]", "points[0:2]"


@dataclass(frozen=True)
class Card:
    """One card of a ``cards`` block: a service, a channel or an e-service."""

    title: Text
    url: str | None = None
    phone: str | None = None
    body: Text | None = None
    meta: tuple[Text, ...] = ()
    demo: bool = False


@dataclass
class Block:
    kind: str
    heading: Text | None = None
    text: Text | None = None
    items: list[Any] = field(default_factory=list)
    url: str | None = None
    caption: Text | None = None
    style: str = "normal"
    numbered: bool = False
    label: Text | None = None
    date_label: Text | None = None
    shifts: Shifts | None = None
    optional: bool = False  # may be left out when the poster is full
    compact: bool = False  # cards: names and numbers only, no descriptions


@dataclass
class Poster:
    name: str
    title: Text
    subtitle: Text | None
    blocks: list[Block]
    index: list[tuple[Text, list[Text]]] = field(default_factory=list)  # for "index" blocks
    lang: str = "en"  # the language under the Thai: English, or another the station offers

    @property
    def urls(self) -> list[str]:
        """Every address that the poster shows as a QR code, in order."""
        out = []
        for b in self.blocks:
            if b.kind == "qr":
                out.append(b.url)
            elif b.kind == "cards":
                out += [c.url for c in b.items if c.url]
        return out


def load_definitions(path: str | Path | None = None) -> dict:
    path = Path(path) if path else DEFINITIONS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PosterError(f"{path.name}: {exc}") from None
    return data


def period_text(start: dt.date, end: dt.date) -> Text:
    """ "1 ม.ค. 2568 - 30 มิ.ย. 2568" / "1 Jan 2025 - 30 Jun 2025"."""

    def th(d):
        return f"{d.day} {MONTHS_TH_ABBR[d.month - 1]} {be_year(d)}"

    def en(d):
        return f"{d.day} {MONTHS_EN[d.month - 1][:3]} {d.year}"

    return Text(f"{th(start)} – {th(end)}", f"{en(start)} – {en(end)}")


# --------------------------------------------------------------------------
# The definitions resolved against the content and settings.


class _PosterBuilder:
    """Looks up the "@" references of one poster and fills in its texts."""

    def __init__(self, content: Content, settings: Settings, today: dt.date, where: str):
        self.content = content
        self.settings = settings
        self.where = where
        station = settings.station
        start, end = eit_period(settings, today)
        period = period_text(start, end)
        self.fill = {
            "station": Text(station.name_th, station.name_en),
            "eit_period": period,
            "phone": Text(content.about.contact.phone, content.about.contact.phone),
            "website": Text(station.website, station.website),
        }
        # The published site's pages a poster may point at ("@pages.manual").
        self.pages = {name.replace("-", "_"): page_url(settings.public.base_url, name) for name in MAIN_PAGES}

    def fail(self, where: str, msg: str):
        raise PosterError(f"{self.where}: {where}: {msg}")

    def ref(self, value: str, where: str, ctx: dict) -> Any:
        path = value[1:].split(".")
        roots = {
            "policy": self.content.policy,
            "about": self.content.about,
            "notice": self.content.notice,
            "eservices": self.content.eservices,
            "case_progress": self.content.case_progress,
            "settings": self.settings,
            "pages": self.pages,
            **ctx,
        }
        if path[0] not in roots:
            self.fail(where, f"unknown reference {value!r}; starts with one of {', '.join(sorted(roots))}")
        obj = roots[path[0]]
        for part in path[1:]:
            m = _INDEX.match(part)
            part, sl = (m.group(1), m.group(2)) if m else (part, None)
            if isinstance(obj, dict) and part in obj:
                obj = obj[part]
            elif not isinstance(obj, dict) and hasattr(obj, part) and not part.startswith("_"):
                obj = getattr(obj, part)
            else:
                self.fail(where, f"unknown reference {value!r}")
            if sl is not None:
                if not isinstance(obj, (list, tuple)):
                    self.fail(where, f"{value!r}: only a list can be indexed")
                a, colon, b = sl.partition(":")
                if colon:
                    obj = obj[int(a) if a else None : int(b) if b else None]
                elif int(a) < len(obj):
                    obj = obj[int(a)]
                else:
                    self.fail(where, f"{value!r}: no item {a}")
        return obj

    def text(self, value: Any, where: str, ctx: dict) -> Text | None:
        """A validated text value ({ th, en } or "@reference") as a Text, or None."""
        if value is None:
            return None
        if isinstance(value, str):
            value = self.ref(value, where, ctx)
            if isinstance(value, str):
                return Text(value, value)
            if not isinstance(value, Text):
                self.fail(where, "must refer to a text")
            return value
        fill = dict(self.fill)
        if "label" in ctx:
            fill["label"] = ctx["label"]
        try:
            return Text(*(value[lang].format_map({k: t.get(lang) for k, t in fill.items()}) for lang in ("th", "en")))
        except (KeyError, ValueError, IndexError) as exc:
            self.fail(where, f"unknown placeholder {exc}; use {', '.join('{' + k + '}' for k in fill)}")

    def items(self, value: Any, where: str, ctx: dict) -> list[Any]:
        if isinstance(value, str):
            value = self.ref(value, where, ctx)
            if isinstance(value, (Text, str)) or not isinstance(value, (list, tuple)):
                value = [value]
            return list(value)
        return [self.text(v, f"{where}[{i}]", ctx) for i, v in enumerate(value)]

    def card(self, item: Any, where: str) -> Card:
        base = self.settings.public.base_url
        if isinstance(item, Service):
            meta = (
                Text(f"ระยะเวลา: {item.time_standard.th}", f"Time: {item.time_standard.en}"),
                Text(f"ค่าใช้จ่าย: {item.fee.th}", f"Cost: {item.fee.en}"),
            )
            return Card(item.name, url=public_url(item, base), meta=meta)
        if isinstance(item, Channel):
            return Card(item.name, url=item.url, phone=item.phone, body=item.note, demo=item.demo)
        if isinstance(item, EService):
            return Card(item.name, url=item.url, phone=item.phone, body=item.what, demo=item.demo)
        self.fail(where, "cards take services, channels or e-services")

    def block(self, d: Any, where: str, ctx: dict) -> Block:
        """The block drawn from its validated definition ``d``."""
        kind = d.kind
        b = Block(kind, optional=d.optional)
        b.heading = self.text(getattr(d, "heading", None), f"{where}.heading", ctx)
        if kind in ("lead", "banner", "text") and d.text is not None:
            b.text = self.text(d.text, f"{where}.text", ctx)
        if getattr(d, "items", None) is not None:
            b.items = self.items(d.items, f"{where}.items", ctx)
        if kind == "text":
            if b.text is None and not b.items:
                self.fail(where, "a text block needs text or items")
            b.style = d.style
            if b.text is not None:
                b.items = [b.text] + b.items
            self._expect(b.items, Text, f"{where}.items")
        elif kind == "bullets":
            b.numbered = d.numbered
            self._expect(b.items, Text, f"{where}.items")
        elif kind == "cards":
            source_items = b.items
            if d.keys is not None:
                by_key = {getattr(it, "key", None): it for it in b.items}
                if not isinstance(d.keys, list) or any(k not in by_key for k in d.keys):
                    self.fail(f"{where}.keys", f"must list keys of the items: {', '.join(map(str, by_key))}")
                source_items = [by_key[k] for k in d.keys]
            cards = [self.card(item, f"{where}.items[{i}]") for i, item in enumerate(source_items)]
            if d.only == "with_url":
                cards = [c for c in cards if c.url]
            elif d.only == "without_url":
                cards = [c for c in cards if not c.url]
            b.items = cards
            b.compact = d.compact
        elif kind == "qr":
            url = d.url
            if url.startswith("@"):
                url = self.ref(url, f"{where}.url", ctx)
            if not isinstance(url, str) or not url.startswith("https://"):
                self.fail(f"{where}.url", "must be an https address or an @ reference to one")
            b.url = url
            b.caption = self.text(d.caption, f"{where}.caption", ctx)
        elif kind == "pledges":
            self._expect(b.items, Pledge, f"{where}.items")
        elif kind == "facilities":
            self._expect(b.items, Facility, f"{where}.items")
            b.items = [f for f in b.items if f.available]
        elif kind == "hours":
            self._expect(b.items, Hours, f"{where}.items")
        elif kind == "figures":
            self._expect(b.items, Figure, f"{where}.items")
        elif kind == "shifts":
            shifts = self.ref(d.shifts, f"{where}.shifts", ctx) if isinstance(d.shifts, str) else None
            if not isinstance(shifts, Shifts):
                self.fail(f"{where}.shifts", 'must be "@about.shifts"')
            b.shifts = shifts
        elif kind == "duty_box":
            b.label = self.text(d.label, f"{where}.label", ctx)
            b.date_label = self.text(d.date_label, f"{where}.date_label", ctx)
        return b

    def _expect(self, items, cls, where):
        for i, item in enumerate(items):
            if not isinstance(item, cls):
                self.fail(f"{where}[{i}]", f"must be a {cls.__name__.lower()}")


def build_posters(
    content: Content,
    settings: Settings,
    data: dict | None = None,
    today: dt.date | None = None,
    source: str = "posters.toml",
) -> list[Poster]:
    """The posters of the definitions, expanded (one per section or unit where
    the definition says ``each``) and resolved, in file order."""
    data = load_definitions() if data is None else data
    today = today or dt.date.today()
    out: list[Poster] = []
    seen = set()
    for i, definition in enumerate(read_definitions(data.get("posters"), source)):
        name, each = definition.name, definition.each
        where = f"posters[{i}] ({name})"
        contexts: list[tuple[str, dict]] = []
        if each == "section":
            for key, services in content.by_section():
                contexts.append(
                    (
                        key,
                        {
                            "key": key,
                            "label": bilingual(SECTION_LABELS[key]),
                            "section": {"services": list(services)},
                        },
                    )
                )
        elif each == "unit":
            for key in UNITS:
                contexts.append((key, {"key": key, "label": bilingual(UNIT_LABELS[key])}))
        else:
            contexts.append(("", {}))
        for key, ctx in contexts:
            pname = name.format(key=key.replace("_", "-")) if each else name
            if pname in seen:
                raise PosterError(f"{source}: {where}.name: {pname!r} is used twice")
            seen.add(pname)
            r = _PosterBuilder(content, settings, today, f"{source}: {where}")
            poster = Poster(
                name=pname,
                title=r.text(definition.title, "title", ctx),
                subtitle=r.text(definition.subtitle, "subtitle", ctx),
                blocks=[r.block(b, f"blocks[{j}]", ctx) for j, b in enumerate(definition.blocks)],
            )
            poster.blocks = [
                b
                for b in poster.blocks
                if b.items or b.kind not in ("cards", "facilities", "figures", "hours", "pledges")
            ]
            if any(b.kind == "index" for b in poster.blocks):
                poster.index = [
                    (bilingual(SECTION_LABELS[k]), [s.name for s in group]) for k, group in content.by_section()
                ]
            out.append(poster)
    return out


def bilingual(label: Label, lang: str = "en") -> Text:
    """A catalogue label in Thai and English (or `lang`), as a poster shows it."""
    return Text(label.in_language("th"), label.in_language(lang))


# The posters a station's other languages get too: the No Gift Policy and where to report.
LANGUAGE_POSTERS = ("no-gift", "anti-bribery", "hotlines")


def _under_thai(value: Any, lang: str) -> Any:
    """`value` with each Text's English replaced by its `lang` translation (English where it has none)."""
    if isinstance(value, Text):
        return Text(value.th, value.get(lang) if value.has(lang) else value.en)
    if isinstance(value, Label):
        return bilingual(value, lang)
    if isinstance(value, BaseModel):
        return value.model_copy(update={k: _under_thai(getattr(value, k), lang) for k in type(value).model_fields})
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: _under_thai(getattr(value, f.name), lang) for f in fields(value) if f.init})
    if isinstance(value, list):
        return [_under_thai(v, lang) for v in value]
    if isinstance(value, tuple):
        return tuple(_under_thai(v, lang) for v in value)
    if isinstance(value, dict):
        return {k: _under_thai(v, lang) for k, v in value.items()}
    return value


def in_language(poster: Poster, lang: str, base_url: str) -> Poster:
    """`poster` in Thai over `lang` ("no-gift-my"): its texts, and its codes to the site's `lang` pages."""
    under = _under_thai(poster, lang)
    own = base_url.rstrip("/") + "/"
    for block in under.blocks:
        if block.url and block.url.startswith(own):
            block.url = _page_in(block.url, own, lang)
        block.items = [
            replace(item, url=_page_in(item.url, own, lang))
            if isinstance(item, Card) and item.url and item.url.startswith(own)
            else item
            for item in block.items
        ]
    return replace(under, name=f"{poster.name}-{lang}", lang=lang)


def _page_in(url: str, own: str, lang: str) -> str:
    """The address of the site's page `url` in `lang` (the Thai page's path under lang/)."""
    rest = url[len(own) :]
    return own + (rest if rest.startswith(f"{lang}/") else f"{lang}/{rest or 'index.html'}")
