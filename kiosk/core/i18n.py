"""One translation system: the message catalogue, read by plain Python.

Every human-facing string has an English msgid in kiosk/translations/<lang>/LC_MESSAGES/
messages.po (Thai is the default language; English is the msgid itself). The screens read
that catalogue through Flask-Babel (kiosk.web.i18n compiles it); the vocabulary, the
exports and the posters read the same catalogue here, without Flask:

    translate("Mean score", "th")                  -> "คะแนนเฉลี่ย"
    translate("%(n)s days left", "en", n=3)        -> "3 days left"
    translate_plural("%(n)s service", "%(n)s services", 2, "en")
    MEAN = Label("Mean score"); MEAN.in_language("th"); str(MEAN)

A Label renders in the language given, or with str() in the current language: the one a
hook returns (kiosk.web.i18n installs a hook that answers the request's language), else
Thai. `pybabel extract` finds the msgids through the keywords in the Makefile's `messages`
target: Label, translate, translate_plural, and Label/translate with a context second; N_
marks a msgid translated later (a settings field's help), and the content models' field()
has its help third.
"""

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

# The languages of the staff's screens, the exports and the published site.
LANGUAGES = ("th", "en")
# The languages a citizen may choose at the kiosk (a station offers some of them:
# [station] languages); each is named in its own script, never by a flag.
CITIZEN_LANGUAGES = ("th", "en", "my", "km", "lo", "zh")
LANGUAGE_NAMES = {"th": "ไทย", "en": "English", "my": "မြန်မာ", "km": "ខ្មែរ", "lo": "ລາວ", "zh": "中文"}
# The BCP 47 tag a page or a span carries (lang="..."): simplified Chinese is zh-Hans.
LANGUAGE_TAGS = {"th": "th", "en": "en", "my": "my", "km": "km", "lo": "lo", "zh": "zh-Hans"}
DEFAULT_LANGUAGE = "th"
# The catalogues of citizen languages whose screen strings a native speaker has checked;
# until then every screen in that language carries the "not yet checked" note.
REVIEWED_CATALOGUES = frozenset({"th", "en"})
CATALOGUE_DIR = Path(__file__).resolve().parents[1] / "translations"
DOMAIN = "messages"

_language_hook = None


def set_language_hook(hook):
    """Install `hook()`, which returns the language to use now (or None for the default)."""
    global _language_hook
    _language_hook = hook


def current_language():
    """The language the hook gives (inside a request: the visit's), else Thai."""
    lang = _language_hook() if _language_hook else None
    return lang if lang in CITIZEN_LANGUAGES else DEFAULT_LANGUAGE


def N_(msgid):
    """`msgid` as it is: marks it for `pybabel extract`, to be translated where it is shown."""
    return msgid


def _check(lang):
    if lang not in CITIZEN_LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(CITIZEN_LANGUAGES)}, not {lang!r}")


def _read_catalog(po_path):
    with Path(po_path).open("rb") as po_file:
        return read_po(po_file)


@cache
def translations(lang):
    """The compiled catalogue of `lang` (read once from its .po); English is the msgids."""
    _check(lang)
    po_path = CATALOGUE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return NullTranslations()
    compiled = io.BytesIO()
    write_mo(compiled, _read_catalog(po_path))
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def translate(msgid, lang, context=None, **values):
    """`msgid` in `lang` (with msgctxt `context` if given), %-formatted with `values`."""
    catalogue = translations(lang)
    text = catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)
    return text % values if values else text


def translate_plural(singular, plural, n, lang, **values):
    """The form of `singular`/`plural` for the number `n` in `lang`, formatted with n and `values`."""
    text = translations(lang).ngettext(singular, plural, n)
    return text % {"n": n, **values}


class Label:
    """A vocabulary word or a figure's name: a msgid rendered when it is shown.

    `in_language(lang)` gives it in that language; str() in the current language. Two
    labels are equal when they name the same msgid in the same context."""

    __slots__ = ("msgid", "context")

    def __init__(self, msgid, context=None):
        self.msgid = msgid
        self.context = context

    def in_language(self, lang, **values):
        """The label in `lang` (one of CITIZEN_LANGUAGES)."""
        return translate(self.msgid, lang, self.context, **values)

    def __str__(self):
        return self.in_language(current_language())

    def __repr__(self):
        context = f", context={self.context!r}" if self.context else ""
        return f"Label({self.msgid!r}{context})"

    def __eq__(self, other):
        if isinstance(other, Label):
            return (self.msgid, self.context) == (other.msgid, other.context)
        return NotImplemented

    def __hash__(self):
        return hash((self.msgid, self.context))


def compile_catalogs(target, source=CATALOGUE_DIR):
    """Compile each .po of `source` into `target` where its .mo is missing or older."""
    compiled = []
    for po_path in Path(source).glob("*/LC_MESSAGES/*.po"):
        mo_path = Path(target) / po_path.relative_to(source).with_suffix(".mo")
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, _read_catalog(po_path))
        compiled.append(mo_path)
    return compiled
