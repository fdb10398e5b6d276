"""What an event is, how it is hashed, and what a valid payload holds (no database here).

Chain: an event's `hash` is the SHA-256 (hex) of the canonical JSON array

    [seq, id, kiosk, at, kind, payload, flagged, flag_reason, prev_hash]

(`json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)`, UTF-8;
`payload` is the stored payload text itself, `flagged` the integer 0 or 1, `flag_reason`
a string or null). The first event's prev_hash is GENESIS_HASH (64 zeros); every other
event's prev_hash is the hash of the event before it. The kiosk's log
(kiosk.store.eventlog) and the hub's ingest (kiosk.hub.ingest) both hash with
`event_hash`.

The one event schema (the kiosk's log writes nothing else, the hub takes nothing else;
`validate_event_row` checks a whole row, `validate_payload` a payload):
- kind: rating, amend or referral (KINDS), nothing else;
- payload, by kind:
  - rating: {"answer_id", "level"}
  - amend: {"answer_id", and any of "unit", "aspects" {aspect: level}, "reasons" [keys],
    "has_comment": true}; the comment text itself never enters the chain (PDPA)
  - referral: {"unit"} (a unit key or "not_sure")
  - a rating or referral made on a paired counter display (version 2) also holds
    "counter" (the counter's slug, [a-z0-9-]{1,32}), "display" (the display's id, 32
    lowercase hex) and "v": 2, all three or none; an amend never repeats them (it
    belongs to its rating's counter and display). Version 1 events (without them) are
    unchanged, so old logs still verify.
  levels are integers 1 to 5 (never true or 5.0), units, aspects and reasons known keys,
  answer ids 32 lowercase hex;
- at: a real UTC instant written YYYY-MM-DDTHH:MM:SSZ, not before EARLIEST_AT and at most
  FUTURE_LEEWAY_SECONDS after the reader's clock (a kiosk whose clock says 1970 or 2099
  must not date the figures: see check_at);
- seq: an integer from 1 to MAX_SEQ (2**53, what a JSON number holds exactly);
- flagged 0 or 1, flag_reason null or a known flag (set exactly when flagged);
- id 32 lowercase hex, prev_hash and hash 64, and hash the event_hash of the rest.
"""

import hashlib
import json
import operator
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime

from kiosk.core.clock import utc_iso, utc_now
from kiosk.core.comments import mask_personal_numbers, strip_invisible
from kiosk.core.vocab import ASPECTS, LEVELS, REASONS, UNIT_NOT_SURE, UNITS

GENESIS_HASH = "0" * 64

KIND_RATING = "rating"
KIND_AMEND = "amend"
KIND_REFERRAL = "referral"
# The only kinds of event there are: the log writes these, the hub takes these.
KINDS = (KIND_RATING, KIND_AMEND, KIND_REFERRAL)

UNIT_CHOICES = UNITS + (UNIT_NOT_SURE,)

FLAG_REPEAT = "repeat"  # another one less than repeat_window_seconds before
FLAG_BURST = "burst"  # burst_max_per_minute already reached in the trailing 60 s
FLAGS = (FLAG_REPEAT, FLAG_BURST)

EVENT_KEYS = ("seq", "id", "kiosk", "at", "kind", "payload", "flagged", "flag_reason", "prev_hash", "hash")
_EVENT_KEY_SET = frozenset(EVENT_KEYS)
_HASHED = operator.itemgetter(*EVENT_KEYS[:-1])  # a row's fields that its hash covers, in order
MAX_SEQ = 2**53
EARLIEST_AT = "2024-01-01T00:00:00Z"
FUTURE_LEEWAY_SECONDS = 86400
KIOSK_ID_MAX = 64

DEFAULT_COMMENT_MAX_CHARS = 500
MAX_PAYLOAD_BYTES = 8192

_HEX32 = re.compile(r"[0-9a-f]{32}")
_COUNTER_SLUG = re.compile(r"[a-z0-9-]{1,32}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_AT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


class ValidationError(ValueError):
    """Bad input from a screen or the API; nothing was written."""

    def __init__(self, field, message):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Event:
    """One row of the log, as stored and hashed."""

    seq: int
    id: str
    kiosk: str
    at: str
    kind: str
    payload_json: str  # exactly as stored and hashed
    flagged: bool
    flag_reason: str | None
    prev_hash: str
    hash: str

    @property
    def payload(self):
        return json.loads(self.payload_json)

    @property
    def answer_id(self):
        return self.payload.get("answer_id")

    def as_row(self):
        """The stored row (payload as its canonical text), e.g. for the sync to the hub."""
        return {
            "seq": self.seq,
            "id": self.id,
            "kiosk": self.kiosk,
            "at": self.at,
            "kind": self.kind,
            "payload": self.payload_json,
            "flagged": int(self.flagged),
            "flag_reason": self.flag_reason,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


# json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
# builds this encoder on every call; ingest makes two texts an event, so it is made once
# (as json.dumps keeps its own for the default arguments). The same class, the same bytes.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_json(value):
    """The one JSON text of a value: sorted keys, no spaces, UTF-8 characters kept."""
    return _CANONICAL.encode(value)


def event_hash(seq, id, kiosk, at, kind, payload, flagged, flag_reason, prev_hash):
    """SHA-256 hex of the canonical serialization of one event (see module docstring)."""
    body = canonical_json([seq, id, kiosk, at, kind, payload, int(flagged), flag_reason, prev_hash])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def payload_text(payload):
    """The canonical text of a payload, checked for size; raises ValidationError."""
    try:
        text = canonical_json(payload)
    except (TypeError, ValueError) as exc:
        raise ValidationError("payload", f"not serializable as JSON: {exc}") from None
    if len(text.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        raise ValidationError("payload", "too large")
    return text


# -- payload validation --------------------------------------------------------------


def check_level(field, value):
    """A level of the 5-level scale (an int, not a bool)."""
    if type(value) is not int or value not in LEVELS:
        raise ValidationError(field, "must be an integer from 1 to 5")
    return value


def check_unit(value):
    """A unit key or 'not_sure'."""
    if not isinstance(value, str) or value not in UNIT_CHOICES:
        raise ValidationError("unit", "unknown unit")
    return value


def check_event_id(value):
    """A form's one-time event id (32 lowercase hex), or a new one for None."""
    if value is None:
        return uuid.uuid4().hex
    if not isinstance(value, str) or not _HEX32.fullmatch(value):
        raise ValidationError("id", "must be 32 lowercase hexadecimal characters")
    return value


def check_answer_id(value):
    """An answer id as a rating made it (32 lowercase hex)."""
    if not isinstance(value, str) or not _HEX32.fullmatch(value):
        raise ValidationError("answer_id", "unknown answer")
    return value


def check_comment(value, max_chars):
    """A comment's text: line ends normalized, no control characters, invisible format
    characters (zero-width spaces, direction marks) removed, stripped, not too long."""
    if not isinstance(value, str):
        raise ValidationError("comment", "must be text")
    value = strip_invisible(value.replace("\r\n", "\n").replace("\r", "\n"))
    for ch in value:
        if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cs"):
            raise ValidationError("comment", "contains control or binary characters")
    value = value.strip()
    if len(value) > max_chars:
        raise ValidationError("comment", f"is longer than {max_chars} characters")
    return value


def amend_payload(answer_id, unit=None, aspects=None, reasons=None, comment=None, comment_max_chars=500):
    """The checked payload of an amendment and its masked comment: (payload, (text, masked?) or None)."""
    payload = {"answer_id": check_answer_id(answer_id)}
    if unit is not None:
        payload["unit"] = check_unit(unit)
    if aspects is not None:
        if not isinstance(aspects, dict):
            raise ValidationError("aspects", "must be a mapping of aspect to level")
        for key, level in aspects.items():
            if key not in ASPECTS:
                raise ValidationError("aspects", f"unknown aspect {key!r}")
            check_level("aspects", level)
        if aspects:
            payload["aspects"] = dict(aspects)
    if reasons is not None:
        if isinstance(reasons, (str, bytes)) or not isinstance(reasons, (list, tuple, set, frozenset)):
            raise ValidationError("reasons", "must be a list of reason keys")
        for key in reasons:
            if not isinstance(key, str) or key not in REASONS:
                raise ValidationError("reasons", f"unknown reason {key!r}")
        payload["reasons"] = sorted(set(reasons))
    masked_comment = None
    if comment is not None:
        text = check_comment(comment, comment_max_chars)
        if text:
            masked_comment = mask_personal_numbers(text)
            payload["has_comment"] = True
    if len(payload) == 1:
        raise ValidationError("amend", "nothing to amend")
    return payload, masked_comment


# -- the one event schema ----------------------------------------------------------------

# Where a version-2 rating or referral was made: a paired display at a counter.
ORIGIN_KEYS = ("counter", "display", "v")
ORIGIN_VERSION = 2

_PAYLOAD_KEYS = {
    KIND_RATING: ({"answer_id", "level", *ORIGIN_KEYS}, {"answer_id", "level"}),  # (allowed, required)
    KIND_AMEND: ({"answer_id", "unit", "aspects", "reasons", "has_comment"}, {"answer_id"}),
    KIND_REFERRAL: ({"unit", *ORIGIN_KEYS}, {"unit"}),
}


def check_counter_slug(value):
    """A counter's short name as events carry it: 1 to 32 of a-z, 0-9 and '-'."""
    if not isinstance(value, str) or not _COUNTER_SLUG.fullmatch(value):
        raise ValidationError("counter", "must be 1 to 32 of a-z, 0-9 and '-'")
    return value


def check_display_id(value):
    """A display's id as events carry it: 32 lowercase hex."""
    if not isinstance(value, str) or not _HEX32.fullmatch(value):
        raise ValidationError("display", "must be 32 lowercase hexadecimal characters")
    return value


def origin_fields(counter=None, display=None):
    """The payload keys of an event made on a paired display ({} for the hall kiosk)."""
    if counter is None and display is None:
        return {}
    return {"counter": check_counter_slug(counter), "display": check_display_id(display), "v": ORIGIN_VERSION}


def _check_origin(payload):
    present = [key for key in ORIGIN_KEYS if key in payload]
    if not present:
        return
    if len(present) != len(ORIGIN_KEYS):
        missing = next(key for key in ORIGIN_KEYS if key not in payload)
        raise ValidationError(f"payload.{missing}", "missing: counter, display and v come together")
    if type(payload["v"]) is not int or payload["v"] != ORIGIN_VERSION:
        raise ValidationError("payload.v", f"must be the integer {ORIGIN_VERSION}")
    _in_payload(check_counter_slug, payload["counter"])
    _in_payload(check_display_id, payload["display"])


def latest_at(now=None):
    """The latest `at` a reader takes: FUTURE_LEEWAY_SECONDS after `now` (epoch seconds;
    default this machine's clock), as stored text."""
    now = utc_now().timestamp() if now is None else now
    return utc_iso(now + FUTURE_LEEWAY_SECONDS)


def check_at(value, latest=None):
    """An event's time: 'YYYY-MM-DDTHH:MM:SSZ', a real UTC instant, from EARLIEST_AT to
    `latest` (stored text, see latest_at; default a day after this machine's clock).

    Returns the aware datetime. A kiosk with a dead clock battery writes 1970 or 2099;
    such times would date the figures wrongly (and year 9999 overflows local time), so
    the schema refuses them."""
    if not isinstance(value, str) or not _AT.fullmatch(value):
        raise ValidationError("at", "must be a UTC time written YYYY-MM-DDTHH:MM:SSZ")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError("at", f"{value} is not a real date and time") from None
    if value < EARLIEST_AT:
        raise ValidationError("at", f"{value} is before {EARLIEST_AT}: is the kiosk's clock right?")
    latest = latest or latest_at()
    if value > latest:
        raise ValidationError("at", f"{value} is more than a day ahead of this clock: is the kiosk's clock right?")
    return moment


def check_seq(field, value, minimum=1):
    """A sequence number: an integer (not a bool, not 1.0) from `minimum` to MAX_SEQ."""
    if type(value) is not int or not minimum <= value <= MAX_SEQ:
        raise ValidationError(field, f"must be a whole number from {minimum} to {MAX_SEQ} (2^53)")
    return value


def _in_payload(check, *args):
    try:
        return check(*args)
    except ValidationError as error:
        raise ValidationError(f"payload.{error.field}", error.message) from None


def validate_payload(kind, payload):
    """A decoded payload as the schema wants it for `kind`; returns it, else raises ValidationError."""
    if kind not in KINDS:
        raise ValidationError("kind", f"unknown kind {kind!r}: an event is a rating, an amend or a referral")
    if not isinstance(payload, dict):
        raise ValidationError("payload", "must be a JSON object")
    allowed, required = _PAYLOAD_KEYS[kind]
    for key in payload:
        if key not in allowed:
            raise ValidationError(f"payload.{key}", "unknown field")
    for key in required:
        if key not in payload:
            raise ValidationError(f"payload.{key}", "missing")
    if "answer_id" in payload:
        _in_payload(check_answer_id, payload["answer_id"])
    if "level" in payload:
        check_level("payload.level", payload["level"])
    if "unit" in payload:
        _in_payload(check_unit, payload["unit"])
    _check_origin(payload)
    if kind == KIND_AMEND:
        if len(payload) == 1:
            raise ValidationError("payload", "an amend must change something")
        aspects = payload.get("aspects", {"process": 1})
        if not isinstance(aspects, dict) or not aspects:
            raise ValidationError("payload.aspects", "must be a mapping of aspect to level")
        for key, level in aspects.items():
            if key not in ASPECTS:
                raise ValidationError("payload.aspects", f"unknown aspect {key!r}")
            check_level(f"payload.aspects.{key}", level)
        reasons = payload.get("reasons", [])
        if not isinstance(reasons, list):
            raise ValidationError("payload.reasons", "must be a list of reason keys")
        for key in reasons:
            if not isinstance(key, str) or key not in REASONS:
                raise ValidationError("payload.reasons", f"unknown reason {key!r}")
        if len(set(reasons)) != len(reasons):
            raise ValidationError("payload.reasons", "a reason comes twice")
        if payload.get("has_comment", True) is not True:
            raise ValidationError("payload.has_comment", "must be true (or left out)")
    return payload


def is_kiosk_id(value):
    """A kiosk id as events carry it: 1 to KIOSK_ID_MAX printable characters."""
    return isinstance(value, str) and 0 < len(value) <= KIOSK_ID_MAX and value.isprintable()


def decode_payload(kind, text):
    """The stored text of a payload -> the checked payload (canonical JSON, at most
    MAX_PAYLOAD_BYTES, as validate_payload wants it); raises ValidationError."""
    if not isinstance(text, str) or len(text.encode("utf-8", "surrogatepass")) > MAX_PAYLOAD_BYTES:
        raise ValidationError("payload", f"must be the stored JSON text, at most {MAX_PAYLOAD_BYTES} bytes")
    try:
        decoded = json.loads(text)
    except (ValueError, RecursionError):
        raise ValidationError("payload", "is not JSON (or nested too deep)") from None
    validate_payload(kind, decoded)
    if canonical_json(decoded) != text:
        raise ValidationError("payload", "must be a JSON object in canonical form")
    return decoded


def validate_event_row(row, latest=None):
    """One stored row (Event.as_row(): payload as its text) against the schema, hash
    included; `latest` as for check_at. Returns the decoded payload; raises ValidationError
    naming the first field that is wrong."""
    if not isinstance(row, dict):
        raise ValidationError("event", "must be an object")
    if row.keys() != _EVENT_KEY_SET:  # else name the first field that is wrong
        for key in row:
            if key not in EVENT_KEYS:
                raise ValidationError(str(key), "unknown field")
        for key in EVENT_KEYS:
            if key not in row:
                raise ValidationError(key, "missing")
    check_seq("seq", row["seq"])
    if not isinstance(row["id"], str) or not _HEX32.fullmatch(row["id"]):
        raise ValidationError("id", "must be 32 lowercase hexadecimal characters")
    if not is_kiosk_id(row["kiosk"]):
        raise ValidationError("kiosk", f"must be a short text (1 to {KIOSK_ID_MAX} printable characters)")
    check_at(row["at"], latest)
    if row["kind"] not in KINDS:
        raise ValidationError("kind", "unknown kind: an event is a rating, an amend or a referral")
    payload = decode_payload(row["kind"], row["payload"])
    flagged, reason = row["flagged"], row["flag_reason"]
    if type(flagged) is not int or flagged not in (0, 1):
        raise ValidationError("flagged", "must be 0 or 1")
    if reason is not None and reason not in FLAGS:
        raise ValidationError("flag_reason", f"must be null or one of {', '.join(FLAGS)}")
    if bool(flagged) != (reason is not None):
        raise ValidationError("flag_reason", "is set exactly when flagged is 1")
    for key in ("prev_hash", "hash"):
        if not isinstance(row[key], str) or not _HEX64.fullmatch(row[key]):
            raise ValidationError(key, "must be 64 lowercase hexadecimal characters")
    if event_hash(*_HASHED(row)) != row["hash"]:
        raise ValidationError("hash", "does not match the event's content: changed on the way?")
    return payload
