"""The draft the admin edits, its checks, the preview and the history's diff."""

import copy
import difflib
import json

import tomli_w
from flask import current_app, g, session

from kiosk.config.settings import SettingsError
from kiosk.content.loader import ContentError
from kiosk.content.station import without_nulls
from kiosk.store import station as store
from kiosk.web import station
from kiosk.web.database import get_db

ACTOR = "admin"


def current_draft():
    """The draft document (a copy of the published one when nothing is being edited)."""
    document = store.draft(get_db())
    document.setdefault("settings", {})
    document.setdefault("content", {})
    return document


def effective_files(document):
    """Every content file of the document, the base laid under it."""
    return station.live().source.files(document)


def file_data(document, rel):
    """One content file's table as the document would have it (a deep copy)."""
    return copy.deepcopy(effective_files(document).get(rel, {}))


def check(document):
    """(None, None) when the document builds; else (where, problem) of the first mistake:
    where is "<file>: <field>" for content and "settings: <section.key>" for settings."""
    source = station.live().source
    try:
        source.settings(document)
    except SettingsError as error:
        _, where, problem = _split(str(error))
        return f"settings: {where}", problem
    try:
        source.content(document)
    except ContentError as error:
        rel, where, problem = _split(str(error))
        return f"{rel}: {where}", problem
    return None, None


def _split(message):
    parts = message.split(": ", 2)
    while len(parts) < 3:
        parts.insert(0, "")
    return parts


def save(document, detail):
    """Store the draft, keeping only the files that differ from the base."""
    source = station.live().source
    content = {rel: data for rel, data in document["content"].items() if source.base.get(rel) != data}
    kept = {**document, "content": content}
    store.save_draft(get_db(), kept, ACTOR, detail)


def publish(note):
    """Publish the draft as a new version; returns its id."""
    document = current_draft()
    document.pop("setup", None)
    return station.publish(document, ACTOR, note or "")


def preview_response(document, path, lang):
    """The citizen's screen at `path`, rendered from `document` rather than the live version."""
    source = station.live().source
    effective = source.build(document)
    factory = current_app.extensions.get("content_preview_app")  # the hub has no citizen screens
    app = factory() if factory else current_app._get_current_object()
    twin = copy.copy(app)
    twin.config = copy.copy(app.config)
    twin.config["KIOSK"] = effective.settings
    twin.extensions = {**app.extensions, "kiosk_content": effective.content}
    with twin.test_request_context(path, query_string={"lang": lang}):
        g.preview = True
        session["lang"] = lang
        response = twin.full_dispatch_request()
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        "frame-ancestors 'self'"
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _as_lines(document):
    """The document as TOML lines per file, for a readable diff."""
    out = {}
    settings = document.get("settings", {})
    if settings:
        out["station settings"] = tomli_w.dumps(json.loads(json.dumps(settings))).splitlines()
    for rel, data in sorted(document.get("content", {}).items()):
        out[rel] = tomli_w.dumps(without_nulls(data)).splitlines()
    return out


def diff(old, new):
    """[(file, [(sign, line)])] of what changed between two documents, file by file."""
    before, after = _as_lines(old), _as_lines(new)
    changes = []
    for name in sorted(set(before) | set(after)):
        lines = [
            (line[0], line[1:])
            for line in difflib.unified_diff(before.get(name, []), after.get(name, []), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ]
        if lines:
            changes.append((name, lines))
    return changes
