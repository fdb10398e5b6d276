"""The station's public pages: a static website made from the kiosk's content and settings,
the pages that every QR code of the screens, the printed manuals and the posters points at.

`build(settings, content, db)` renders it ({path: HTML}); `publish(out_dir, ...)` writes it
and records when (kiosk.publish.record); `check_folder` proves a folder has every page a
code can point at. Page addresses: kiosk.content.pages.
"""

from __future__ import annotations

from kiosk.core.clock import today_in_bangkok, utc_now_iso
from kiosk.publish.check import CheckResult, check_folder, classify
from kiosk.publish.record import inputs_hash, last_published, publish_status, record_published
from kiosk.publish.site import render_site, site_languages, site_zip, write_site
from kiosk.publish.statistics import fiscal_year_period, statistics_for

__all__ = [
    "CheckResult",
    "build",
    "check_folder",
    "classify",
    "last_published",
    "publish",
    "publish_status",
    "publish_zip",
    "site_languages",
    "site_zip",
]


def build(settings, content, db, today=None):
    """Every page of the site, {path: HTML}, with the fiscal year's statistics from `db`."""
    today = today or today_in_bangkok()
    start, end = fiscal_year_period(today)
    # The public export speaks Thai and English: the other languages' pages show its English figures.
    by_language = {lang: statistics_for(db, settings, start, end, lang, today) for lang in ("th", "en")}
    statistics = {lang: by_language.get(lang, by_language["en"]) for lang in site_languages(settings)}
    return render_site(settings, content, statistics, today)


def _record(db, settings, content, site):
    record_published(db, inputs_hash(settings, content), utc_now_iso(), len(site))


def publish(out_dir, settings, content, db, today=None):
    """Write the site into `out_dir` and record the publication; returns the files written."""
    site = build(settings, content, db, today)
    written = write_site(site, out_dir)
    _record(db, settings, content, site)
    return written


def publish_zip(settings, content, db, today=None):
    """The site as zip bytes (the admin's download), the publication recorded."""
    site = build(settings, content, db, today)
    data = site_zip(site)
    _record(db, settings, content, site)
    return data
