"""The settings model: one frozen pydantic model per section of kiosk.toml, under Settings.

Each setting is declared once, with `setting()`: its type, limits, default, a Thai and an
English label and a help text. The loader (kiosk.config.settings) validates a TOML file
against these models, and the admin's forms can be built from `Settings.model_json_schema()`
(labels under "label_th" and "label_en", the help text as "description").

Values are strict, as a hand-written TOML file deserves: an int is refused where true or
false or text is wanted; an int is accepted (and kept as a float) where a number is wanted.
Unknown keys are refused. A check beyond type and limits raises `problem(...)`, whose text
the loader shows after the file and the key. The module holds the declarations alone; it
is long because every setting carries its labels and help.
"""

import datetime as dt
import re
from typing import Annotated
from urllib.parse import urlparse

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from kiosk.core.events import KIOSK_ID_MAX
from kiosk.core.i18n import CITIZEN_LANGUAGES, N_
from kiosk.core.vocab import DEFAULT_EIT_QUOTA, UNITS
from kiosk.store.eventlog import (
    DEFAULT_AMEND_MAX_AGE_SECONDS,
    DEFAULT_BURST_MAX_PER_MINUTE,
    DEFAULT_COMMENT_MAX_CHARS,
    DEFAULT_REPEAT_WINDOW_SECONDS,
)

# The error type of a check written here; its context holds the words to show.
PROBLEM = "kiosk_setting"

BAND_INTERVALS = (0.8, 0.5)


def problem(text):
    """The error a field check raises: `text` is what the admin reads after the key."""
    return PydanticCustomError(PROBLEM, "{problem}", {"problem": text})


def setting(default, *, th, en, help, choices=None, **field_options):
    """A field of a settings section: default, Thai and English labels, help text, limits.

    `field_options` go to pydantic's Field (ge, gt, le, repr, ...); `choices` lists the
    allowed values for a form (a validator on the type enforces them)."""
    extra = {"label_th": th, "label_en": en}
    if choices is not None:
        extra["enum"] = list(choices)
    return Field(default, description=help, json_schema_extra=extra, **field_options)


def _https_url(value):
    parts = urlparse(value)
    if parts.scheme != "https" or not parts.netloc:
        raise problem("must be an https:// address with a host name")
    return value


ITAS_PREFIX = "https://itas.nacc.go.th/go/eit/"
_ITAS_CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
NAME_MAX_CHARS = 200


def _itas_url(value):
    code = value[len(ITAS_PREFIX) :] if value.startswith(ITAS_PREFIX) else ""
    if not _ITAS_CODE.match(code):
        raise problem(f"must be the agency's ITAS link: {ITAS_PREFIX} followed by its code")
    return value


def _iso_date_or_empty(value):
    if value == "":
        return value
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise problem("must be a date written YYYY-MM-DD (Gregorian), or empty")
    return value


def _band_interval(value):
    if value not in BAND_INTERVALS:
        raise problem("must be 0.8 or 0.5")
    return value


STAFF_PAGES = ("anywhere", "this_machine", "https")


def _staff_pages(value):
    if value not in STAFF_PAGES:
        raise problem("must be one of " + ", ".join(STAFF_PAGES))
    return value


def _duty_pin(value):
    if value and not (value.isdigit() and 4 <= len(value) <= 8):
        raise problem("must be 4 to 8 digits")
    return value


def _languages(value):
    # Checked before the type, so that a mistake names the code that is wrong.
    if not isinstance(value, (list, tuple)) or not all(isinstance(code, str) for code in value):
        raise problem('must be a list of language codes, e.g. ["th", "en"]')
    unknown = [code for code in value if code not in CITIZEN_LANGUAGES]
    if unknown:
        raise problem(f"unknown language {unknown[0]!r}; languages are {', '.join(CITIZEN_LANGUAGES)}")
    if "th" not in value:
        raise problem("must include th: Thai is always offered")
    return tuple(dict.fromkeys(value))


def _hub_url(value):
    if value == "":
        return value
    parts = urlparse(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise problem("must be an https:// address with a host name, or empty for no hub")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise problem("must not carry a query, a fragment or credentials (the token goes in hub.token)")
    return value


def _quota(value):
    # Checked before the type, so that every mistake reads "eit.quota: ..." with the table.
    if not isinstance(value, dict):
        raise problem("must be a table")
    unknown = sorted(set(value) - set(UNITS))
    if unknown:
        raise problem(f"unknown unit {unknown[0]!r}; units are {', '.join(UNITS)}")
    for unit, number in value.items():
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            raise problem(f"{unit} must be a whole number 0 or more")
    return value


HttpsUrl = Annotated[str, AfterValidator(_https_url)]
ItasUrl = Annotated[str, AfterValidator(_itas_url)]
Name = Annotated[str, Field(min_length=1, max_length=NAME_MAX_CHARS)]
Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
DateOrEmpty = Annotated[str, AfterValidator(_iso_date_or_empty)]
BandInterval = Annotated[float, AfterValidator(_band_interval)]
DutyPin = Annotated[str, AfterValidator(_duty_pin)]
StaffPages = Annotated[str, AfterValidator(_staff_pages)]
HubUrl = Annotated[str, AfterValidator(_hub_url)]
Languages = Annotated[tuple[str, ...], BeforeValidator(_languages)]
# Unit key -> number of answers wanted; the keys are kiosk.core.vocab.UNITS.
Quota = Annotated[dict[str, Annotated[int, Field(ge=0)]], BeforeValidator(_quota)]


class Section(BaseModel):
    """A section of the settings: frozen, strict, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class Station(Section):
    """[station]: the police station this kiosk serves."""

    code: Code = setting(
        "changhan",
        th="รหัสสถานี",
        en="Station code",
        help=N_(
            "A short code for the station (lowercase letters, digits, - and _), used by the hub and in file names."
        ),
    )
    name_th: Name = setting(
        "สถานีตำรวจภูธรจังหาร",
        th="ชื่อสถานีตำรวจ (ภาษาไทย)",
        en="Station name (Thai)",
        help=N_("The station's full name in Thai, as on the screens, posters and reports."),
    )
    name_en: Name = setting(
        "Chang Han Provincial Police Station",
        th="ชื่อสถานีตำรวจ (ภาษาอังกฤษ)",
        en="Station name (English)",
        help=N_("The station's full name in English."),
    )
    province_th: Name = setting(
        "ร้อยเอ็ด",
        th="จังหวัด (ภาษาไทย)",
        en="Province (Thai)",
        help=N_("The province in Thai, added to the name on posters."),
    )
    province_en: Name = setting(
        "Roi Et",
        th="จังหวัด (ภาษาอังกฤษ)",
        en="Province (English)",
        help=N_("The province in English, added to the name on posters."),
    )
    website: HttpsUrl = setting(
        "https://changhan.roiet.police.go.th/",
        th="เว็บไซต์ของสถานี",
        en="Station website",
        help=N_("The station's website (https://), shown on posters."),
    )
    demo: bool = setting(
        True,
        th="สถานีสาธิต",
        en="Demo station",
        help=N_("The demo station ships with the product; a real station sets this to false."),
    )
    languages: Languages = setting(
        ("th", "en"),
        th="ภาษาที่ตู้บริการให้เลือก",
        en="Languages offered",
        help=N_(
            "The languages a citizen may choose on the screens: th, en, my (Myanmar), km (Khmer), lo (Lao),"
            " zh (Chinese). Thai is always offered."
        ),
        choices=CITIZEN_LANGUAGES,
    )

    def offered_languages(self):
        """The languages the screens offer: the setting, Thai first (Thai always)."""
        return tuple(code for code in CITIZEN_LANGUAGES if code == "th" or code in self.languages)


class Kiosk(Section):
    """[kiosk]: this kiosk."""

    id: str = setting(
        "kiosk-1",
        th="รหัสตู้บริการ",
        en="Kiosk ID",
        help=N_("The name of this kiosk, unique within the station; its events carry it (at most 64 characters)."),
        min_length=1,
        max_length=KIOSK_ID_MAX,
    )
    idle_seconds: int = setting(
        60,
        th="ระยะเวลาที่ไม่มีการใช้งานก่อนกลับสู่หน้าเริ่มต้น (วินาที)",
        en="Idle time before the start screen (seconds)",
        help=N_("Back to the start screen after this long untouched; 0 turns it off."),
        ge=0,
    )
    reading_idle_seconds: int = setting(
        180,
        th="ระยะเวลาที่ไม่มีการใช้งานบนหน้าที่ต้องอ่าน (วินาที)",
        en="Idle time on reading screens (seconds)",
        help=N_(
            "The same, on the screens that take time to read (the service manual, a service, the No Gift Policy,"
            " about the station, case progress); 0 turns it off there."
        ),
        ge=0,
    )
    thai_digits: bool = setting(
        False,
        th="แสดงวันที่ด้วยเลขไทย",
        en="Thai digits in dates",
        help=N_("Write dates on the screens with Thai digits."),
    )
    content_dir: str = setting(
        "",
        th="โฟลเดอร์เนื้อหาของสถานี",
        en="Station content folder",
        help=N_("A folder with the station's own content files, laid over the defaults; empty for the defaults alone."),
    )


class Feedback(Section):
    """[feedback]: the satisfaction answers and comments."""

    repeat_window_seconds: int = setting(
        DEFAULT_REPEAT_WINDOW_SECONDS,
        th="ช่วงเวลาที่ถือว่าเป็นการตอบซ้ำ (วินาที)",
        en="Repeat window (seconds)",
        help=N_(
            "An answer this soon after the one before is flagged as a repeat and left out of the official figures."
        ),
        ge=0,
    )
    burst_max_per_minute: int = setting(
        DEFAULT_BURST_MAX_PER_MINUTE,
        th="จำนวนคำตอบสูงสุดต่อนาที",
        en="Most answers per minute",
        help=N_("Answers beyond this many in one minute are flagged and left out of the official figures."),
        gt=0,
    )
    amend_max_age_minutes: int = setting(
        DEFAULT_AMEND_MAX_AGE_SECONDS // 60,
        th="ระยะเวลาที่เพิ่มรายละเอียดของคำตอบได้ (นาที)",
        en="Time to add details to an answer (minutes)",
        help=N_("How long after a tap on a face the citizen may still add the unit, aspects, reasons and a comment."),
        gt=0,
    )
    comment_max_chars: int = setting(
        DEFAULT_COMMENT_MAX_CHARS,
        th="ความยาวสูงสุดของความคิดเห็น (ตัวอักษร)",
        en="Longest comment (characters)",
        help=N_("The longest comment a citizen may type."),
        gt=0,
    )
    comment_retention_days: int = setting(
        180,
        th="ระยะเวลาการเก็บรักษาความคิดเห็น (วัน)",
        en="Keep comments for (days)",
        help=N_("Comments older than this are deleted for good (PDPA); the figures stay."),
        gt=0,
    )
    mean_band_interval: BandInterval = setting(
        0.8,
        th="ความกว้างของช่วงคะแนนในการแปลผลค่าเฉลี่ย",
        en="Width of the mean score bands",
        help=N_("0.8: 4.21-5.00 is the highest band; 0.5: 4.51-5.00 is."),
        choices=BAND_INTERVALS,
    )


class Duty(Section):
    """[duty]: the duty officer's panel and the bad-answers alert."""

    alert_min_answers: int = setting(
        4,
        th="จำนวนคำตอบขั้นต่ำสำหรับการแจ้งเตือน",
        en="Fewest answers for an alert",
        help=N_("The bad-answers alert needs at least this many answers in the window."),
        gt=0,
    )
    alert_window_minutes: int = setting(
        15,
        th="ช่วงเวลาที่ใช้พิจารณาการแจ้งเตือน (นาที)",
        en="Alert window (minutes)",
        help=N_("The bad-answers alert looks at the answers of this many minutes."),
        gt=0,
    )
    alert_bad_share: float = setting(
        0.5,
        th="สัดส่วนคำตอบระดับ 1–2 ที่ทำให้เกิดการแจ้งเตือน",
        en="Share of level 1-2 answers for an alert",
        help=N_("The alert opens when this share of the answers in the window are at levels 1 or 2."),
        gt=0,
        le=1,
    )
    pin_max_failures: int = setting(
        5,
        th="จำนวนครั้งที่กรอกรหัสผิดได้ก่อนระงับชั่วคราว",
        en="Wrong PINs before a lock",
        help=N_("Wrong PINs (or admin passwords) in a row from one address before that address must wait."),
        gt=0,
    )
    pin_lock_seconds: int = setting(
        30,
        th="ระยะเวลาระงับการกรอกรหัส (วินาที)",
        en="Lock time (seconds)",
        help=N_("The first lock; it doubles with each further failure."),
        gt=0,
    )
    network_max_failures_per_hour: int = setting(
        30,
        th="จำนวนครั้งที่กรอกรหัสผิดจากเครือข่ายได้ต่อชั่วโมง",
        en="Wrong PINs from the network per hour",
        help=N_(
            "Wrong PINs (or admin passwords) per hour from all network addresses together before every "
            "network sign-in waits. The PIN pad on the kiosk's own screen is never held by this limit."
        ),
        gt=0,
    )


class Admin(Section):
    """[admin]: the station admin's pages."""

    session_minutes: int = setting(
        30,
        th="ระยะเวลาออกจากระบบอัตโนมัติเมื่อไม่มีการใช้งาน (นาที)",
        en="Session length (minutes)",
        help=N_("Admin and duty sessions end after this long unused."),
        gt=0,
    )
    session_max_hours: int = setting(
        12,
        th="ระยะเวลาสูงสุดของการเข้าสู่ระบบแต่ละครั้ง (ชั่วโมง)",
        en="Longest session (hours)",
        help=N_("Admin and duty sessions end this long after the sign-in, even when in use."),
        gt=0,
        le=24 * 7,
    )


class Eit(Section):
    """[eit]: the EIT survey (ITA) that the kiosk refers citizens to."""

    url: ItasUrl = setting(
        "https://itas.nacc.go.th/go/eit/demo",
        th="ที่อยู่เว็บไซต์แบบวัด EIT",
        en="EIT survey address",
        help=N_(
            "The agency's ITAS link, https://itas.nacc.go.th/go/eit/ followed by its code; its QR code is shown to citizens."
        ),
    )
    period_start: DateOrEmpty = setting(
        "",
        th="วันเริ่มต้นการเก็บข้อมูลแบบวัด EIT",
        en="EIT collection start",
        help=N_("YYYY-MM-DD (Gregorian); empty means 1 January of the fiscal year."),
    )
    period_end: DateOrEmpty = setting(
        "",
        th="วันสิ้นสุดการเก็บข้อมูลแบบวัด EIT",
        en="EIT collection end",
        help=N_("YYYY-MM-DD (Gregorian); empty means 30 June of the fiscal year."),
    )
    quota: Quota = setting(
        dict(DEFAULT_EIT_QUOTA),
        th="เป้าหมายแบบวัด EIT แยกตามงาน",
        en="EIT quota by unit",
        help=N_("The number of answers wanted from each unit's citizens in the collection window."),
    )


class Secrets(Section):
    """[secrets]: empty ones are generated at the first start (or set in the environment)."""

    admin_password: str = setting(
        "",
        th="รหัสผ่านผู้ดูแลระบบ",
        en="Admin password",
        help=N_("Empty: generated and shown once at the first start (or KIOSK_ADMIN_PASSWORD)."),
        repr=False,
    )
    duty_pin: DutyPin = setting(
        "",
        th="รหัส PIN ของเจ้าหน้าที่เวร",
        en="Duty officer PIN",
        help=N_("4 to 8 digits. Empty: generated and shown once at the first start (or KIOSK_DUTY_PIN)."),
        repr=False,
    )
    api_token: str = setting(
        "",
        th="รหัสโทเค็นสำหรับ API",
        en="API token",
        help=N_("For the tallies API. Empty: generated and shown once at the first start (or KIOSK_API_TOKEN)."),
        repr=False,
    )


class Hub(Section):
    """[hub]: the kiosk's side of the sync to the admin hub (kiosk.sync); no url, no sync."""

    url: HubUrl = setting(
        "",
        th="ที่อยู่เว็บไซต์ของศูนย์รวมข้อมูล",
        en="Hub address",
        help=N_(
            "e.g. https://hub.roiet.example/ (or KIOSK_HUB_URL); plain http:// only to this machine. Empty: no sync."
        ),
    )
    token: str = setting(
        "",
        th="รหัสโทเค็นของตู้บริการสำหรับศูนย์รวมข้อมูล",
        en="Hub token",
        help=N_("Printed once by `python -m kiosk hub add-kiosk` (or KIOSK_HUB_TOKEN)."),
        repr=False,
    )
    allow_plain_http: bool = setting(
        False,
        th="อนุญาตการเชื่อมต่อแบบ http ที่ไม่เข้ารหัส",
        en="Allow plain http",
        help=N_("Lets http:// go to another machine, unencrypted (a closed network only)."),
    )
    batch_size: int = setting(
        500,
        th="จำนวนรายการต่อการส่งหนึ่งครั้ง",
        en="Events per request",
        help=N_("Events sent in one request (the hub takes at most 1,000)."),
        ge=1,
        le=1000,
    )
    interval_seconds: float = setting(
        30.0,
        th="รอบเวลาการส่งข้อมูล (วินาที)",
        en="Sync interval (seconds)",
        help=N_("How often the background sync looks for new events."),
        gt=0,
    )
    retry_max_seconds: float = setting(
        300.0,
        th="ระยะเวลารอสูงสุดก่อนส่งข้อมูลใหม่ (วินาที)",
        en="Longest wait between retries (seconds)",
        help=N_("Retries wait longer after each failure (exponential back-off), up to this."),
        gt=0,
    )
    timeout_seconds: float = setting(
        30.0,
        th="ระยะเวลารอการตอบกลับ (วินาที)",
        en="Request timeout (seconds)",
        help=N_("How long one request to the hub may take."),
        gt=0,
    )
    ca_file: str = setting(
        "",
        th="ไฟล์ใบรับรอง CA",
        en="CA certificate file",
        help=N_("A CA bundle for a hub with a private or self-signed certificate; empty for the public CAs."),
    )


class Public(Section):
    """[public]: the station's public pages (`python -m kiosk publish`) behind every QR code."""

    base_url: HttpsUrl = setting(
        "https://changhan.roiet.police.go.th/onestop/",
        th="ที่อยู่เว็บไซต์ของหน้าเผยแพร่ต่อสาธารณะ",
        en="Public pages web address",
        help=N_(
            "The folder of the station website where the published pages are uploaded (https://); "
            "every QR code of the screens, printed manuals and posters points under it."
        ),
    )
    serve_on_hub: bool = setting(
        False,
        th="ให้ศูนย์รวมข้อมูลเผยแพร่หน้าสาธารณะของแต่ละสถานี",
        en="Hub serves the stations' public pages",
        help=N_("On the hub only: serve each station's published pages read-only at /public/<station>/."),
    )


class HubLimits(Section):
    """[hub_limits]: on the admin hub, what one kiosk's token may send (read by the hub only)."""

    events_per_minute: int = setting(
        50_000,
        th="จำนวนรายการสูงสุดต่อนาทีต่อตู้บริการ",
        en="Most events per minute per kiosk",
        help=N_(
            "New events the hub stores from one kiosk in a minute; beyond, it answers 429 and the kiosk "
            "tries again. A kiosk records about 40 a day, a busy counter 1,400; four weeks of a busy "
            "counter's catch-up (40,000) goes through in one minute."
        ),
        gt=0,
    )
    megabytes_per_day: int = setting(
        100,
        th="ปริมาณข้อมูลสูงสุดต่อวันต่อตู้บริการ (เมกะไบต์)",
        en="Most data per day per kiosk (MB)",
        help=N_(
            "What the hub stores for one kiosk in a (Bangkok) day, events and refused batches noted; "
            "beyond, it answers 429 until the next day. An event is about 400 bytes: a kiosk's day is about "
            "20 kB, four weeks of a busy counter about 16 MB."
        ),
        gt=0,
    )


class Network(Section):
    """[network]: who may reach the staff pages when the kiosk listens on the station network."""

    staff_pages: StaffPages = setting(
        "anywhere",
        th="หน้าของเจ้าหน้าที่ (เวรและผู้ดูแลระบบ) เปิดได้จาก",
        en="Staff pages (duty and admin) open from",
        help=N_(
            "this_machine: only the kiosk's own screen; https: also from the network, over HTTPS only "
            "(behind a TLS proxy, --trusted-proxy); anywhere: also over plain HTTP, which `serve` allows "
            "only while it listens on 127.0.0.1."
        ),
        choices=STAFF_PAGES,
    )


class Settings(Section):
    """All settings: the sections of kiosk.toml."""

    station: Station = setting(Station(), th="สถานีตำรวจ", en="Station", help=N_("The police station."))
    kiosk: Kiosk = setting(Kiosk(), th="ตู้บริการ", en="Kiosk", help=N_("This kiosk."))
    feedback: Feedback = setting(
        Feedback(), th="การประเมินความพึงพอใจ", en="Feedback", help=N_("Satisfaction answers and comments.")
    )
    duty: Duty = setting(Duty(), th="เจ้าหน้าที่เวร", en="Duty officer", help=N_("The duty panel and its alert."))
    admin: Admin = setting(Admin(), th="ผู้ดูแลระบบ", en="Admin", help=N_("The station admin's pages."))
    eit: Eit = setting(Eit(), th="แบบวัด EIT", en="EIT survey", help=N_("The EIT survey and its quota."))
    secrets: Secrets = setting(
        Secrets(), th="รหัสผ่านและรหัสลับ", en="Secrets", help=N_("Passwords, the PIN and the API token.")
    )
    hub: Hub = setting(Hub(), th="ศูนย์รวมข้อมูล", en="Hub", help=N_("The sync to the admin hub."))
    public: Public = setting(
        Public(), th="หน้าเผยแพร่ต่อสาธารณะ", en="Public pages", help=N_("The published pages behind the QR codes.")
    )
    network: Network = setting(
        Network(),
        th="เครือข่าย",
        en="Network",
        help=N_("Serving counter displays on the station network."),
    )
    hub_limits: HubLimits = setting(
        HubLimits(),
        th="ขีดจำกัดของศูนย์รวมข้อมูล",
        en="Hub limits",
        help=N_("On the admin hub: how much one kiosk may send."),
    )
