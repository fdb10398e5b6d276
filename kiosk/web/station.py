"""The live settings and content of the app: rebuilt when a version is published.

app.config["KIOSK"] and app.extensions["kiosk_content"] always hold the effective pair
(kiosk.content.station); each request first checks, in one small query, whether a newer
version was published (here, by another thread, or by `python -m kiosk content import`)
and swaps both at once. Publishing goes through `publish`, which validates first."""

from flask import current_app, g

from kiosk.content.station import Live
from kiosk.store import station as store
from kiosk.store.db import connect
from kiosk.web.database import database_path, get_db


def _apply(app, effective):
    app.config["KIOSK"] = effective.settings
    app.extensions["kiosk_content"] = effective.content


def init_app(app, source):
    """Load the published version (the schema must be up to date) and keep it current."""
    db = connect(database_path(app))
    try:
        live = Live(source, db)
    finally:
        db.conn.close()
    app.extensions["kiosk_live"] = live
    _apply(app, live.effective)

    @app.before_request
    def _current_station():
        if not g.get("preview"):  # a preview renders a draft on a twin of the app
            refresh()


def live():
    """The app's Live holder (its `.source` knows the layers and the locked settings)."""
    return current_app.extensions["kiosk_live"]


def refresh():
    """Swap in a newer published version, if any; returns the Effective."""
    effective = live().refresh(get_db())
    if current_app.config["KIOSK"] is not effective.settings:
        _apply(current_app, effective)
    return effective


def publish(document, actor, note):
    """Validate `document` whole, store it as a new version and make it live now.

    Raises SettingsError or ContentError (nothing stored). Returns the version id."""
    live().source.build(document)
    version = store.publish(get_db(), document, actor, note)
    refresh()
    return version


def needs_setup():
    """True for the demo station of a kiosk started without a settings file."""
    return not live().source.has_settings_file and current_app.config["KIOSK"].station.demo
