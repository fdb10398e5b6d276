"""The hub's side of shared content: the station's editor on the hub, and checks.

The hub runs the very editor of a station (kiosk.admin.editor, registered a second time
under /hub/content by kiosk.hub.kiosks), on the same tables (station_versions,
station_draft: the hub's database has the kiosk's schema), so drafts, preview and history
work as on a station. Publishing there also makes a content package (kiosk.hub.content)
for the stations and with the locks chosen on the publish form.
"""

from kiosk.content.loader import FILE_MODELS, ContentError
from kiosk.content.station import Live, StationSource
from kiosk.hub import content, store
from kiosk.store.db import connect


class PackageInvalid(ValueError):
    """Content that cannot be published; the message names the file and the field."""


def init_app(app, config_file=None, overrides=None, environ=None):
    """Give the hub a Live source for the editor and the hook that makes packages."""
    from kiosk.web.database import database_path

    source = StationSource(config_file, overrides=overrides, environ=environ)
    db = connect(database_path(app))
    try:
        app.extensions["kiosk_live"] = Live(source, db)
    finally:
        db.conn.close()
    app.extensions["kiosk_content"] = app.extensions["kiosk_live"].effective.content
    app.extensions["content_published"] = publish_from_form
    app.extensions["content_publish_form"] = "hub/_content_publish.html"


def validate_content(app, files):
    """Raise PackageInvalid unless `files` ({file: table}) are content files that build."""
    for rel, data in files.items():
        if not isinstance(rel, str) or not isinstance(data, dict):
            raise PackageInvalid("content: each file must be a table")
        if rel not in FILE_MODELS and not (
            rel.startswith("services/") and rel.count("/") == 1 and rel.endswith(".toml")
        ):
            raise PackageInvalid(f"{rel}: (file): not a content file")
    try:
        app.extensions["kiosk_live"].source.content({"content": files})
    except ContentError as error:
        raise PackageInvalid(str(error)) from None


def publish_from_form(version_id, form):
    """After the editor published version `version_id` on the hub: its content as a package."""
    from flask import current_app

    from kiosk.store import station as station_store
    from kiosk.web.database import get_db

    db = get_db()
    version = station_store.get_version(db, version_id)
    stations = form.getlist("stations") if form.get("to") == "some" else None
    files = content.content_of_document(version.document)
    effective = current_app.extensions["kiosk_live"].source.files(version.document)
    locked = [rel for rel in form.getlist("locked") if rel in effective]
    for rel in locked:  # a locked file goes out even when the province kept the default
        files.setdefault(rel, effective[rel])
    return content.publish_package(
        db,
        files,
        "admin",
        version.note,
        stations=stations,
        locked=locked,
        known_stations={row["station"] for row in store.kiosks(db)},
    )
