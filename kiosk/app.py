"""The one app factory: `create_app("kiosk")` for the counter, `create_app("hub")` for the
province. It sits above the blueprints, which it wires together; nothing imports it but
the command line and the tests."""

import secrets
import sqlite3
from pathlib import Path

from flask import Flask, request

from kiosk.config.paths import HUB, KIOSK, STATIC_DIR, TEMPLATES_DIR, resolve_data_dir
from kiosk.config.settings import load_settings
from kiosk.content.station import StationSource
from kiosk.hub.ingest import MAX_BODY_BYTES as MAX_SYNC_BATCH_BYTES
from kiosk.store import credentials
from kiosk.web import database, errors, i18n, network, rendering, security, station
from kiosk.web.extensions import csrf, htmx

ROLES = (KIOSK, HUB)
# A kiosk takes small forms; the hub takes sync batches of up to 1000 events.
MAX_BODY_BYTES = {KIOSK: 64 * 1024, HUB: MAX_SYNC_BATCH_BYTES}


def secret_key(data_dir):
    """The session-signing key, made once per data directory and never committed."""
    path = Path(data_dir) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def create_app(role=KIOSK, config_file=None, data_dir=None, overrides=None, environ=None, announce=print):
    """Build the kiosk or the hub from a settings file (or the demo defaults) and a data directory."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    source = None
    if role == KIOSK:
        source = StationSource(config_file, overrides=overrides, environ=environ)
        settings = source.file_settings
    else:
        settings = load_settings(config_file, environ=environ, overrides=overrides)
    app = Flask("kiosk", static_folder=str(STATIC_DIR), template_folder=str(TEMPLATES_DIR))
    data_dir = resolve_data_dir(data_dir, role)
    data_dir.mkdir(parents=True, exist_ok=True)
    app.config.update(
        KIOSK=settings,
        HUB=role == HUB,
        DATA_DIR=str(data_dir),
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES[role],
        # What the server itself may read of one request: the largest form any route takes.
        LARGEST_BODY_BYTES=EDITOR_MAX_BODY_BYTES if role == KIOSK else MAX_BODY_BYTES[role],
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        # The kiosk page stays open for days; its token lives as long as its session.
        WTF_CSRF_TIME_LIMIT=None,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    if role == HUB:
        app.config["SESSION_COOKIE_NAME"] = "hub_session"
    app.secret_key = secret_key(data_dir)
    if role == HUB:
        _set_up_hub(app, settings, announce)
        _set_up_hub_content(app, config_file, overrides, environ)
    else:
        _set_up_kiosk(app, settings, announce, source)
    app.teardown_appcontext(database.close_db)

    if role == KIOSK:
        app.before_request(_editor_takes_larger_forms)  # before the CSRF check reads the form
    htmx.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    rendering.init_app(app)
    errors.init_app(app)
    security.init_app(app)  # CSP and headers; Secure cookie over HTTPS
    if role == KIOSK:
        network.init_app(app)  # staff pages only where [network] staff_pages allows them
    for blueprint in _blueprints(role):
        app.register_blueprint(blueprint)

    @app.after_request
    def _no_store_pages(response):
        if response.mimetype == "text/html" or (role == HUB and response.mimetype == "application/json"):
            response.headers["Cache-Control"] = "no-store"
        if response.mimetype == "text/html":
            response.headers["Vary"] = "HX-Request"
        return response

    return app


# The setup and the content editor post whole files of Thai text (9 bytes a character
# once URL-encoded); a signed-in admin's form may be this large.
EDITOR_PATHS = ("/admin/setup", "/admin/content")
EDITOR_MAX_BODY_BYTES = 2 * 1024 * 1024


def _editor_takes_larger_forms():
    if request.path.startswith(EDITOR_PATHS):
        request.max_content_length = EDITOR_MAX_BODY_BYTES


def _set_up_kiosk(app, settings, announce, source):
    database.init_kiosk_database(app)
    station.init_app(app, source)  # the published settings and content, kept current
    with app.app_context():
        credentials.ensure_secrets(database.get_db(), settings.secrets.model_dump(), announce=announce)
        try:
            database.purge_expired_comments()
        except sqlite3.OperationalError as error:  # a read-only database still serves pages
            app.logger.warning("expired comments not deleted at start: %s", error)
        # The starting thread serves no request: an open connection here would keep a
        # database that was read-only at start read-only for the whole process.
        database.forget_thread_connection()


def _set_up_hub(app, settings, announce):
    from kiosk.hub import open_hub_db

    hub_db = open_hub_db(app.config["DATA_DIR"])
    try:
        credentials.ensure_secrets(
            hub_db,
            settings.secrets.model_dump(),
            announce=announce,
            names=credentials.HUB_SECRETS,
            labels=credentials.HUB_LABELS,
            who="First start of the hub",
        )
    finally:
        hub_db.conn.close()


def _set_up_hub_content(app, config_file, overrides, environ):
    """The station's content editor on the hub, and a kiosk app its preview renders with."""
    from kiosk.hub import province

    province.init_app(app, config_file, overrides=overrides, environ=environ)
    made = {}

    def preview_app():
        if "app" not in made:
            preview_dir = Path(app.config["DATA_DIR"]) / "preview-kiosk"
            made["app"] = create_app(KIOSK, data_dir=preview_dir, announce=lambda _text: None)
        return made["app"]

    app.extensions["content_preview_app"] = preview_app


def _blueprints(role):
    from kiosk.api.health import bp as health_bp

    if role == HUB:
        from kiosk.admin.editor import add_editor
        from kiosk.hub.api import bp as hub_api_bp
        from kiosk.hub.kiosks import bp as hub_care_bp
        from kiosk.hub.kiosks import make_content_blueprint, render_editor
        from kiosk.hub.province_api import bp as hub_province_api_bp
        from kiosk.hub.public import bp as hub_public_bp
        from kiosk.hub.views import bp as hub_views_bp
        from kiosk.hub.views import hub_admin_required

        hub_content_bp = make_content_blueprint()
        add_editor(hub_content_bp, hub_admin_required, render_editor)
        return [health_bp, hub_api_bp, hub_views_bp, hub_public_bp, hub_care_bp, hub_province_api_bp, hub_content_bp]
    from kiosk.admin import bp as admin_bp
    from kiosk.api.tallies import bp as api_bp
    from kiosk.citizen import bp as citizen_bp
    from kiosk.display import bp as display_bp
    from kiosk.duty import bp as duty_bp

    return [citizen_bp, display_bp, health_bp, api_bp, duty_bp, admin_bp]
