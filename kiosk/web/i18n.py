"""Languages: Thai by default, another on one tap (those the station offers), per citizen visit.

The screens translate through Flask-Babel (`_()` in templates, lazy_gettext in views);
kiosk.core.i18n reads the same catalogue for the vocabulary, the exports and the posters.
This module compiles the catalogue for Flask-Babel and tells kiosk.core.i18n which
language a request is in, so that a vocabulary label shows in the visit's language.
"""

from pathlib import Path

from flask import current_app, has_request_context, request, session
from flask_babel import Babel, get_locale

from kiosk.core.i18n import (
    CATALOGUE_DIR,
    CITIZEN_LANGUAGES,
    DEFAULT_LANGUAGE,
    LANGUAGES,
    compile_catalogs,
    set_language_hook,
)

TRANSLATIONS = CATALOGUE_DIR

__all__ = [
    "CITIZEN_LANGUAGES",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "TRANSLATIONS",
    "compile_catalogs",
    "current_language",
    "init_app",
    "offered_languages",
]


STAFF_BLUEPRINTS = ("admin", "duty", "hub")


def offered_languages():
    """The languages this kiosk's station offers its citizens, Thai first; Thai and English
    on the staff's screens."""
    if has_request_context() and request.blueprint in STAFF_BLUEPRINTS:
        return LANGUAGES
    station = getattr(current_app.config.get("KIOSK"), "station", None)
    return station.offered_languages() if hasattr(station, "offered_languages") else LANGUAGES


def current_language():
    """The visit's language (session), Thai unless the citizen chose another one offered."""
    lang = session.get("lang")
    return lang if lang in offered_languages() else DEFAULT_LANGUAGE


def rendering_language():
    """The language Flask-Babel renders in now (the visit's, or a force_locale); None outside a request."""
    if not has_request_context():
        return None
    locale = get_locale()
    return locale.language if locale else None


def init_app(app):
    """Compile the catalogue into the data directory and bind Flask-Babel to it."""
    # Compiled catalogues are generated files: they live in the data directory.
    compiled_dir = Path(app.config["DATA_DIR"]) / "translations"
    compile_catalogs(compiled_dir)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(compiled_dir))
    Babel(app, locale_selector=current_language, timezone_selector=lambda: "Asia/Bangkok")
    set_language_hook(rendering_language)
