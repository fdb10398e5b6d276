"""Languages: Thai by default, English on one tap, chosen per citizen visit."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import session
from flask_babel import Babel

LANGUAGES = ("th", "en")
DEFAULT_LANGUAGE = "th"
TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"


def current_language():
    lang = session.get("lang")
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def compile_catalogs(target, source=TRANSLATIONS):
    """Compile each .po of `source` into `target` where its .mo is missing or older."""
    compiled = []
    for po_path in Path(source).glob("*/LC_MESSAGES/*.po"):
        mo_path = Path(target) / po_path.relative_to(source).with_suffix(".mo")
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        compiled.append(mo_path)
    return compiled


def init_app(app):
    # Compiled catalogues are generated files: they live in the data directory.
    compiled_dir = Path(app.config["DATA_DIR"]) / "translations"
    compile_catalogs(compiled_dir)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(compiled_dir))
    Babel(app, locale_selector=current_language, timezone_selector=lambda: "Asia/Bangkok")
