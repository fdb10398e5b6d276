"""Public statistics for OIT open data: the figures a station may publish, and their tables.

No comments (no text, no count), no hours, no flag detail beyond the number flagged."""

from datetime import date, timedelta

from kiosk.core.clock import today_in_bangkok
from kiosk.core.thaidate import format_month
from kiosk.core.vocab import ASPECT_LABELS, LEVEL_LABELS, LEVELS, UNIT_CHOICE_LABELS, UNITS
from kiosk.reports.exports.common import (
    FORMAT_VERSION,
    Table,
    band_label,
    check_lang,
    day_label,
    mean_value,
    percent_of,
    percent_value,
    report_title,
    text,
)
from kiosk.reports.exports.csv import to_csv
from kiosk.reports.tallies import band_for, tallies


def monthly_tallies(db, date_from, date_to, **tallies_kwargs):
    """{"YYYY-MM": tallies(...)} for each calendar month that [date_from, date_to] touches
    (clipped to the period), for public_statistics(monthly=...)."""
    result = {}
    start = date_from
    while start <= date_to:
        next_month = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        end = min(next_month - timedelta(days=1), date_to)
        result[f"{start.year:04d}-{start.month:02d}"] = tallies(db, start, end, **tallies_kwargs)
        start = next_month
    return result


def public_statistics(
    figures, *, period_label, station_name, monthly=None, lang="th", generated_on=None, band_interval=0.8
):
    """The figures a station may publish (OIT open data), as a JSON-ready dict.

    No comments (no text, no count), no hours, no flag detail beyond the number flagged.
    Days and months only. by_month totals come from by_day; its means, bands and percents
    need the exact monthly figures: pass monthly=monthly_tallies(db, ...), else they are
    None (a mean is not rebuilt from rounded daily means)."""
    check_lang(lang)
    if not period_label or not station_name:
        raise ValueError("period_label and station_name are required")
    s, e = figures["satisfaction"], figures["eit"]
    by_month = {}
    for iso, day in s["by_day"].items():
        key = iso[:7]
        by_month.setdefault(
            key,
            {
                "label": format_month(int(key[:4]), int(key[5:]), lang),
                "total": 0,
                "mean": None,
                "band": None,
                "band_label": None,
                "percent_satisfied": None,
            },
        )
        by_month[key]["total"] += day["total"]
    for key, month in (monthly or {}).items():
        if key in by_month:
            ms = month["satisfaction"]
            by_month[key].update(
                mean=ms["mean"],
                band=ms["band"],
                band_label=band_label(ms["band"], lang),
                percent_satisfied=ms["percent_satisfied"],
            )
    generated_on = generated_on or today_in_bangkok()
    units_done = sum(e["by_unit"].values())
    units_quota = sum(e["quota"].values())
    return {
        "format": "kiosk-public-statistics",
        "version": FORMAT_VERSION,
        "station": station_name,
        "period": {"from": figures["period"]["from"], "to": figures["period"]["to"], "label": period_label},
        "generated_on": generated_on.isoformat(),
        "satisfaction": {
            "total": s["total"],
            "flagged": s["flagged"],
            "counts": {str(level): s["counts"][str(level)] for level in LEVELS},
            "percent": {str(level): _plain(percent_of(s["counts"][str(level)], s["total"])) for level in LEVELS},
            "percent_satisfied": s["percent_satisfied"],
            "mean": s["mean"],
            "band": s["band"],
            "band_label": band_label(s["band"], lang),
            "aspects": {
                aspect: {
                    "label": ASPECT_LABELS[aspect].in_language(lang),
                    "total": a["total"],
                    "mean": a["mean"],
                    "band": band_for(a["mean"], band_interval),
                    "band_label": band_label(band_for(a["mean"], band_interval), lang),
                }
                for aspect, a in s["aspects"].items()
            },
            "by_unit": {
                unit: {"label": UNIT_CHOICE_LABELS[unit].in_language(lang), "total": u["total"], "mean": u["mean"]}
                for unit, u in s["by_unit"].items()
            },
            "by_month": by_month,
            "by_day": {
                iso: {"label": day_label(iso, lang), "total": d["total"], "mean": d["mean"]}
                for iso, d in s["by_day"].items()
            },
        },
        "eit": {
            "note": text("eit_note", lang),
            "total": e["total"],
            "not_sure": e["not_sure"],
            "by_unit": {
                unit: {
                    "label": UNIT_CHOICE_LABELS[unit].in_language(lang),
                    "referrals": e["by_unit"][unit],
                    "quota": e["quota"][unit],
                    "percent_of_quota": _plain(percent_of(e["by_unit"][unit], e["quota"][unit])),
                }
                for unit in UNITS
            },
            "units_total": {
                "referrals": units_done,
                "quota": units_quota,
                "percent_of_quota": _plain(percent_of(units_done, units_quota)),
            },
        },
        "labels": {
            "levels": {str(level): LEVEL_LABELS[level].in_language(lang) for level in LEVELS},
        },
    }


def _plain(value):
    return None if value is None else float(value)


def public_tables(public, lang="th"):
    """The tables of a public_statistics() dict (for its CSV, or an Excel sheet set)."""
    if lang not in ("th", "en"):
        raise ValueError("lang must be 'th' or 'en'")
    t = lambda key: text(key, lang)  # noqa: E731
    s, e = public["satisfaction"], public["eit"]
    tables = [
        Table(
            "summary",
            t("summary"),
            (t("item"), t("value")),
            (
                (t("counted"), s["total"]),
                (t("flagged"), s["flagged"]),
                (t("mean"), mean_value(s["mean"])),
                (t("band"), s["band_label"]),
                (t("percent_satisfied"), percent_value(s["percent_satisfied"])),
            ),
        ),
        Table(
            "levels",
            t("levels"),
            (t("level"), t("level_label"), t("count"), t("percent")),
            tuple(
                (int(level), public["labels"]["levels"][level], s["counts"][level], percent_value(s["percent"][level]))
                for level in s["counts"]
            ),
        ),
        Table(
            "aspects",
            t("aspects"),
            (t("aspect"), t("answers"), t("mean"), t("band")),
            tuple((a["label"], a["total"], mean_value(a["mean"]), a["band_label"]) for a in s["aspects"].values()),
        ),
        Table(
            "units",
            t("units"),
            (t("unit"), t("answers"), t("mean")),
            tuple((u["label"], u["total"], mean_value(u["mean"])) for u in s["by_unit"].values()),
            note=t("units_note"),
        ),
        Table(
            "months",
            t("months"),
            (t("month"), t("answers"), t("mean"), t("band"), t("percent_satisfied")),
            tuple(
                (m["label"], m["total"], mean_value(m["mean"]), m["band_label"], percent_value(m["percent_satisfied"]))
                for m in s["by_month"].values()
            ),
        ),
        Table(
            "days",
            t("days"),
            (t("date_be"), t("answers"), t("mean"), t("date_iso")),
            tuple((d["label"], d["total"], mean_value(d["mean"]), iso) for iso, d in s["by_day"].items()),
        ),
        Table(
            "eit",
            t("eit"),
            (t("unit"), t("referrals"), t("quota"), t("percent_of_quota")),
            tuple(
                (u["label"], u["referrals"], u["quota"], percent_value(u["percent_of_quota"]))
                for u in e["by_unit"].values()
            )
            + (
                (
                    t("units_total"),
                    e["units_total"]["referrals"],
                    e["units_total"]["quota"],
                    percent_value(e["units_total"]["percent_of_quota"]),
                ),
            ),
            note=e["note"],
            total_rows=1,
        ),
    ]
    return tables


def public_statistics_csv(public, lang="th"):
    """The CSV form of a public_statistics() dict (UTF-8 with BOM, as to_csv)."""
    return to_csv(
        public_tables(public, lang), report_title(public["station"], public["period"]["label"], lang, public=True)
    )
