"""The One Stop Service kiosk of a Thai provincial police station."""
import secrets
import sqlite3
from pathlib import Path

from flask import Flask

from . import credentials, db, errors, i18n, screens, security
from .content import load_content
from .extensions import csrf, htmx
from .records import purge_expired_comments
from .settings import load_settings

__version__ = "0.1.0"

ROOT = Path(__file__).resolve().parent.parent


def _secret_key(data_dir):
    """The session-signing key, made once per data directory and never committed."""
    path = Path(data_dir) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def create_app(config_file=None, data_dir=None, overrides=None, environ=None, announce=print):
    """Build the kiosk app from a settings file (or the demo defaults) and a data directory."""
    settings = load_settings(config_file, environ=environ, overrides=overrides)
    app = Flask(
        __name__,
        static_folder=str(ROOT / "static"),
        template_folder=str(ROOT / "templates"),
    )
    data_dir = Path(data_dir or ROOT / "instance").resolve()
    app.config.update(
        KIOSK=settings,
        DATA_DIR=str(data_dir),
        MAX_CONTENT_LENGTH=64 * 1024,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        # The kiosk page stays open for days; its token lives as long as its session.
        WTF_CSRF_TIME_LIMIT=None,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    app.extensions["kiosk_content"] = load_content(settings["kiosk"]["content_dir"] or None)
    db.init_app(app)
    app.secret_key = _secret_key(data_dir)
    with app.app_context():
        credentials.ensure_secrets(db.get_db(), settings["secrets"], announce=announce)
        try:
            purge_expired_comments()
        except sqlite3.OperationalError as error:  # a read-only database still serves pages
            app.logger.warning("expired comments not deleted at start: %s", error)

    htmx.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    screens.init_app(app)
    errors.init_app(app)
    security.init_app(app)

    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .citizen import bp as citizen_bp
    from .duty import bp as duty_bp
    from .health import bp as health_bp

    app.register_blueprint(citizen_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(duty_bp)
    app.register_blueprint(admin_bp)

    @app.after_request
    def _no_store_pages(response):
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = "no-store"
            response.headers["Vary"] = "HX-Request"
        return response

    return app
