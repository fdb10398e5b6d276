"""The kiosk's content: service manuals, situations, No Gift Policy, e-services,
"about the station" and case-progress guidance, read from TOML files into the
models of kiosk/content/model.py.

Defaults live in kiosk/content/defaults/ (schema: its README.md). A station
may keep its own directory of TOML files: a file there with the same relative
path replaces the default file whole, and a new services/<slug>.toml adds a
service. Everything is validated when loaded; any mistake raises ContentError
naming the file, the entry and the field.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from kiosk.content.fields import PROBLEM, STATION_CONTACT, Text
from kiosk.content.model import (
    DOCUMENT_KINDS,
    About,
    CaseProgress,
    Channel,
    Contact,
    Content,
    Document,
    EService,
    EServices,
    Facility,
    Figure,
    Hours,
    Manual,
    Notice,
    Pledge,
    Policy,
    Service,
    Shift,
    Shifts,
    Situation,
    Step,
    public_url,
)
from kiosk.content.translations import TranslationError, lay_over
from kiosk.core.vocab import MANUAL_SECTIONS

# The content types, importable from here as before the models had their own module.
__all__ = [
    "DEFAULT_DIR",
    "DOCUMENT_KINDS",
    "STATION_CONTACT",
    "About",
    "CaseProgress",
    "Channel",
    "Contact",
    "Content",
    "ContentError",
    "Document",
    "EService",
    "Facility",
    "Figure",
    "Hours",
    "Notice",
    "Pledge",
    "Policy",
    "Service",
    "Shift",
    "Shifts",
    "Situation",
    "Step",
    "Text",
    "load_content",
    "load_files",
    "raw_files",
    "public_url",
]

DEFAULT_DIR = Path(__file__).with_name("defaults")
FILE_MODELS = {
    "manual.toml": Manual,
    "about.toml": About,
    "policy.toml": Policy,
    "eservices.toml": EServices,
    "case_progress.toml": CaseProgress,
}
_ADAPTERS = {model: TypeAdapter(model) for model in (*FILE_MODELS.values(), Service)}

# pydantic's error types, in the words of ContentError.
_PROBLEMS = {
    "missing": "missing",
    "unexpected_keyword_argument": "unknown field",
    "extra_forbidden": "unknown field",
    "int_type": "must be an integer",
    "string_type": "must be a string",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "too_short": "must not be empty",
    "dataclass_type": "must be a table",
    "dataclass_args_type": "must be a table",
    "dict_type": "must be a table",
}


class ContentError(ValueError):
    """Invalid content; the message reads "<file>: <entry.field>: <problem>"."""


def _where(loc: tuple) -> str:
    """("documents", 2, "kind") -> "documents[2].kind"."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def _problem(error: dict) -> tuple[str, str]:
    """(where, problem) of one pydantic error, in the words of ContentError."""
    loc, kind, ctx = tuple(error["loc"]), error["type"], error.get("ctx") or {}
    if kind == PROBLEM:
        return _where(loc + tuple(ctx["at"])), ctx["message"]
    if kind == "greater_than_equal":
        return _where(loc), f"must be at least {ctx['ge']}"
    return _where(loc), _PROBLEMS.get(kind, f"invalid value {error.get('input')!r}")


def _follows_item_error(error: dict, errors: list[dict]) -> bool:
    """A list's "too short" that pydantic adds after one of its items failed."""
    n = len(error["loc"])
    return error["type"] == "too_short" and any(len(e["loc"]) > n and e["loc"][:n] == error["loc"] for e in errors)


def _read(model: type, rel: str, data: dict, **context: Any) -> Any:
    """``data`` (one file's TOML) validated into ``model``; the first mistake
    (unknown fields last, as they are usually typos of a missing one) raises
    ContentError."""
    try:
        return _ADAPTERS[model].validate_python(data, context=context)
    except ValidationError as exc:
        errors = [e for e in exc.errors() if not _follows_item_error(e, exc.errors())]
        errors.sort(key=lambda e: _PROBLEMS.get(e["type"]) == "unknown field")
        where, problem = _problem(errors[0])
        raise ContentError(f"{rel}: {where}: {problem}") from None


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


def raw_files(override_dir: str | Path | None = None, default_dir: str | Path | None = None) -> dict[str, dict]:
    """{relative path: parsed TOML} of the defaults with a station's ``override_dir``
    laid over them file by file (same relative path replaces the default file whole)."""
    files = _toml_files(Path(default_dir) if default_dir else DEFAULT_DIR)
    if override_dir is not None:
        odir = Path(override_dir)
        if not odir.is_dir():
            raise ContentError(f"{odir}: (directory): not found")
        files.update(_toml_files(odir))
    return {rel: _parse(rel, path) for rel, path in files.items()}


def load_content(override_dir: str | Path | None = None, default_dir: str | Path | None = None) -> Content:
    """Read and validate all content: the defaults in kiosk/content/, with a
    station's ``override_dir`` laid over them file by file (same relative path
    replaces the default file whole; a new services/<slug>.toml adds a service;
    a services file holding only ``disabled = true`` removes that service).
    Raises ContentError naming the file, the entry and the field."""
    return load_files(raw_files(override_dir, default_dir))


def load_files(files: dict[str, dict]) -> Content:
    """Validate parsed content files ({relative path: table}) into Content, with the
    translations of translations/<lang>.toml laid over their texts; raises ContentError
    naming the file, the entry and the field."""
    try:
        files, _stale = lay_over(files)
    except TranslationError as exc:
        raise ContentError(str(exc)) from None

    def data(rel: str) -> dict:
        if rel not in files:
            raise ContentError(f"{rel}: (file): missing")
        return files[rel]

    manual = _read(Manual, "manual.toml", data("manual.toml"))
    about = _read(About, "about.toml", data("about.toml"))
    contact = {"contact": about.contact}
    policy = _read(Policy, "policy.toml", data("policy.toml"), **contact)
    eservices = _read(EServices, "eservices.toml", data("eservices.toml"), **contact).cards
    case_progress = _read(CaseProgress, "case_progress.toml", data("case_progress.toml"), **contact)

    situations = manual.situations
    situation_keys = {s.key for s in situations}
    services = []
    for rel in sorted(files):
        if rel in FILE_MODELS:
            continue
        parts = rel.split("/")
        if len(parts) != 2 or parts[0] != "services":
            raise ContentError(f"{rel}: (file): unexpected file; services go in services/<slug>.toml")
        raw = data(rel)
        if raw == {"disabled": True}:
            continue
        services.append(_read(Service, rel, raw, stem=Path(parts[1]).stem, situations=situation_keys))

    order = {s: i for i, s in enumerate(MANUAL_SECTIONS)}
    services.sort(key=lambda s: (order[s.section], s.order, s.slug))
    for i, sit in enumerate(situations):
        if not any(sit.key in s.keywords for s in services):
            raise ContentError(f"manual.toml: situations[{i}].key: no service lists {sit.key!r} in its keywords")
    return Content(tuple(services), situations, manual.notice, policy, eservices, about, case_progress)
