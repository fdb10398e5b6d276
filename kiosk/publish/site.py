"""The station's public site: every page rendered with Jinja (templates/public/) into a dict
{path in the folder: HTML}, then written to a folder or a zip with the shared assets.

No Flask here: the templates get the one message catalogue through kiosk.core.i18n, and
the links between pages are relative (kiosk.content.pages), so the folder works wherever
it is uploaded. No script, no address of another site but the ones the content names.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from functools import cache
from pathlib import Path

import jinja2

from kiosk.config.paths import STATIC_DIR, TEMPLATES_DIR
from kiosk.content import pages
from kiosk.core.i18n import LANGUAGE_NAMES, translations
from kiosk.core.thaidate import format_date, format_time_span
from kiosk.core.vocab import DOCUMENT_KIND_LABELS, SECTION_LABELS, UNIT_CHOICE_LABELS, UNITS

PUBLIC_TEMPLATES = TEMPLATES_DIR / "public"
# The fonts of the other languages (static/fonts, SIL OFL), for pages in those languages.
LANGUAGE_FONTS = {
    "my": ("Noto Sans Myanmar", "noto-sans-myanmar", "noto-sans-myanmar-myanmar-{weight}-normal.woff2", "U+1000-109F"),
    "km": ("Noto Sans Khmer", "noto-sans-khmer", "noto-sans-khmer-khmer-{weight}-normal.woff2", "U+1780-17FF"),
    "lo": ("Noto Sans Lao", "noto-sans-lao", "noto-sans-lao-lao-{weight}-normal.woff2", "U+0E80-0EFF"),
    "zh": ("Noto Sans SC Kiosk", "noto-sans-sc", "noto-sans-sc-kiosk-{weight}.woff2", "U+2E80-9FFF, U+FF00-FFEF"),
}
# The other languages' own names in the language list (static/fonts/language-names: a few
# letters each), on every page of a site that has those languages.
LANGUAGE_NAME_RANGES = {"my": "U+1000-109F", "km": "U+1780-17FF", "lo": "U+0E80-0EFF", "zh": "U+4E2D, U+6587"}
# Copied as they are: the one stylesheet, the logo and the Sarabun fonts (with their licence).
ASSETS = {
    "public.css": STATIC_DIR / "css" / "public.css",
    "logo.svg": STATIC_DIR / "img" / "logo.svg",
    "fonts/OFL.txt": STATIC_DIR / "fonts" / "sarabun" / "OFL.txt",
    **{
        f"fonts/{name}": STATIC_DIR / "fonts" / "sarabun" / name
        for name in (
            "sarabun-thai-400-normal.woff2",
            "sarabun-thai-700-normal.woff2",
            "sarabun-latin-400-normal.woff2",
            "sarabun-latin-700-normal.woff2",
        )
    },
}


def assets_for(site):
    """The assets of `site`: the shared ones, and the font of each other language it has pages in."""
    assets = dict(ASSETS)
    for lang, (_family, folder, pattern, _range) in LANGUAGE_FONTS.items():
        if any(path.startswith(f"{lang}/") for path in site):
            for name in ("OFL.txt", pattern.format(weight=400), pattern.format(weight=700)):
                assets[f"fonts/{folder}/{name}"] = STATIC_DIR / "fonts" / folder / name
            for name in ("OFL.txt", f"{lang}.woff2"):
                assets[f"fonts/language-names/{name}"] = STATIC_DIR / "fonts" / "language-names" / name
    return assets


def _in_language(value, lang):
    """A content Text or a vocabulary Label in `lang`."""
    if value is None:
        return ""
    if hasattr(value, "in_language"):
        return value.in_language(lang)
    return value.get(lang)


@cache
def _environment(lang):
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PUBLIC_TEMPLATES)),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)
    env.filters["t"] = lambda value: _in_language_or_english(value, lang)
    env.filters["be_date"] = lambda day: format_date(day, lang, abbreviated=True)
    env.filters["time_span"] = lambda span: format_time_span(span, lang)
    return env


def page_list(content):
    """(page name, template, extra context) of every page, in both languages alike."""
    listed = [
        (pages.INDEX, "index.html", {}),
        (pages.MANUAL, "manual.html", {}),
        (pages.POLICY, "policy.html", {}),
        (pages.ESERVICES, "eservices.html", {}),
        (pages.ABOUT, "about.html", {}),
        (pages.CASE_PROGRESS, "case_progress.html", {}),
        (pages.EIT, "eit.html", {}),
        (pages.STATISTICS, "statistics.html", {}),
    ]
    listed += [(pages.service_page(s.slug), "service.html", {"service": s}) for s in content.services]
    listed += [
        (
            pages.situation_page(s.key),
            "situation.html",
            {"situation": s, "services": content.services_for_situation(s.key)},
        )
        for s in content.situations
    ]
    listed += [(pages.eit_unit_page(unit), "eit_unit.html", {"unit": unit}) for unit in UNITS]
    return listed


def _in_language_or_english(value, lang):
    """A content Text in `lang`, in English where it has no translation (as on the screens)."""
    if hasattr(value, "has") and lang not in ("th", "en") and not value.has(lang):
        return value.get("en")
    return _in_language(value, lang)


def site_languages(settings):
    """The site's languages: Thai and English, and the others the station offers."""
    return pages.site_languages(settings.station.offered_languages())


def render_site(settings, content, statistics, today):
    """{path: HTML} of every page in each of the site's languages. `statistics` is {lang: public_statistics()}."""
    site = {}
    languages = site_languages(settings)
    for lang in languages:
        env = _environment(lang)
        other = "en" if lang == "th" else "th"
        for page, template, extra in page_list(content):
            path = pages.page_path(page, lang)

            def link(to_page, to_lang=lang, _from=path):
                return pages.relative_link(_from, pages.page_path(to_page, to_lang))

            context = {
                "lang": lang,
                "other_lang": other,
                "page": page,
                "path": path,
                "link": link,
                "asset": lambda name, _from=path: pages.relative_link(_from, f"{pages.ASSETS_DIR}/{name}"),
                "other_lang_link": link(page, other),
                "languages": [(code, LANGUAGE_NAMES[code], link(page, code)) for code in languages],
                "language_font": LANGUAGE_FONTS.get(lang),
                "language_name_fonts": [
                    (code, LANGUAGE_NAME_RANGES[code]) for code in languages if code in LANGUAGE_NAME_RANGES
                ],
                "station": settings.station,
                "station_name": settings.station.name_th if lang == "th" else settings.station.name_en,
                "content": content,
                "about": content.about,
                "settings": settings,
                "pages": pages,
                "sections": content.by_section(),
                "section_labels": SECTION_LABELS,
                "unit_labels": UNIT_CHOICE_LABELS,
                "units": UNITS,
                "document_kinds": DOCUMENT_KIND_LABELS,
                "statistics": statistics[lang],
                "today": today,
                **extra,
            }
            site[path] = env.get_template(template).render(context)
    return site


def write_site(site, out_dir):
    """Write the pages and the assets into `out_dir` (created); returns the files written."""
    out = Path(out_dir)
    written = []
    for path, html in site.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        written.append(target)
    for name, source in assets_for(site).items():
        target = out / pages.ASSETS_DIR / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    return written


def site_zip(site):
    """The pages and assets as a zip (one folder to upload), as bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, html in sorted(site.items()):
            archive.writestr(path, html.encode("utf-8"))
        for name, source in assets_for(site).items():
            archive.write(source, f"{pages.ASSETS_DIR}/{name}")
    return buffer.getvalue()
