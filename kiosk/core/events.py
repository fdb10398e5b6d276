"""What an event is, how it is hashed, and what a valid payload holds (no database here).

Chain: an event's `hash` is the SHA-256 (hex) of the canonical JSON array

    [seq, id, kiosk, at, kind, payload, flagged, flag_reason, prev_hash]

(`json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)`, UTF-8;
`payload` is the stored payload text itself, `flagged` the integer 0 or 1, `flag_reason`
a string or null). The first event's prev_hash is GENESIS_HASH (64 zeros); every other
event's prev_hash is the hash of the event before it. The kiosk's log
(kiosk.store.eventlog) and the hub's ingest (kiosk.hub.ingest) both hash with
`event_hash`.

The payload of each validated kind:
- rating: {"answer_id", "level"}
- amend: {"answer_id", and any of "unit", "aspects" {aspect: level}, "reasons" [keys],
  "has_comment": true}; the comment text itself never enters the chain (PDPA)
- referral: {"unit"} (a unit key or "not_sure")
"""

import hashlib
import json
import re
import unicodedata
import uuid
from dataclasses import dataclass

from kiosk.core.comments import mask_personal_numbers, strip_invisible
from kiosk.core.vocab import ASPECTS, LEVELS, REASONS, UNIT_NOT_SURE, UNITS

GENESIS_HASH = "0" * 64

KIND_RATING = "rating"
KIND_AMEND = "amend"
KIND_REFERRAL = "referral"
# Kinds with their own validating method; EventLog.append() refuses them.
VALIDATED_KINDS = (KIND_RATING, KIND_AMEND, KIND_REFERRAL)

UNIT_CHOICES = UNITS + (UNIT_NOT_SURE,)

FLAG_REPEAT = "repeat"  # another one less than repeat_window_seconds before
FLAG_BURST = "burst"  # burst_max_per_minute already reached in the trailing 60 s

DEFAULT_COMMENT_MAX_CHARS = 500
MAX_PAYLOAD_BYTES = 8192

_HEX32 = re.compile(r"[0-9a-f]{32}")
_KIND = re.compile(r"[a-z][a-z0-9_]{0,31}")


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


def canonical_json(value):
    """The one JSON text of a value: sorted keys, no spaces, UTF-8 characters kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


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


def check_kind(value):
    """The kind of a free event: lowercase letters, digits and _, not a validated kind."""
    if not isinstance(value, str) or not _KIND.fullmatch(value):
        raise ValidationError("kind", "must be lowercase letters, digits and _")
    if value in VALIDATED_KINDS:
        raise ValidationError("kind", f"use the {value} method")
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
