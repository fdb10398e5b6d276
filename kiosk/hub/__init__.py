"""The admin hub: the same codebase in the hub role.

Kiosks push their events to it (kiosk/sync.py; the protocol is in kiosk/hub/ingest.py and
README, "Sync and the hub"); a province's admin sees every station side by side, and pulls
figures from GET /api/v1/tallies with the hub's admin API token.

It reuses the kiosk's settings file format (only [station] for its name, [eit] for the
collection window and the default quota, [feedback] mean_band_interval, [admin], [duty]
sign-in lock, [secrets] admin_password and api_token are read), its database helpers
(kiosk.db: WAL, one writer under kiosk.db.write_lock), hashed secrets, admin sign-in
(kiosk.auth) and dashboard (kiosk.admin.dashboard, templates/admin/_figures.html).
"""
from pathlib import Path

from flask import Flask

from .. import ROOT, _secret_key, credentials, db as kdb, errors, i18n, screens, security
from ..extensions import csrf, htmx
from ..settings import load_settings
from . import ingest, store

DEFAULT_DATA_DIR = ROOT / "instance" / "hub"

# The hub needs an admin password (dashboard) and an admin API token (GET /api/v1/tallies).
HUB_SECRETS = ("admin_password", "api_token")
LABELS = {
    "admin_password": "Hub admin password (user: admin)",
    "api_token": "Hub admin API token (for GET /api/v1/tallies)",
}


def ensure_hub_secrets(db, given, announce=print):
    """As kiosk.credentials.ensure_secrets, for the hub's two secrets (no duty PIN here)."""
    generated = {}
    for name in HUB_SECRETS:
        value = given.get(name, "")
        current = credentials.stored_hash(db, name)
        if value:
            if not (current and credentials._matches(current, value)):
                credentials.set_secret(db, name, value)
        elif current is None:
            generated[name] = credentials._generate(name)
            credentials.set_secret(db, name, generated[name])
    if generated:
        lines = ["First start of the hub: these secrets were generated. They are shown only now; keep them safe."]
        lines += [f"  {LABELS[name]}: {value}" for name, value in generated.items()]
        announce("\n".join(lines))
    return generated


def open_hub_db(data_dir):
    """The hub's database in `data_dir` (created), schema up to date."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    database = kdb.connect(data_dir / kdb.DB_FILENAME)
    store.migrate(database)
    return database


def create_hub_app(config_file=None, data_dir=None, overrides=None, environ=None, announce=print):
    """Build the hub from a settings file and a data directory (default instance/hub)."""
    settings = load_settings(config_file, environ=environ, overrides=overrides)
    app = Flask(
        "kiosk",
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
    )
    data_dir = Path(data_dir or DEFAULT_DATA_DIR).resolve()
    app.config.update(
        KIOSK=settings,
        HUB=True,
        DATA_DIR=str(data_dir),
        MAX_CONTENT_LENGTH=ingest.MAX_BODY_BYTES,
        SESSION_COOKIE_NAME="hub_session",
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=None,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    database = open_hub_db(data_dir)
    try:
        ensure_hub_secrets(database, settings["secrets"], announce=announce)
    finally:
        database.conn.close()
    app.teardown_appcontext(kdb.close_db)
    app.secret_key = _secret_key(data_dir)

    htmx.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    screens.init_app(app)
    errors.init_app(app)
    security.init_app(app)  # the kiosk's CSP and headers; Secure cookie over HTTPS

    from ..health import bp as health_bp
    from .api import bp as api_bp
    from .views import bp as views_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(views_bp)

    @app.after_request
    def _no_store_pages(response):
        if response.mimetype in ("text/html", "application/json"):
            response.headers["Cache-Control"] = "no-store"
        if response.mimetype == "text/html":
            response.headers["Vary"] = "HX-Request"
        return response

    return app
