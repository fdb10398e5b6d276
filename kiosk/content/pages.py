"""Where each page of the station's public site lives: one scheme for the pages that
`python -m kiosk publish` writes and for every QR code that points at them.

Thai pages sit at the top of the published folder, each other language's beside them under
its code (en/, and my/, km/, lo/, zh/ for a station that offers those languages):

    index.html            en/index.html           the station's home page
    manual.html           en/manual.html          every service, by section
    manual/<slug>.html    en/manual/<slug>.html   one service manual
    situations/<key>.html                         the services for one situation
    policy.html, eservices.html, about.html, case-progress.html
    eit.html, eit/<unit>.html                     the EIT invitation, per unit
    statistics.html                               public satisfaction statistics

A page is named by its path without language and suffix ("manual/bail"); `page_url`
puts it under the public base URL (settings.public.base_url). Links inside the site are
relative (`relative_link`), so that the folder works wherever it is uploaded.
"""

from __future__ import annotations

from kiosk.core.i18n import CITIZEN_LANGUAGES, LANGUAGES

INDEX = "index"
MANUAL = "manual"
POLICY = "policy"
ESERVICES = "eservices"
ABOUT = "about"
CASE_PROGRESS = "case-progress"
EIT = "eit"
STATISTICS = "statistics"
# The pages every site has, in the order of its navigation.
MAIN_PAGES = (INDEX, MANUAL, POLICY, ESERVICES, ABOUT, CASE_PROGRESS, EIT, STATISTICS)
ASSETS_DIR = "assets"
STYLESHEET = f"{ASSETS_DIR}/public.css"
LANG_PREFIX = {code: "" if code == "th" else f"{code}/" for code in CITIZEN_LANGUAGES}


def site_languages(offered) -> tuple[str, ...]:
    """The languages of the published site: Thai and English always, and those the station offers."""
    return tuple(code for code in CITIZEN_LANGUAGES if code in LANGUAGES or code in offered)


def service_page(slug: str) -> str:
    """The page of one service manual."""
    return f"{MANUAL}/{slug}"


def situation_page(key: str) -> str:
    """The page of one situation chip ("I lost something")."""
    return f"situations/{key}"


def eit_unit_page(unit: str) -> str:
    """The EIT invitation for the citizens one unit served."""
    return f"{EIT}/{unit}"


def page_path(page: str, lang: str = "th") -> str:
    """The file of `page` in the published folder, e.g. "en/manual/bail.html"."""
    if lang not in CITIZEN_LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(CITIZEN_LANGUAGES)}, not {lang!r}")
    return f"{LANG_PREFIX[lang]}{page}.html"


def page_url(base_url: str, page: str, lang: str = "th") -> str:
    """The address of `page` once the folder is uploaded to `base_url`."""
    return base_url.rstrip("/") + "/" + page_path(page, lang)


def relative_link(from_path: str, to_path: str) -> str:
    """A link from one file of the folder to another ("manual/bail.html" -> "../index.html")."""
    depth = from_path.count("/")
    return "../" * depth + to_path


def page_of_url(base_url: str, url: str) -> str | None:
    """The file in the folder that `url` points at, or None when it is outside the base URL."""
    base = base_url.rstrip("/") + "/"
    if not url.startswith(base):
        return None
    rest = url[len(base) :].split("#", 1)[0].split("?", 1)[0]
    if rest == "":
        return page_path(INDEX)
    if rest.endswith("/"):
        return rest + "index.html"
    return rest
