"""The building blocks of the content models: the human text (``Text``), the
checked value types (lines, keys, slugs, phones, URLs, counts, choices) and
``field()``, which gives every model field its Thai and English label and its
help text.

A check that fails raises ``problem(...)``: a pydantic error whose wording is
the one the loader shows (``ContentError``), and which may point below the
field it was raised for (a document's ``kind`` from the list of documents).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BeforeValidator, Field, StrictBool, StrictInt, StrictStr, StringConstraints
from pydantic_core import PydanticCustomError, core_schema

STATION_CONTACT = "station"  # phone/url placeholder resolved from about.toml [contact]
REQUIRED_LANGUAGES = ("th", "en")

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_RE = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")
PHONE_RE = re.compile(r"^\+?[0-9](?:[0-9 \-]*[0-9])?$")
SHIFT_TIME_RE = re.compile(r"^\d\d:\d\d-\d\d:\d\d$")

PROBLEM = "content"
TEXT_MAX_CHARS = 2000  # the longest shipped text is about 300 characters  # the pydantic error type of problem()


def problem(message: str, *at: str | int) -> PydanticCustomError:
    """A validation error worded for the station (``message``), located at the
    field being validated, or ``at`` below it (e.g. ``problem(msg, 2, "kind")``)."""
    return PydanticCustomError(PROBLEM, "{message}", {"message": message, "at": at})


def field(th: str, en: str, help: str, **kwargs: Any) -> Any:
    """A model field with its labels and help text, for the forms that edit the
    content; ``kwargs`` go to pydantic's ``Field`` (default, constraints)."""
    return Field(json_schema_extra={"label": {"th": th, "en": en}, "help": help}, **kwargs)


# --------------------------------------------------------------------------
# Human text.


class Translated(str):
    """A translation laid over a content text by the loader (from translations/<lang>.toml),
    with whether the station has reviewed it. Content files themselves hold th and en only."""

    reviewed: bool

    def __new__(cls, text: str, reviewed: bool = False) -> Translated:
        obj = super().__new__(cls, text)
        obj.reviewed = reviewed
        return obj


class Text:
    """A human text: one string per language code. Thai and English are always
    there and are written in the content files; other languages (``my``, ``km``,
    ``lo``, ``zh``) come from translations/<lang>.toml, each with whether the
    station has reviewed it. ``get(lang)`` returns the text in that language,
    English for "en*", and Thai when the language is missing or blank.
    Immutable and hashable."""

    __slots__ = ("_by_language", "_unreviewed")

    def __init__(self, th: str, en: str, unreviewed: frozenset[str] = frozenset(), **others: str):
        object.__setattr__(self, "_by_language", {"th": th, "en": en, **others})
        object.__setattr__(self, "_unreviewed", frozenset(unreviewed))

    @classmethod
    def from_mapping(cls, texts: dict[str, str], unreviewed: frozenset[str] = frozenset()) -> Text:
        """A text from a {language code: text} mapping holding "th" and "en"; ``unreviewed``
        names the translations the station has not checked yet."""
        others = {code: str(s) for code, s in texts.items() if code not in REQUIRED_LANGUAGES}
        text = cls(texts["th"], texts["en"], unreviewed)
        text._by_language.update(others)
        return text

    @property
    def th(self) -> str:
        """The Thai text."""
        return self._by_language["th"]

    @property
    def en(self) -> str:
        """The English text."""
        return self._by_language["en"]

    @property
    def languages(self) -> tuple[str, ...]:
        """The language codes this text is written in, Thai and English first."""
        return tuple(self._by_language)

    def has(self, lang: str) -> bool:
        """True when the text is written in ``lang`` itself (no fallback)."""
        return bool(self._by_language.get(lang))

    def reviewed(self, lang: str) -> bool:
        """True unless ``lang`` is a translation the station has not checked yet."""
        return lang not in self._unreviewed

    def as_dict(self) -> dict[str, str]:
        """The text as written in a content file: {"th": ..., "en": ...}."""
        return {code: self._by_language[code] for code in REQUIRED_LANGUAGES}

    def get(self, lang: str | None = "th") -> str:
        """The text in ``lang``; English for "en*"; falls back to Thai."""
        if lang:
            code = lang.lower()
            if code.startswith("en"):
                code = "en"
            found = self._by_language.get(code) or self._by_language.get(code.split("-")[0])
            if found:
                return found
        return self.th

    t = get  # short alias for templates: {{ service.name.t(lang) }}

    def __str__(self) -> str:
        return self.th

    def __repr__(self) -> str:
        return "Text(" + ", ".join(f"{code}={s!r}" for code, s in self._by_language.items()) + ")"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Text):
            return NotImplemented
        return (self._by_language, self._unreviewed) == (other._by_language, other._unreviewed)

    def __hash__(self) -> int:
        return hash(tuple(self._by_language.items()))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Text is immutable")

    def __reduce__(self):
        return (Text.from_mapping, (dict(self._by_language), self._unreviewed))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            _validate_text,
            serialization=core_schema.plain_serializer_function_ser_schema(lambda text: text.as_dict()),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> dict:
        line = {"type": "string", "minLength": 1}
        return {
            "type": "object",
            "properties": dict.fromkeys(REQUIRED_LANGUAGES, line),
            "required": list(REQUIRED_LANGUAGES),
            "additionalProperties": False,
        }


def _validate_text(value: Any) -> Text:
    """A Text from a TOML table {th, en}, with the translations the loader laid over it
    (Translated values); every string stripped. Another language typed in a content
    file is refused: translations have one place, translations/<lang>.toml."""
    if isinstance(value, Text):
        return value
    if not isinstance(value, dict):
        raise problem("must be a table with th and en")
    for code in REQUIRED_LANGUAGES:
        if value.get(code) is None:
            raise problem("missing", code)
        _check_line(value[code], code)
        _check_length(value[code], code)
    for code in sorted(set(value) - set(REQUIRED_LANGUAGES)):
        if not isinstance(value[code], Translated):
            raise problem(f"unknown field; a translation goes in translations/{code}.toml", code)
    unreviewed = frozenset(code for code, s in value.items() if isinstance(s, Translated) and not s.reviewed)
    return Text.from_mapping({code: s.strip() for code, s in value.items()}, unreviewed)


# --------------------------------------------------------------------------
# Checked values.


def _check_length(value: str, *at: str) -> None:
    if len(value) > TEXT_MAX_CHARS:
        raise problem(f"must be at most {TEXT_MAX_CHARS:,} characters (got {len(value):,})", *at)


def _check_line(value: Any, *at: str) -> str:
    if not isinstance(value, str):
        raise problem("must be a string", *at)
    if not value.strip():
        raise problem("must not be blank", *at)
    return value


def _matching(pattern: re.Pattern) -> BeforeValidator:
    def check(value: Any) -> str:
        if not pattern.match(_check_line(value)):
            raise problem(f"invalid value {value!r}")
        return value

    return BeforeValidator(check)


def _check_situation_key(value: Any) -> str:
    if not isinstance(value, str) or not KEY_RE.match(value):
        raise problem("must be a lowercase key")
    return value


def _check_url(value: Any) -> str:
    _check_line(value)
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in value):
        raise problem(f"must be an https URL with a host, not {value!r}")
    return value


def _check_phone(value: Any) -> str:
    _check_line(value)
    if not PHONE_RE.match(value) or sum(c.isdigit() for c in value) < 3:
        raise problem(f"must be a phone number (digits, spaces, hyphens), not {value!r}")
    return value


def one_of(choices: tuple[str, ...]) -> Any:
    """A string that must be one of ``choices``."""

    def check(value: Any) -> str:
        if _check_line(value) not in choices:
            raise problem("must be one of " + ", ".join(choices))
        return value

    return Annotated[Literal[choices], BeforeValidator(check)]


Line = Annotated[StrictStr, BeforeValidator(_check_line)]
Key = Annotated[StrictStr, StringConstraints(pattern=KEY_RE.pattern), _matching(KEY_RE)]
Slug = Annotated[StrictStr, StringConstraints(pattern=SLUG_RE.pattern), _matching(SLUG_RE)]
ShiftTime = Annotated[StrictStr, StringConstraints(pattern=SHIFT_TIME_RE.pattern), _matching(SHIFT_TIME_RE)]
SituationKey = Annotated[StrictStr, BeforeValidator(_check_situation_key)]
Url = Annotated[StrictStr, BeforeValidator(_check_url)]
Phone = Annotated[StrictStr, BeforeValidator(_check_phone)]
Count = Annotated[StrictInt, Field(ge=0)]
Flag = StrictBool
