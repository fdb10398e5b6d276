"""The effective settings and content of this station, and the live copy the server reads.

Settings: the model's defaults < the station's published values (the database) < the
settings file < the environment; a value the file sets wins and is shown locked.
Content: the shipped defaults < the settings' content_dir < the province's package (from
the hub, kiosk.store.province) < the published version < the province's locked files, file
by file: a station's own edit of a file wins unless the province locked that file. A document (kiosk.store.station) holds the station's values; `StationSource`
turns one into Settings and Content, validated by the same models as the files, and
`Live` keeps the current pair, rebuilt when a newer version is published (by this
process, another thread, or `python -m kiosk content import`).
"""

import copy
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from kiosk.config.settings import Settings, SettingsError, load_settings, locked_settings, station_key
from kiosk.content.loader import ContentError, load_files, raw_files
from kiosk.content.model import Content
from kiosk.store import province as province_store
from kiosk.store import station as store

SETTINGS_FILE = "station.toml"  # the station settings in an exported directory


class ImportRefused(ValueError):
    """A directory that cannot be imported; the message names the file and the field."""


@dataclass(frozen=True)
class Effective:
    """What the screens, posters and reports read: settings, content, and their version."""

    settings: Settings
    content: Content
    version: int


class StationSource:
    """The layers under and over the station's document: defaults, content_dir, the file."""

    def __init__(self, config_file=None, overrides=None, environ=None):
        self.config_file, self.overrides, self.environ = config_file, overrides, environ
        self.has_settings_file = bool(config_file or overrides)
        self.locked = locked_settings(config_file, environ, overrides)
        self.file_settings = load_settings(config_file, environ, overrides)
        self.own_base = raw_files(self.file_settings.kiosk.content_dir or None)
        self.province = {"version": 0, "locked": [], "content": {}}

    @property
    def base(self):
        """The files under the station's own: defaults < content_dir < the province's unlocked files."""
        unlocked = {rel: data for rel, data in self.province["content"].items() if rel not in self.province["locked"]}
        return {**self.own_base, **unlocked}

    def locked_files(self):
        """The province's locked files: laid over the station's own edits."""
        return {
            rel: self.province["content"][rel] for rel in self.province["locked"] if rel in self.province["content"]
        }

    def with_province(self, package):
        """A copy of this source showing another province package (to check one before taking it)."""
        twin = copy.copy(self)
        twin.province = package
        return twin

    def settings(self, document, source="station settings"):
        """The effective Settings with this document's values; raises SettingsError."""
        _only_station_keys(document.get("settings", {}), source)
        return load_settings(
            self.config_file, self.environ, self.overrides, stored=document.get("settings"), stored_source=source
        )

    def files(self, document):
        """Every content file: the base, the document's files over it, the province's locked ones on top."""
        return {**self.base, **document.get("content", {}), **self.locked_files()}

    def content(self, document):
        """The effective Content with this document's files; raises ContentError."""
        return load_files(self.files(document))

    def build(self, document, version=0):
        """Effective settings and content of a document; raises SettingsError or ContentError."""
        return Effective(self.settings(document), self.content(document), version)

    def stored_settings(self, document):
        """The station-decided settings of a document, as {section: {key: value}}."""
        return copy.deepcopy(document.get("settings", {}))


def _only_station_keys(values, source):
    for section, keys in values.items():
        if not isinstance(keys, dict):
            raise SettingsError(f"{source}: {section}: must be a table [{section}]")
        for key in keys:
            if not station_key(section, key):
                raise SettingsError(f"{source}: {section}.{key}: not a station setting; it stays in the settings file")


class Live:
    """The current Effective settings and content, shared by every server thread."""

    def __init__(self, source, db):
        self.source = source
        self._lock = threading.Lock()
        self.key = (store.latest_id(db), province_store.version(db))
        self.source.province = province_store.package(db)
        self.effective = source.build(store.published(db), self.key[0])

    def refresh(self, db):
        """Rebuild when a newer version (or province package) arrived; returns the current Effective."""
        key = (store.latest_id(db), province_store.version(db))
        if key != self.key:
            with self._lock:
                if key != self.key:
                    self.source.province = province_store.package(db)
                    self.effective = self.source.build(store.published(db), key[0])
                    self.key = key
        return self.effective


def minimal(document, source):
    """The document with only the content files that differ from the base."""
    content = {rel: data for rel, data in document.get("content", {}).items() if source.base.get(rel) != data}
    return {"settings": document.get("settings", {}), "content": content}


# --------------------------------------------------------------------------
# Export and import: the TOML files in the layout of kiosk/content/defaults.


def without_nulls(value):
    """TOML has no null: drop None values, recursively."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def export_dir(source, document, out_dir):
    """Write every effective content file and station.toml into `out_dir`; returns the paths."""
    out = Path(out_dir)
    written = []
    for rel, data in sorted(source.files(document).items()):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(tomli_w.dumps(without_nulls(data)), encoding="utf-8")
        written.append(path)
    settings = source.settings(document)
    # The hub's address and token are this kiosk's own: never exported.
    station = {"station": settings.station.model_dump(), "eit": settings.eit.model_dump()}
    path = out / SETTINGS_FILE
    path.write_text(tomli_w.dumps(station), encoding="utf-8")
    written.append(path)
    return written


def read_dir(source, in_dir):
    """A document from an exported directory, validated whole; raises ImportRefused
    naming the file and the field, or nothing was read."""
    root = Path(in_dir)
    if not root.is_dir():
        raise ImportRefused(f"{root}: (directory): not found")
    document = {"settings": {}, "content": {}}
    for path in sorted(root.rglob("*.toml")):
        rel = path.relative_to(root).as_posix()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ImportRefused(f"{rel}: (file): invalid TOML: {exc}") from None
        if rel == SETTINGS_FILE:
            document["settings"] = data
        else:
            document["content"][rel] = data
    try:
        source.settings(document, SETTINGS_FILE)
        source.content(document)
    except (SettingsError, ContentError) as exc:
        raise ImportRefused(str(exc)) from None
    return minimal(document, source)
