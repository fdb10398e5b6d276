"""The stations' public pages on the hub, read-only at /public/<station>/ (public.serve_on_hub).

A province that chooses to expose them turns the setting on and installs each station's
published folder (or the admin's zip) with `python -m kiosk hub publish STATION PATH`;
they are kept in <hub data dir>/public/<station>/. Nothing but those files is reachable
under the prefix: no sign-in page, no listing, only the file types a published site holds,
and a path that leaves the folder answers 404.
"""

import re
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from flask import Blueprint, abort, current_app, send_from_directory

bp = Blueprint("hub_public", __name__)

STATION_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
SERVED_TYPES = {".html", ".css", ".woff2", ".svg", ".txt"}
PUBLIC_DIR = "public"


class PublishError(ValueError):
    """A folder or zip that cannot be installed as a station's pages."""


def pages_root(data_dir, station):
    """Where the hub keeps one station's pages."""
    return Path(data_dir) / PUBLIC_DIR / station


def _allowed(relative):
    parts = PurePosixPath(relative).parts
    return (
        bool(parts)
        and ".." not in parts
        and not relative.startswith("/")
        and PurePosixPath(relative).suffix in SERVED_TYPES
    )


def install_pages(data_dir, station, source):
    """Copy a published folder or zip (`source`) as `station`'s pages, replacing the old ones whole.

    Only the served file types are copied; anything else (and links) is left out.
    Returns the number of files installed; raises PublishError naming the problem."""
    if not STATION_CODE.match(station or ""):
        raise PublishError(f"station: {station!r} is not a station code (lowercase letters, digits, - and _)")
    source = Path(source)
    root = pages_root(data_dir, station)
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{station}-", dir=root.parent))
    try:
        count = _unpack(source, staging)
        if not (staging / "index.html").is_file():
            raise PublishError(f"{source}: no index.html at the top: not a folder made by `python -m kiosk publish`")
        old = root.with_name(f".{station}-old")
        if root.exists():
            root.rename(old)
        staging.rename(root)
        shutil.rmtree(old, ignore_errors=True)
        return count
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _unpack(source, target):
    count = 0
    if source.is_dir():
        for path in sorted(source.rglob("*")):
            relative = path.relative_to(source).as_posix()
            if path.is_symlink() or not path.is_file() or not _allowed(relative):
                continue
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative)
            count += 1
        return count
    if not zipfile.is_zipfile(source):
        raise PublishError(f"{source}: neither a folder nor a zip file")
    with zipfile.ZipFile(source) as archive:
        for info in archive.infolist():
            if info.is_dir() or not _allowed(info.filename):
                continue
            (target / info.filename).parent.mkdir(parents=True, exist_ok=True)
            (target / info.filename).write_bytes(archive.read(info))
            count += 1
    return count


@bp.get("/public/<station>/")
def index(station):
    """A station's home page."""
    return page(station, "index.html")


@bp.get("/public/<station>/<path:name>")
def page(station, name):
    """One file of a station's published pages, when the hub serves them."""
    if not current_app.config["KIOSK"].public.serve_on_hub or not STATION_CODE.match(station):
        abort(404)
    if name.endswith("/"):
        name += "index.html"
    if not _allowed(name):
        abort(404)
    root = pages_root(current_app.config["DATA_DIR"], station)
    return send_from_directory(root, name, max_age=300)
