"""The kiosk's content: service manuals, situations, No Gift Policy, e-services,
"about the station" and case-progress guidance, read from TOML files.

Defaults live in kiosk/content/ (schema: kiosk/content/README.md). A station
may keep its own directory of TOML files: a file there with the same relative
path replaces the default file whole, and a new services/<slug>.toml adds a
service. Everything is validated when loaded; any mistake raises ContentError
naming the file, the entry and the field.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk.core.vocab import MANUAL_SECTIONS, SECTION_TO_UNIT

DEFAULT_DIR = Path(__file__).with_name("defaults")

DOCUMENT_KINDS = ("original", "copy", "original_and_copy", "none")
STATION_CONTACT = "station"  # phone/url placeholder resolved from about.toml [contact]

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KEY_RE = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")
_PHONE_RE = re.compile(r"^\+?[0-9](?:[0-9 \-]*[0-9])?$")


class ContentError(ValueError):
    """Invalid content; the message reads "<file>: <entry.field>: <problem>"."""


# --------------------------------------------------------------------------
# Data classes handed to the screens (all frozen, tuples for lists).


@dataclass(frozen=True)
class Text:
    """A bilingual text. ``get(lang)`` returns English for "en*", else Thai."""

    th: str
    en: str

    def get(self, lang: str | None = "th") -> str:
        """The text in ``lang`` ("th" or "en"); falls back to Thai."""
        if lang and lang.lower().startswith("en") and self.en:
            return self.en
        return self.th

    t = get  # short alias for templates: {{ service.name.t(lang) }}

    def __str__(self) -> str:
        return self.th


@dataclass(frozen=True)
class Step:
    text: Text
    minutes: int | None = None  # None: the time is explained in ``note``
    note: Text | None = None


@dataclass(frozen=True)
class Document:
    name: Text
    kind: str  # one of DOCUMENT_KINDS
    copies: int  # 0 when kind == "none"
    note: Text | None = None


@dataclass(frozen=True)
class Service:
    slug: str
    section: str  # one of vocab.MANUAL_SECTIONS
    order: int
    name: Text
    summary: Text
    counter: Text
    conditions: tuple[Text, ...]
    steps: tuple[Step, ...]
    total_minutes: int | None  # None when the service is counted in days
    time_standard: Text
    station_standard: bool  # True: the time is the station's own standard
    documents: tuple[Document, ...]
    fee: Text
    fee_baht: int
    complaint: Text
    legal_basis: tuple[Text, ...]
    keywords: tuple[str, ...]  # situation keys
    redirect: bool = False  # True: the service is done elsewhere, see redirect_to
    redirect_to: Text | None = None
    online_url: str | None = None
    public_url: str | None = None

    @property
    def unit(self) -> str:
        """The EIT unit key of the service's section."""
        return SECTION_TO_UNIT[self.section]


@dataclass(frozen=True)
class Situation:
    key: str
    label: Text
    icon: str


@dataclass(frozen=True)
class Notice:
    """The Licensing Facilitation Act rule shown in every manual."""

    title: Text
    body: Text
    points: tuple[Text, ...]
    legal_basis: Text


@dataclass(frozen=True)
class Channel:
    key: str
    name: Text
    note: Text
    phone: str | None = None
    url: str | None = None
    demo: bool = False  # placeholder: the station must set its own value


@dataclass(frozen=True)
class Policy:
    title: Text
    statement: Text
    for_citizens: tuple[Text, ...]
    legal_basis: tuple[Text, ...]
    exceptions: tuple[Text, ...]
    announcement: Text
    how_to_report: tuple[Text, ...]
    channels: tuple[Channel, ...]


@dataclass(frozen=True)
class EService:
    key: str
    name: Text
    what: Text
    url: str | None = None
    phone: str | None = None
    demo: bool = False


@dataclass(frozen=True)
class Contact:
    name: Text
    phone: str
    website: str
    address: Text
    demo: bool


@dataclass(frozen=True)
class Pledge:
    text: Text
    time: Text | None = None
    minutes: int | None = None


@dataclass(frozen=True)
class Facility:
    key: str
    name: Text
    available: bool
    note: Text | None = None
    demo: bool = False


@dataclass(frozen=True)
class Hours:
    label: Text
    time: Text
    demo: bool = False


@dataclass(frozen=True)
class Shift:
    label: Text
    time: str  # "08:00-16:00"


@dataclass(frozen=True)
class Shifts:
    summary: Text
    points: tuple[Text, ...]
    shifts: tuple[Shift, ...]
    demo: bool


@dataclass(frozen=True)
class Figure:
    label: Text
    value: str
    demo: bool = False


@dataclass(frozen=True)
class About:
    contact: Contact
    role: Text
    mission: tuple[Text, ...]
    pledges: tuple[Pledge, ...]
    facilities: tuple[Facility, ...]
    hours: tuple[Hours, ...]
    shifts: Shifts
    figures_title: Text
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class CaseProgress:
    title: Text
    intro: Text
    privacy: Text
    steps: tuple[Text, ...]
    bring: tuple[Text, ...]
    channels: tuple[Channel, ...]


@dataclass(frozen=True)
class Content:
    services: tuple[Service, ...]  # sorted by section (MANUAL_SECTIONS), order, slug
    situations: tuple[Situation, ...]
    notice: Notice
    policy: Policy
    eservices: tuple[EService, ...]
    about: About
    case_progress: CaseProgress

    def service(self, slug: str) -> Service | None:
        """The service with this slug, or None."""
        for s in self.services:
            if s.slug == slug:
                return s
        return None

    def by_section(self) -> list[tuple[str, tuple[Service, ...]]]:
        """(section key, services) pairs in MANUAL_SECTIONS order; empty sections are left out."""
        out = []
        for section in MANUAL_SECTIONS:
            group = tuple(s for s in self.services if s.section == section)
            if group:
                out.append((section, group))
        return out

    def services_in(self, section: str) -> tuple[Service, ...]:
        """The services of one section, in display order."""
        return tuple(s for s in self.services if s.section == section)

    def situation(self, key: str) -> Situation | None:
        """The situation chip with this key, or None."""
        for s in self.situations:
            if s.key == key:
                return s
        return None

    def services_for_situation(self, key: str) -> tuple[Service, ...]:
        """Services whose keywords list this situation key: those that list it
        earlier in their keywords first, then by ``order`` and slug."""
        found = [s for s in self.services if key in s.keywords]
        return tuple(sorted(found, key=lambda s: (s.keywords.index(key), s.order, s.slug)))

    def public_url(self, service: Service, base_url: str) -> str:
        """See the module-level :func:`public_url`."""
        return public_url(service, base_url)


def public_url(service: Service, base_url: str) -> str:
    """The URL a citizen takes home for a service (its QR code): the service's own
    ``public_url`` if set, else ``base_url`` + "/" + slug."""
    if service.public_url:
        return service.public_url
    return base_url.rstrip("/") + "/" + service.slug


# --------------------------------------------------------------------------
# Validation helpers.


class _Node:
    """One TOML table being read; remembers the file and the path for errors,
    and which keys were read, so that unknown (mistyped) keys are reported."""

    def __init__(self, file: str, data: Any, path: str = ""):
        self.file = file
        self.path = path
        if not isinstance(data, dict):
            self._raise(path or "(file)", "must be a table")
        self.data = data
        self.seen: set[str] = set()

    def _raise(self, where: str, msg: str):
        raise ContentError(f"{self.file}: {where}: {msg}")

    def where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, msg: str):
        self._raise(self.where(key), msg)

    def _get(self, key: str, required: bool) -> Any:
        self.seen.add(key)
        if key not in self.data:
            if required:
                self.fail(key, "missing")
            return None
        return self.data[key]

    def done(self) -> None:
        extra = sorted(set(self.data) - self.seen)
        if extra:
            self.fail(extra[0], "unknown field")

    def string(self, key: str, required: bool = True, pattern: re.Pattern | None = None) -> str | None:
        v = self._get(key, required)
        if v is None:
            return None
        if not isinstance(v, str):
            self.fail(key, "must be a string")
        if not v.strip():
            self.fail(key, "must not be blank")
        if pattern is not None and not pattern.match(v):
            self.fail(key, f"invalid value {v!r}")
        return v

    def integer(self, key: str, required: bool = True, minimum: int = 0) -> int | None:
        v = self._get(key, required)
        if v is None:
            return None
        if not isinstance(v, int) or isinstance(v, bool):
            self.fail(key, "must be an integer")
        if v < minimum:
            self.fail(key, f"must be at least {minimum}")
        return v

    def boolean(self, key: str, default: bool = False) -> bool:
        v = self._get(key, False)
        if v is None:
            return default
        if not isinstance(v, bool):
            self.fail(key, "must be true or false")
        return v

    def choice(self, key: str, choices: tuple[str, ...]) -> str:
        v = self.string(key)
        if v not in choices:
            self.fail(key, "must be one of " + ", ".join(choices))
        return v

    def text(self, key: str, required: bool = True) -> Text | None:
        v = self._get(key, required)
        if v is None:
            return None
        return _text(self.file, v, self.where(key))

    def texts(self, key: str, nonempty: bool = True) -> tuple[Text, ...]:
        items = self._list(key, nonempty)
        return tuple(_text(self.file, v, f"{self.where(key)}[{i}]") for i, v in enumerate(items))

    def nodes(self, key: str, nonempty: bool = True) -> list[_Node]:
        items = self._list(key, nonempty)
        return [_Node(self.file, v, f"{self.where(key)}[{i}]") for i, v in enumerate(items)]

    def node(self, key: str) -> _Node:
        return _Node(self.file, self._get(key, True), self.where(key))

    def keys(self, key: str) -> tuple[str, ...]:
        items = self._list(key, nonempty=False)
        for i, v in enumerate(items):
            if not isinstance(v, str) or not _KEY_RE.match(v):
                self._raise(f"{self.where(key)}[{i}]", "must be a lowercase key")
        return tuple(items)

    def _list(self, key: str, nonempty: bool) -> list:
        v = self._get(key, True)
        if not isinstance(v, list):
            self.fail(key, "must be a list")
        if nonempty and not v:
            self.fail(key, "must not be empty")
        return v

    def url(self, key: str, required: bool = False, station: str | None = None) -> str | None:
        v = self.string(key, required)
        if v is None:
            return None
        if v == STATION_CONTACT and station is not None:
            return station
        parts = urlsplit(v)
        if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in v):
            self.fail(key, f"must be an https URL with a host, not {v!r}")
        return v

    def phone(self, key: str, required: bool = False, station: str | None = None) -> str | None:
        v = self.string(key, required)
        if v is None:
            return None
        if v == STATION_CONTACT and station is not None:
            return station
        if not _PHONE_RE.match(v) or sum(c.isdigit() for c in v) < 3:
            self.fail(key, f"must be a phone number (digits, spaces, hyphens), not {v!r}")
        return v


def _text(file: str, v: Any, where: str) -> Text:
    if not isinstance(v, dict):
        raise ContentError(f"{file}: {where}: must be a table with th and en")
    for lang in ("th", "en"):
        s = v.get(lang)
        if s is None:
            raise ContentError(f"{file}: {where}.{lang}: missing")
        if not isinstance(s, str):
            raise ContentError(f"{file}: {where}.{lang}: must be a string")
        if not s.strip():
            raise ContentError(f"{file}: {where}.{lang}: must not be blank")
    extra = sorted(set(v) - {"th", "en"})
    if extra:
        raise ContentError(f"{file}: {where}.{extra[0]}: unknown field")
    return Text(v["th"].strip(), v["en"].strip())


# --------------------------------------------------------------------------
# Readers, one per file kind.


def _read_service(n: _Node, stem: str, situation_keys: set[str]) -> Service:
    slug = n.string("slug", pattern=_SLUG_RE)
    if slug != stem:
        n.fail("slug", f"must equal the file name {stem!r}")
    section = n.choice("section", MANUAL_SECTIONS)
    order = n.integer("order")
    name, summary, counter = n.text("name"), n.text("summary"), n.text("counter")
    redirect = n.boolean("redirect")
    redirect_to = n.text("redirect_to", required=redirect)
    conditions = n.texts("conditions")

    steps = []
    for s in n.nodes("steps"):
        text = s.text("text")
        minutes = s.integer("minutes", required=False)
        note = s.text("note", required=minutes is None)
        s.done()
        steps.append(Step(text, minutes, note))
    total = n.integer("total_minutes", required=False)
    if total is not None and all(s.minutes is not None for s in steps) and sum(s.minutes for s in steps) != total:
        n.fail("total_minutes", f"is {total} but the steps add up to {sum(s.minutes for s in steps)}")
    time_standard = n.text("time_standard")
    station_standard = n.boolean("station_standard")

    documents = []
    doc_nodes = n.nodes("documents")
    for d in doc_nodes:
        dname = d.text("name")
        kind = d.choice("kind", DOCUMENT_KINDS)
        if kind == "none":
            if len(doc_nodes) > 1:
                d.fail("kind", '"none" must be the only document')
            copies = d.integer("copies", required=False) or 0
            if copies:
                d.fail("copies", 'must be 0 when kind is "none"')
        else:
            copies = d.integer("copies", minimum=1)
        note = d.text("note", required=False)
        d.done()
        documents.append(Document(dname, kind, copies, note))

    fee = n.text("fee")
    fee_baht = n.integer("fee_baht")
    complaint = n.text("complaint")
    legal_basis = n.texts("legal_basis")
    online_url = n.url("online_url")
    public = n.url("public_url")
    keywords = n.keys("keywords")
    for i, k in enumerate(keywords):
        if k not in situation_keys:
            n._raise(f"keywords[{i}]", f"unknown situation {k!r}; known: {', '.join(sorted(situation_keys))}")
    n.done()
    return Service(
        slug=slug,
        section=section,
        order=order,
        name=name,
        summary=summary,
        counter=counter,
        conditions=conditions,
        steps=tuple(steps),
        total_minutes=total,
        time_standard=time_standard,
        station_standard=station_standard,
        documents=tuple(documents),
        fee=fee,
        fee_baht=fee_baht,
        complaint=complaint,
        legal_basis=legal_basis,
        keywords=keywords,
        redirect=redirect,
        redirect_to=redirect_to,
        online_url=online_url,
        public_url=public,
    )


def _read_manual(n: _Node) -> tuple[Notice, tuple[Situation, ...]]:
    nn = n.node("notice")
    notice = Notice(nn.text("title"), nn.text("body"), nn.texts("points"), nn.text("legal_basis"))
    nn.done()
    situations, seen = [], set()
    for s in n.nodes("situations"):
        key = s.string("key", pattern=_KEY_RE)
        if key in seen:
            s.fail("key", f"duplicate situation {key!r}")
        seen.add(key)
        situations.append(Situation(key, s.text("label"), s.string("icon", pattern=_KEY_RE)))
        s.done()
    n.done()
    return notice, tuple(situations)


def _read_channels(n: _Node, key: str, contact: Contact) -> tuple[Channel, ...]:
    out, seen = [], set()
    for c in n.nodes(key):
        ckey = c.string("key", pattern=_KEY_RE)
        if ckey in seen:
            c.fail("key", f"duplicate key {ckey!r}")
        seen.add(ckey)
        uses_station = c.data.get("phone") == STATION_CONTACT or c.data.get("url") == STATION_CONTACT
        phone = c.phone("phone", station=contact.phone)
        url = c.url("url", station=contact.website)
        if phone is None and url is None:
            c.fail("phone", "a channel needs a phone or a url")
        demo = c.boolean("demo") or (uses_station and contact.demo)
        out.append(Channel(ckey, c.text("name"), c.text("note"), phone, url, demo))
        c.done()
    return tuple(out)


def _read_policy(n: _Node, contact: Contact) -> Policy:
    p = Policy(
        title=n.text("title"),
        statement=n.text("statement"),
        for_citizens=n.texts("for_citizens"),
        legal_basis=n.texts("legal_basis"),
        exceptions=n.texts("exceptions"),
        announcement=n.text("announcement"),
        how_to_report=n.texts("how_to_report"),
        channels=_read_channels(n, "channels", contact),
    )
    n.done()
    return p


def _read_eservices(n: _Node, contact: Contact) -> tuple[EService, ...]:
    out, seen = [], set()
    for c in n.nodes("cards"):
        key = c.string("key", pattern=_KEY_RE)
        if key in seen:
            c.fail("key", f"duplicate key {key!r}")
        seen.add(key)
        uses_station = c.data.get("phone") == STATION_CONTACT or c.data.get("url") == STATION_CONTACT
        name, what = c.text("name"), c.text("what")
        url = c.url("url", station=contact.website)
        phone = c.phone("phone", station=contact.phone)
        if url is None and phone is None:
            c.fail("url", "a card needs a url or a phone")
        demo = c.boolean("demo") or (uses_station and contact.demo)
        c.done()
        out.append(EService(key, name, what, url, phone, demo))
    n.done()
    return tuple(out)


def _read_contact(n: _Node) -> Contact:
    c = n.node("contact")
    contact = Contact(
        c.text("name"),
        c.phone("phone", required=True),
        c.url("website", required=True),
        c.text("address"),
        c.boolean("demo"),
    )
    c.done()
    return contact


def _read_about(n: _Node, contact: Contact) -> About:
    pledges = []
    for p in n.nodes("pledges"):
        pledges.append(Pledge(p.text("text"), p.text("time", required=False), p.integer("minutes", required=False)))
        p.done()
    facilities = []
    for f in n.nodes("facilities"):
        facilities.append(
            Facility(
                f.string("key", pattern=_KEY_RE),
                f.text("name"),
                f.boolean("available", default=True),
                f.text("note", required=False),
                f.boolean("demo"),
            )
        )
        f.done()
    hours = []
    for h in n.nodes("hours"):
        hours.append(Hours(h.text("label"), h.text("time"), h.boolean("demo")))
        h.done()
    s = n.node("shifts")
    shift_list = []
    for sh in s.nodes("shifts"):
        shift_list.append(Shift(sh.text("label"), sh.string("time", pattern=re.compile(r"^\d\d:\d\d-\d\d:\d\d$"))))
        sh.done()
    shifts = Shifts(s.text("summary"), s.texts("points"), tuple(shift_list), s.boolean("demo"))
    s.done()
    figures = []
    for f in n.nodes("figures"):
        figures.append(Figure(f.text("label"), f.string("value"), f.boolean("demo")))
        f.done()
    about = About(
        contact,
        n.text("role"),
        n.texts("mission"),
        tuple(pledges),
        tuple(facilities),
        tuple(hours),
        shifts,
        n.text("figures_title"),
        tuple(figures),
    )
    n.done()
    return about


def _read_case_progress(n: _Node, contact: Contact) -> CaseProgress:
    cp = CaseProgress(
        n.text("title"),
        n.text("intro"),
        n.text("privacy"),
        n.texts("steps"),
        n.texts("bring"),
        _read_channels(n, "channels", contact),
    )
    n.done()
    return cp


# --------------------------------------------------------------------------
# Loading.


def _toml_files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*.toml")) if p.is_file()}


def _parse(rel: str, path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{rel}: (file): invalid TOML: {exc}") from None
    except OSError as exc:
        raise ContentError(f"{rel}: (file): cannot read: {exc}") from None


def load_content(override_dir: str | Path | None = None, default_dir: str | Path | None = None) -> Content:
    """Read and validate all content: the defaults in kiosk/content/, with a
    station's ``override_dir`` laid over them file by file (same relative path
    replaces the default file whole; a new services/<slug>.toml adds a service;
    a services file holding only ``disabled = true`` removes that service).
    Raises ContentError naming the file, the entry and the field."""
    files = _toml_files(Path(default_dir) if default_dir else DEFAULT_DIR)
    if override_dir is not None:
        odir = Path(override_dir)
        if not odir.is_dir():
            raise ContentError(f"{odir}: (directory): not found")
        files.update(_toml_files(odir))

    def node(rel: str) -> _Node:
        if rel not in files:
            raise ContentError(f"{rel}: (file): missing")
        return _Node(rel, _parse(rel, files[rel]))

    notice, situations = _read_manual(node("manual.toml"))
    about_node = node("about.toml")
    contact = _read_contact(about_node)
    about = _read_about(about_node, contact)
    policy = _read_policy(node("policy.toml"), contact)
    eservices = _read_eservices(node("eservices.toml"), contact)
    case_progress = _read_case_progress(node("case_progress.toml"), contact)

    known = {"manual.toml", "about.toml", "policy.toml", "eservices.toml", "case_progress.toml"}
    situation_keys = {s.key for s in situations}
    services = []
    for rel in sorted(files):
        if rel in known:
            continue
        parts = rel.split("/")
        if len(parts) != 2 or parts[0] != "services":
            raise ContentError(f"{rel}: (file): unexpected file; services go in services/<slug>.toml")
        n = node(rel)
        if n.data == {"disabled": True}:
            continue
        services.append(_read_service(n, Path(parts[1]).stem, situation_keys))

    order = {s: i for i, s in enumerate(MANUAL_SECTIONS)}
    services.sort(key=lambda s: (order[s.section], s.order, s.slug))
    for i, sit in enumerate(situations):
        if not any(sit.key in s.keywords for s in services):
            raise ContentError(f"manual.toml: situations[{i}].key: no service lists {sit.key!r} in its keywords")
    return Content(tuple(services), situations, notice, policy, eservices, about, case_progress)
