"""The citizen content as typed, frozen models: the one description of every
field of the TOML files in kiosk/content/defaults/ (schema notes in its
README.md). This module holds that one job, hence its length: one model per
table, each field with its type, its limits, and its Thai and English label and
help text (``field()``), from which forms can be built.

The models are pydantic dataclasses: frozen, unknown keys refused, and the very
objects the screens and posters read (``dataclasses.fields`` works on them).
Checks that need another file get it from the validation context the loader
passes: ``stem`` (a service file's name), ``situations`` (the situation keys of
manual.toml) and ``contact`` (about.toml's [contact], which the "station"
phone and url stand for). ``Content`` gathers the loaded files.
"""

from __future__ import annotations

from dataclasses import dataclass as plain_dataclass
from typing import Any

from pydantic import ConfigDict, StrictInt, ValidationInfo, field_validator, model_validator
from pydantic.dataclasses import dataclass
from pydantic_core import ArgsKwargs

from kiosk.content.fields import (
    STATION_CONTACT,
    Count,
    Flag,
    Key,
    Line,
    Phone,
    ShiftTime,
    SituationKey,
    Slug,
    Text,
    Url,
    field,
    one_of,
    problem,
)
from kiosk.content.pages import page_url, service_page
from kiosk.core.i18n import N_
from kiosk.core.vocab import MANUAL_SECTIONS, SECTION_TO_UNIT

DOCUMENT_KINDS = ("original", "copy", "original_and_copy", "none")
DocumentKind = one_of(DOCUMENT_KINDS)
Section = one_of(MANUAL_SECTIONS)

model = dataclass(frozen=True, kw_only=True, config=ConfigDict(extra="forbid"))

_DEMO_HELP = N_("A placeholder (made-up number, sample figure): the station must set its own value.")


def _demo() -> Any:
    return field("ข้อมูลตัวอย่าง", "Sample data", _DEMO_HELP, default=False)


def _context(info: ValidationInfo, key: str) -> Any:
    return (info.context or {}).get(key)


def _unique_keys(items: tuple, what: str) -> tuple:
    seen = set()
    for i, item in enumerate(items):
        if item.key in seen:
            raise problem(f"duplicate {what} {item.key!r}", i, "key")
        seen.add(item.key)
    return items


def _station_contact(data: Any, info: ValidationInfo) -> Any:
    """Put the station's own phone and website in place of "station", and mark
    the entry demo when they are still placeholders."""
    contact = _context(info, "contact")
    if contact is None or isinstance(data, ArgsKwargs) or not isinstance(data, dict):
        return data
    uses_station = data.get("phone") == STATION_CONTACT or data.get("url") == STATION_CONTACT
    if not uses_station:
        return data
    data = dict(data)
    if data.get("phone") == STATION_CONTACT:
        data["phone"] = contact.phone
    if data.get("url") == STATION_CONTACT:
        data["url"] = contact.website
    if contact.demo and data.get("demo", False) is False:
        data["demo"] = True
    return data


# --------------------------------------------------------------------------
# services/<slug>.toml


@model
class Step:
    """One step of a service, with its time."""

    text: Text = field("รายละเอียดขั้นตอน", "Step", "What happens in this step.")
    minutes: Count | None = field(
        "ระยะเวลา (นาที)",
        "Minutes",
        "How long the step takes; leave empty and explain in the note when it is counted in days.",
        default=None,
    )
    note: Text | None = field(
        "หมายเหตุระยะเวลา",
        "Time note",
        "Required when the step has no minutes: why, or how long in days.",
        default=None,
        validate_default=True,
    )

    @field_validator("note")
    @classmethod
    def _note_when_no_minutes(cls, note: Text | None, info: ValidationInfo) -> Text | None:
        if note is None and "minutes" in info.data and info.data["minutes"] is None:
            raise problem("missing")
        return note


@model
class Document:
    """A document the citizen brings."""

    name: Text = field("ชื่อเอกสาร", "Document", "The document, as the citizen knows it.")
    kind: DocumentKind = field(
        "ฉบับจริงหรือสำเนา",
        "Original or copy",
        'original, copy, original_and_copy, or none (the only entry: "no document needed").',
    )
    copies: StrictInt | None = field(
        "จำนวน (ฉบับ)",
        "Copies",
        'How many; at least 1, and 0 or empty when kind is "none".',
        default=None,
        validate_default=True,
    )
    note: Text | None = field("หมายเหตุ", "Note", 'Optional, e.g. "if you have one".', default=None)

    @field_validator("copies")
    @classmethod
    def _copies_for_kind(cls, copies: int | None, info: ValidationInfo) -> int:
        kind = info.data.get("kind")
        if kind == "none" and copies:
            raise problem("must be at least 0" if copies < 0 else 'must be 0 when kind is "none"')
        if kind not in (None, "none") and (copies is None or copies < 1):
            raise problem("missing" if copies is None else "must be at least 1")
        return copies or 0


@model
class Service:
    """One service of the manual (one file in services/)."""

    slug: Slug = field("รหัสงานบริการ", "Slug", "Lowercase letters, digits and hyphens; the same as the file name.")
    section: Section = field("งานที่รับผิดชอบ", "Section", "The section of the station that gives the service.")
    order: Count = field(
        "ลำดับการแสดงผล", "Display order", "Order within the section; also breaks ties among a situation's services."
    )
    most_used: Count | None = field(
        "ลำดับในบริการที่ใช้บ่อย",
        "Most used rank",
        'Optional: 1, 2, 3... lists the service under "Most used" at the top of the manual, in that order;'
        " empty for the others.",
        default=None,
    )
    name: Text = field("ชื่องานบริการ", "Service name", "The name of the service.")
    summary: Text = field("คำอธิบายโดยย่อ", "Summary", "One line: what the service is.")
    counter: Text = field("จุดให้บริการ", "Counter", "Where at the station the service is given.")
    redirect: Flag = field(
        "ให้บริการ ณ หน่วยงานอื่น", "Done elsewhere", "True when the service is given by another office.", default=False
    )
    redirect_to: Text | None = field(
        "หน่วยงานที่ให้บริการ",
        "Where to go",
        "Required when the service is done elsewhere: where to go.",
        default=None,
        validate_default=True,
    )
    conditions: tuple[Text, ...] = field(
        "หลักเกณฑ์ วิธีการ และเงื่อนไข",
        "Criteria and conditions",
        "Who may apply and on what conditions; at least one.",
        min_length=1,
    )
    steps: tuple[Step, ...] = field(
        "ขั้นตอนการให้บริการ", "Steps", "The steps, in order, with their minutes; at least one.", min_length=1
    )
    total_minutes: Count | None = field(
        "ระยะเวลาดำเนินการรวม (นาที)",
        "Total minutes",
        "Empty when the service is counted in days; when every step has minutes, their sum.",
        default=None,
    )
    time_standard: Text = field(
        "ระยะเวลาให้บริการตามมาตรฐาน",
        "Time standard",
        'As shown to the citizen, e.g. "20 minutes"; say when it is the station\'s own standard.',
    )
    station_standard: Flag = field(
        "เป็นมาตรฐานที่สถานีกำหนด",
        "Station's own standard",
        "True when no public standard exists and the station set the time.",
        default=False,
    )
    documents: tuple[Document, ...] = field(
        "เอกสารหลักฐานประกอบ",
        "Documents",
        'Never empty: when nothing is needed, one entry of kind "none".',
        min_length=1,
    )
    fee: Text = field("ค่าธรรมเนียม", "Fee", 'Never blank: "ไม่เสียค่าธรรมเนียม" / "No fee" when free.')
    fee_baht: Count = field("ค่าธรรมเนียม (บาท)", "Fee in baht", "0 when free.")
    complaint: Text = field("ช่องทางการร้องเรียน", "Where to complain", "Where to complain about the service.")
    legal_basis: tuple[Text, ...] = field(
        "ข้อกฎหมายที่เกี่ยวข้อง", "Legal basis", "The laws and rules; at least one.", min_length=1
    )
    online_url: Url | None = field(
        "ช่องทางบริการออนไลน์", "Online service", "Optional https address of an online channel.", default=None
    )
    public_url: Url | None = field(
        "ที่อยู่เว็บของคู่มือ (คิวอาร์โค้ด)",
        "Manual's web address (QR)",
        "Optional: the page the citizen takes home by QR; default: its page in the published site.",
        default=None,
    )
    keywords: tuple[SituationKey, ...] = field(
        "สถานการณ์ที่เกี่ยวข้อง",
        "Situations",
        "Keys of the situation chips (manual.toml) that lead to this service; may be empty.",
    )

    @property
    def unit(self) -> str:
        """The EIT unit key of the service's section."""
        return SECTION_TO_UNIT[self.section]

    @field_validator("slug")
    @classmethod
    def _slug_is_file_name(cls, slug: str, info: ValidationInfo) -> str:
        stem = _context(info, "stem")
        if stem is not None and slug != stem:
            raise problem(f"must equal the file name {stem!r}")
        return slug

    @field_validator("redirect_to")
    @classmethod
    def _target_when_redirected(cls, redirect_to: Text | None, info: ValidationInfo) -> Text | None:
        if redirect_to is None and info.data.get("redirect"):
            raise problem("missing")
        return redirect_to

    @field_validator("total_minutes")
    @classmethod
    def _total_is_sum_of_steps(cls, total: int | None, info: ValidationInfo) -> int | None:
        steps = info.data.get("steps")
        if total is not None and steps and all(s.minutes is not None for s in steps):
            added = sum(s.minutes for s in steps)
            if added != total:
                raise problem(f"is {total} but the steps add up to {added}")
        return total

    @field_validator("documents", mode="before")
    @classmethod
    def _none_stands_alone(cls, documents: Any) -> Any:
        # before the documents themselves, as a "none" among others makes its copies wrong too
        if isinstance(documents, (list, tuple)) and len(documents) > 1:
            for i, document in enumerate(documents):
                kind = document.get("kind") if isinstance(document, dict) else getattr(document, "kind", None)
                if kind == "none":
                    raise problem('"none" must be the only document', i, "kind")
        return documents

    @field_validator("keywords")
    @classmethod
    def _known_situations(cls, keywords: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        known = _context(info, "situations")
        for i, key in enumerate(keywords):
            if known is not None and key not in known:
                raise problem(f"unknown situation {key!r}; known: {', '.join(sorted(known))}", i)
        return keywords


# --------------------------------------------------------------------------
# manual.toml


@model
class Situation:
    """A situation chip ("I lost something") leading to services."""

    key: Key = field("รหัสสถานการณ์", "Key", "Lowercase key; services list it in their keywords.")
    label: Text = field("ข้อความบนปุ่ม", "Chip label", "What the chip says.")
    icon: Key = field("ไอคอน", "Icon", "Short icon name.")


@model
class Notice:
    """The Licensing Facilitation Act rule shown in every manual."""

    title: Text = field("หัวเรื่อง", "Title", "The notice's heading.")
    body: Text = field("ข้อความ", "Text", "The rule in one paragraph.")
    points: tuple[Text, ...] = field(
        "สาระสำคัญ", "Points", "Asked once; result within 7 days; update every 7 days.", min_length=1
    )
    legal_basis: Text = field("ข้อกฎหมายอ้างอิง", "Legal basis", "The Act and section.")


@model
class Manual:
    """manual.toml: the notice and the situation chips."""

    notice: Notice = field(
        "ประกาศตามพระราชบัญญัติการอำนวยความสะดวกฯ", "Licensing Facilitation Act notice", "Shown with every manual."
    )
    situations: tuple[Situation, ...] = field(
        "ปุ่มสถานการณ์", "Situation chips", "6 to 8 chips; each must be listed by at least one service.", min_length=1
    )

    @field_validator("situations")
    @classmethod
    def _unique(cls, situations: tuple[Situation, ...]) -> tuple[Situation, ...]:
        return _unique_keys(situations, "situation")


# --------------------------------------------------------------------------
# Reporting channels and e-services (phone = "station" / url = "station").


@model
class Channel:
    """A reporting or contact channel: a phone and/or a web address."""

    key: Key = field("รหัสช่องทาง", "Key", "Lowercase key, unique in the list.")
    name: Text = field("ชื่อช่องทาง", "Name", "Who answers.")
    note: Text = field("รายละเอียด", "Note", "What the channel is for.")
    phone: Phone | None = field(
        "หมายเลขโทรศัพท์", "Phone", 'Digits, spaces, hyphens; "station" for the station\'s own.', default=None
    )
    url: Url | None = field(
        "ที่อยู่เว็บไซต์", "Web address", 'An https address; "station" for the station\'s own.', default=None
    )
    demo: Flag = _demo()

    @model_validator(mode="before")
    @classmethod
    def _station(cls, data: Any, info: ValidationInfo) -> Any:
        return _station_contact(data, info)

    @model_validator(mode="after")
    def _phone_or_url(self) -> Channel:
        if self.phone is None and self.url is None:
            raise problem("a channel needs a phone or a url", "phone")
        return self


@model
class EService:
    """An e-service or hotline card."""

    key: Key = field("รหัสบริการ", "Key", "Lowercase key, unique in the list.")
    name: Text = field("ชื่อบริการ", "Name", "The name of the e-service or hotline.")
    what: Text = field("บริการที่ได้รับ", "What you can do", "One line: what the citizen can do there.")
    url: Url | None = field(
        "ที่อยู่เว็บไซต์", "Web address", 'An https address; "station" for the station\'s own.', default=None
    )
    phone: Phone | None = field(
        "หมายเลขโทรศัพท์", "Phone", 'Digits, spaces, hyphens; "station" for the station\'s own.', default=None
    )
    demo: Flag = _demo()

    @model_validator(mode="before")
    @classmethod
    def _station(cls, data: Any, info: ValidationInfo) -> Any:
        return _station_contact(data, info)

    @model_validator(mode="after")
    def _url_or_phone(self) -> EService:
        if self.url is None and self.phone is None:
            raise problem("a card needs a url or a phone", "url")
        return self


def _channels(th: str, en: str) -> Any:
    return field(th, en, "At least one; each with a phone or a web address.", min_length=1)


@model
class EServices:
    """eservices.toml: the e-service and hotline cards."""

    cards: tuple[EService, ...] = field(
        "บริการอิเล็กทรอนิกส์และสายด่วน", "E-services and hotlines", "At least one card.", min_length=1
    )

    @field_validator("cards")
    @classmethod
    def _unique(cls, cards: tuple[EService, ...]) -> tuple[EService, ...]:
        return _unique_keys(cards, "key")


# --------------------------------------------------------------------------
# policy.toml, case_progress.toml


@model
class Policy:
    """policy.toml: the No Gift Policy, the anti-bribery announcement and where to report."""

    title: Text = field("ชื่อนโยบาย", "Title", "The policy's heading.")
    statement: Text = field("ถ้อยแถลงนโยบาย", "Statement", "The policy in one paragraph.")
    for_citizens: tuple[Text, ...] = field(
        "สิ่งที่ประชาชนควรทราบ", "For citizens", "What citizens should know; at least one.", min_length=1
    )
    legal_basis: tuple[Text, ...] = field(
        "ข้อกฎหมายอ้างอิง", "Legal basis", "The laws and rules; at least one.", min_length=1
    )
    exceptions: tuple[Text, ...] = field("ข้อยกเว้น", "Exceptions", "What the policy allows; at least one.", min_length=1)
    announcement: Text = field("ประกาศต่อต้านการรับสินบน", "Anti-bribery announcement", "The station's announcement.")
    how_to_report: tuple[Text, ...] = field(
        "วิธีการแจ้งเบาะแส", "How to report", "What to say when reporting; at least one.", min_length=1
    )
    channels: tuple[Channel, ...] = _channels("ช่องทางการแจ้งเบาะแสและร้องเรียน", "Reporting channels")

    @field_validator("channels")
    @classmethod
    def _unique(cls, channels: tuple[Channel, ...]) -> tuple[Channel, ...]:
        return _unique_keys(channels, "key")


@model
class CaseProgress:
    """case_progress.toml: how to follow a case, with no personal data on the kiosk."""

    title: Text = field("หัวเรื่อง", "Title", "The screen's heading.")
    intro: Text = field("คำชี้แจง", "Introduction", "Who to ask about a case.")
    privacy: Text = field("การคุ้มครองข้อมูลส่วนบุคคล", "Privacy", "Why the kiosk asks for no case number, name or ID.")
    steps: tuple[Text, ...] = field(
        "ขั้นตอนการติดตามความคืบหน้า", "Steps", "How to follow a case; at least one.", min_length=1
    )
    bring: tuple[Text, ...] = field("สิ่งที่ควรนำมาด้วย", "What to bring", "At least one.", min_length=1)
    channels: tuple[Channel, ...] = _channels("ช่องทางการติดต่อสอบถาม", "Channels")

    @field_validator("channels")
    @classmethod
    def _unique(cls, channels: tuple[Channel, ...]) -> tuple[Channel, ...]:
        return _unique_keys(channels, "key")


# --------------------------------------------------------------------------
# about.toml


@model
class Contact:
    """The station's own contact; "station" in channels and cards stands for it."""

    name: Text = field("ชื่อสถานีตำรวจ", "Station name", "The station's full name.")
    phone: Phone = field("หมายเลขโทรศัพท์สถานี", "Station phone", "Digits, spaces, hyphens.")
    website: Url = field("เว็บไซต์สถานี", "Station website", "An https address.")
    address: Text = field("ที่ตั้ง", "Address", "Where the station is.")
    demo: Flag = _demo()


@model
class Pledge:
    """One line of the service pledge."""

    text: Text = field("ข้อความคำรับรอง", "Pledge", "What the station promises.")
    time: Text | None = field("ระยะเวลา", "Time", 'Optional, e.g. "within 20 minutes".', default=None)
    minutes: Count | None = field("ระยะเวลา (นาที)", "Minutes", "Optional, where a time standard exists.", default=None)


@model
class Facility:
    """A facility for visitors (parking, toilets, wheelchair ramp...)."""

    key: Key = field("รหัสสิ่งอำนวยความสะดวก", "Key", "Lowercase key.")
    name: Text = field("สิ่งอำนวยความสะดวก", "Facility", "What it is.")
    available: Flag = field("พร้อมให้บริการ", "Available", "False hides it from the posters.", default=True)
    note: Text | None = field("หมายเหตุ", "Note", "Optional.", default=None)
    demo: Flag = _demo()


@model
class Hours:
    """Opening hours of one service or counter."""

    label: Text = field("รายการ", "Label", "What is open.")
    time: Text = field("เวลาทำการ", "Hours", '"08.30-16.30 น." in Thai, "08:30-16:30" in English.')
    demo: Flag = _demo()


@model
class Shift:
    """One duty shift."""

    label: Text = field("ผลัด", "Shift", "The shift's name.")
    time: ShiftTime = field("ช่วงเวลา", "Time", '"HH:MM-HH:MM", e.g. "08:00-16:00".')


@model
class Shifts:
    """How the station's duty is shared out."""

    shifts: tuple[Shift, ...] = field("ผลัดเวร", "Shifts", "At least one.", min_length=1)
    summary: Text = field("สรุปการจัดเวร", "Summary", "One line.")
    points: tuple[Text, ...] = field("รายละเอียด", "Points", "At least one.", min_length=1)
    demo: Flag = _demo()


@model
class Figure:
    """A headline figure."""

    label: Text = field("รายการ", "Label", "What is counted.")
    value: Line = field("ค่าที่แสดง", "Value", 'As displayed, e.g. "1,234".')
    demo: Flag = _demo()


@model
class About:
    """about.toml: contact, role and mission, pledge, facilities, hours, shifts, figures."""

    contact: Contact = field("ข้อมูลการติดต่อ", "Contact", "The station's name, phone, website and address.")
    role: Text = field("บทบาทหน้าที่", "Role", "What a police station does.")
    mission: tuple[Text, ...] = field("พันธกิจ", "Mission", "At least one.", min_length=1)
    pledges: tuple[Pledge, ...] = field("คำรับรองการให้บริการ", "Service pledge", "At least one.", min_length=1)
    facilities: tuple[Facility, ...] = field("สิ่งอำนวยความสะดวก", "Facilities", "At least one.", min_length=1)
    hours: tuple[Hours, ...] = field("วันและเวลาให้บริการ", "Opening hours", "At least one.", min_length=1)
    shifts: Shifts = field("การจัดเวรปฏิบัติหน้าที่", "Duty shifts", "How the duty is shared out.")
    figures_title: Text = field("หัวข้อผลการปฏิบัติงาน", "Figures heading", "The heading above the figures.")
    figures: tuple[Figure, ...] = field("ผลการปฏิบัติงานที่สำคัญ", "Figures", "At least one.", min_length=1)


# --------------------------------------------------------------------------
# All of it.


@plain_dataclass(frozen=True)
class Content:
    """Every file, loaded: what the screens and posters read."""

    services: tuple[Service, ...]  # sorted by section (MANUAL_SECTIONS), order, slug
    situations: tuple[Situation, ...]
    notice: Notice
    policy: Policy
    eservices: tuple[EService, ...]
    about: About
    case_progress: CaseProgress

    def service(self, slug: str) -> Service | None:
        """The service with this slug, or None."""
        return next((s for s in self.services if s.slug == slug), None)

    def by_section(self) -> list[tuple[str, tuple[Service, ...]]]:
        """(section key, services) pairs in MANUAL_SECTIONS order; empty sections are left out."""
        groups = [(section, self.services_in(section)) for section in MANUAL_SECTIONS]
        return [(section, group) for section, group in groups if group]

    def most_used(self) -> tuple[Service, ...]:
        """The services with a ``most_used`` rank, by rank (then slug): the top of the manual."""
        ranked = [s for s in self.services if s.most_used is not None]
        return tuple(sorted(ranked, key=lambda s: (s.most_used, s.slug)))

    def services_in(self, section: str) -> tuple[Service, ...]:
        """The services of one section, in display order."""
        return tuple(s for s in self.services if s.section == section)

    def situation(self, key: str) -> Situation | None:
        """The situation chip with this key, or None."""
        return next((s for s in self.situations if s.key == key), None)

    def services_for_situation(self, key: str) -> tuple[Service, ...]:
        """Services whose keywords list this situation key: those that list it
        earlier in their keywords first, then by ``order`` and slug."""
        found = [s for s in self.services if key in s.keywords]
        return tuple(sorted(found, key=lambda s: (s.keywords.index(key), s.order, s.slug)))

    def public_url(self, service: Service, base_url: str, lang: str = "th") -> str:
        """See the module-level :func:`public_url`."""
        return public_url(service, base_url, lang)


def public_url(service: Service, base_url: str, lang: str = "th") -> str:
    """The URL a citizen takes home for a service (its QR code): the service's own
    ``public_url`` if set, else its page in the published site under ``base_url``
    (kiosk.content.pages: <base>/manual/<slug>.html, <base>/en/manual/<slug>.html)."""
    if service.public_url:
        return service.public_url
    return page_url(base_url, service_page(service.slug), lang)
