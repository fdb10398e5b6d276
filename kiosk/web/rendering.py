"""Render a screen as a whole page for a direct load, or as the app fragment for htmx."""

from flask import current_app, g, render_template, request, session
from flask_babel import force_locale, gettext
from markupsafe import Markup, escape

from kiosk.core.clock import to_local
from kiosk.core.i18n import LANGUAGE_NAMES, LANGUAGE_TAGS, REVIEWED_CATALOGUES
from kiosk.core.qr import qr_svg
from kiosk.core.thaidate import format_date, format_time_span
from kiosk.core.vocab import LEVEL_LABELS, LEVELS
from kiosk.store.state import all_states
from kiosk.web.database import get_db
from kiosk.web.extensions import htmx
from kiosk.web.form_ids import new_form_id
from kiosk.web.i18n import current_language, offered_languages
from kiosk.web.linebreaks import mark_breaks

# Forgotten at the start screen: the next citizen (or officer, or admin) starts fresh.
VISIT_KEYS = ("lang", "large_text", "answer_id", "duty", "admin")


def apply_visit_choices():
    """A citizen's choices for this visit, given as query parameters on any screen."""
    lang = request.args.get("lang")
    if lang in offered_languages():
        session["lang"] = lang
    text = request.args.get("text")
    if text in ("large", "normal"):
        session["large_text"] = text == "large"


def forget_visit():
    """The next citizen starts fresh: Thai, normal text."""
    for key in VISIT_KEYS:
        session.pop(key, None)


def render_screen(template, **context):
    """A full page for a direct load; only the app fragment for an htmx swap. A citizen
    screen's Thai breaks only between words, by the posters' rule (kiosk.web.linebreaks)."""
    settings = current_app.config["KIOSK"]
    layout = "_fragment.html" if htmx and not context.get("full_page_only") else "base.html"
    state = all_states(get_db())
    defaults = {
        "layout": layout,
        "lang": current_language(),
        "lang_tag": LANGUAGE_TAGS[current_language()],
        "languages": [(code, LANGUAGE_NAMES[code], LANGUAGE_TAGS[code]) for code in offered_languages()],
        "large_text": session.get("large_text", False),
        "station": settings.station,
        "idle_seconds": settings.kiosk.idle_seconds,
        "current_path": request.path,
        "reset_token": state["reset_token"],
        "paused": bool(state["paused"]),
        "held": state["held"],
        "pr_duty": state["pr_duty"],
        "levels": LEVELS,
        "level_labels": LEVEL_LABELS,
    }
    html = render_template(template, **{**defaults, **context})
    return mark_breaks(html) if template.startswith("citizen/") else html


def url_with(**params):
    """This screen's address with some query parameters changed (language, text size)."""
    args = request.args.to_dict()
    args.update(params)
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return f"{request.path}?{query}" if query else request.path


def both_languages(msgid, plain=False):
    """A message in Thai and in English together, for the screens every citizen sees first;
    a citizen who chose another language (Myanmar, Khmer, Lao, Chinese) reads it in theirs."""
    lang = current_language()
    if lang not in ("th", "en"):
        own = gettext(msgid)
        return own if plain else Markup('<span lang="{}">{}</span>').format(LANGUAGE_TAGS[lang], own)
    with force_locale("th"):
        thai = gettext(msgid)
    with force_locale("en"):
        english = gettext(msgid)
    if plain:
        return f"{thai} / {english}"
    return Markup('<span lang="th">{}</span> <span lang="en">{}</span>').format(thai, english)


def station_name():
    station = current_app.config["KIOSK"].station
    return station.name_th if current_language() == "th" else station.name_en


def language_name(code):
    """A language's name in its own script ("ไทย", "English", "မြန်မာ"...)."""
    return LANGUAGE_NAMES[code]


def get_content():
    """The citizen content, loaded and validated once at start."""
    return current_app.extensions["kiosk_content"]


def in_language(text):
    """A content text in the citizen's language, escaped; its line breaks (and so simple
    "- " lists typed in the editor) kept as <br>. Nothing typed is ever HTML.

    A text not yet translated into the citizen's language shows in English, in a span
    that says so (lang="en"); an unreviewed translation is remembered for the screen's
    note (see `unreviewed_shown`)."""
    if text is None:
        return ""
    lang = current_language()
    fallback = lang not in ("th", "en") and not text.has(lang)
    if fallback:
        value = text.en
    else:
        value = text.get(lang)
        if not text.reviewed(lang):
            g.unreviewed_translation = True
    if "\n" in value:
        value = Markup("<br>\n").join(escape(line) for line in value.split("\n"))
    return Markup('<span lang="en">{}</span>').format(value) if fallback else value


def unreviewed_shown():
    """True when this response shows a translation not checked yet: a content text whose
    translation the station has not reviewed, or screen strings of a draft catalogue."""
    return bool(g.get("unreviewed_translation")) or current_language() not in REVIEWED_CATALOGUES


def is_translated(item, lang):
    """True when every text of a content item (a service, a policy...) is in `lang`."""
    from dataclasses import fields, is_dataclass

    from kiosk.content.fields import Text

    def texts(node):
        if isinstance(node, Text):
            yield node
        elif isinstance(node, tuple):
            for part in node:
                yield from texts(part)
        elif is_dataclass(node):
            for f in fields(node):
                yield from texts(getattr(node, f.name))

    return all(text.has(lang) for text in texts(item))


def qr_markup(data):
    """An inline SVG QR code, drawn on the server; `data-qr` says what it holds, so that
    `python -m kiosk publish --check` can list every code a screen shows."""
    svg = qr_svg(data)
    return Markup(svg.replace("<svg ", f'<svg data-qr="{escape(data)}" ', 1))


def local_time(at_utc_iso, to_the_hour=False):
    """A stored UTC time in Thai time; to the hour in reports, as PDPA asks."""
    moment = to_local(at_utc_iso)
    clock = f"{moment:%H}:00" if to_the_hour else f"{moment:%H:%M}"
    return f"{format_date(moment.date(), current_language(), abbreviated=True)} {clock}"


def init_app(app):
    app.before_request(apply_visit_choices)
    app.jinja_env.globals.update(
        url_with=url_with,
        bi=both_languages,
        station_name=station_name,
        new_form_id=new_form_id,
        qr=qr_markup,
        unreviewed_shown=unreviewed_shown,
        is_translated=is_translated,
        language_name=language_name,
    )
    app.jinja_env.filters["t"] = in_language
    app.jinja_env.filters["thousands"] = lambda n: f"{n:,}" if isinstance(n, int) else n  # 239,040
    app.jinja_env.filters["be_date"] = lambda day: format_date(day, current_language(), abbreviated=True)
    app.jinja_env.filters["local_hour"] = lambda at: local_time(at, to_the_hour=True)
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["time_span"] = lambda span: format_time_span(span, current_language())
