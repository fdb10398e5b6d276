"""The admin's report tables, built once from a tallies() dict for every format."""

from kiosk.core.clock import BANGKOK
from kiosk.core.vocab import (
    ASPECT_LABELS,
    ASPECTS,
    BAND_LABELS,
    LEVEL_LABELS,
    LEVELS,
    REASON_LABELS,
    REASONS,
    REASONS_POSITIVE,
    UNIT_CHOICE_LABELS,
    UNIT_NOT_SURE,
    UNITS,
)
from kiosk.reports.exports.comments import comment_rows
from kiosk.reports.exports.common import (
    Mean,
    Table,
    band_label,
    check_lang,
    day_label,
    hour_label,
    mean_value,
    percent_of,
    percent_value,
    text,
)
from kiosk.reports.tallies import band_for


def export_tables(
    figures,
    *,
    period_label,
    station_name,
    include_comments=False,
    comments=None,
    lang="th",
    pace=None,
    tz=BANGKOK,
    band_interval=0.8,
):
    """The tables of a tallies() dict, in report order.

    Keys: summary, levels, aspects, units, days, hours, reasons, eit, and comments (only
    with include_comments=True; `comments` from load_comments(), dicts with "at" (UTC ISO),
    "text" and "level"). `pace` is an optional kiosk.reports.tallies.eit_pace() result: the EIT
    table then also shows what remains, the days left, the pace needed and who is behind.
    period_label and station_name are not used in the rows (they go in the title: see
    report_title); they are required so that no export is made without them.
    band_interval: as given to tallies() (aspect and unit bands are computed here)."""
    check_lang(lang)
    if not period_label or not station_name:
        raise ValueError("period_label and station_name are required")
    s, e = figures["satisfaction"], figures["eit"]
    t = lambda key: text(key, lang)  # noqa: E731
    tables = []

    # summary
    tables.append(
        Table(
            "summary",
            t("summary"),
            (t("item"), t("value")),
            (
                (t("counted"), s["total"]),
                (t("raw_total"), s["raw"]["total"]),
                (t("flagged"), s["flagged"]),
                (t("mean"), mean_value(s["mean"])),
                (t("band"), band_label(s["band"], lang)),
                (t("percent_satisfied"), percent_value(s["percent_satisfied"])),
                (t("raw_mean"), mean_value(s["raw"]["mean"])),
                (t("with_comment"), s["comments"]),
                (t("eit_total"), e["total"]),
            ),
        )
    )

    # levels, best first
    rows = tuple(
        (
            level,
            LEVEL_LABELS[level].in_language(lang),
            s["counts"][str(level)],
            percent_of(s["counts"][str(level)], s["total"]),
            s["raw"]["counts"][str(level)],
        )
        for level in LEVELS
    ) + ((t("total"), None, s["total"], percent_of(s["total"], s["total"]), s["raw"]["total"]),)
    tables.append(
        Table(
            "levels",
            t("levels"),
            (t("level"), t("level_label"), t("count"), t("percent"), t("raw_count")),
            rows,
            total_rows=1,
        )
    )

    # aspects: counts best first
    level_headers = tuple(
        f"{BAND_LABELS[key].in_language(lang)} ({level})"
        for key, level in zip(("highest", "high", "moderate", "low", "lowest"), LEVELS, strict=True)
    )
    rows = []
    for aspect in ASPECTS:
        a = s["aspects"][aspect]
        band = band_label(band_for(a["mean"], band_interval), lang)
        rows.append(
            (
                ASPECT_LABELS[aspect].in_language(lang),
                a["total"],
                mean_value(a["mean"]),
                band,
                *(a["counts"][str(level)] for level in LEVELS),
            )
        )
    tables.append(
        Table(
            "aspects",
            t("aspects"),
            (t("aspect"), t("answers"), t("mean"), t("band"), *level_headers),
            tuple(rows),
        )
    )

    # units, then "not sure" and the answers that did not say
    rows = []
    for unit in UNITS + (UNIT_NOT_SURE,):
        u = s["by_unit"][unit]
        band = band_label(band_for(u["mean"], band_interval), lang)
        rows.append((UNIT_CHOICE_LABELS[unit].in_language(lang), u["total"], mean_value(u["mean"]), band))
    said = sum(u["total"] for u in s["by_unit"].values())
    rows.append((t("no_unit"), s["total"] - said, None, None))
    rows.append((t("total"), s["total"], mean_value(s["mean"]), band_label(s["band"], lang)))
    tables.append(
        Table(
            "units",
            t("units"),
            (t("unit"), t("answers"), t("mean"), t("band")),
            tuple(rows),
            note=t("units_note"),
            total_rows=1,
        )
    )

    # days (Buddhist Era), hours
    tables.append(
        Table(
            "days",
            t("days"),
            (t("date_be"), t("answers"), t("mean"), t("date_iso")),
            tuple((day_label(iso, lang), d["total"], mean_value(d["mean"]), iso) for iso, d in s["by_day"].items()),
        )
    )
    tables.append(
        Table(
            "hours",
            t("hours"),
            (t("hour"), t("answers"), t("percent")),
            tuple(
                (hour_label(h, lang), s["by_hour"][str(h)], percent_of(s["by_hour"][str(h)], s["total"]))
                for h in range(24)
            ),
        )
    )

    # reasons
    tables.append(
        Table(
            "reasons",
            t("reasons"),
            (t("reason"), t("reason_kind"), t("times_chosen"), t("percent")),
            tuple(
                (
                    REASON_LABELS[key].in_language(lang),
                    t("positive" if key in REASONS_POSITIVE else "negative"),
                    s["reasons"].get(key, 0),
                    percent_of(s["reasons"].get(key, 0), s["total"]),
                )
                for key in REASONS
            ),
        )
    )

    # EIT referrals against the quota
    headers = [t("unit"), t("referrals"), t("quota"), t("percent_of_quota"), t("flagged_referrals")]
    if pace:
        headers += [t("remaining"), t("days_left"), t("needed_per_day"), t("pace")]

    def pace_cells(key):
        if not pace:
            return ()
        p = pace[key]
        per_day = None if p["needed_per_day"] is None else Mean(p["needed_per_day"])
        return (p["remaining"], p["days_left"], per_day, t("behind" if p["behind"] else "on_pace"))

    no_pace = (None, None, None, None) if pace else ()
    raw = e["raw"]
    rows = [
        (
            UNIT_CHOICE_LABELS[unit].in_language(lang),
            e["by_unit"][unit],
            e["quota"][unit],
            percent_of(e["by_unit"][unit], e["quota"][unit]),
            raw["by_unit"][unit] - e["by_unit"][unit],
            *pace_cells(unit),
        )
        for unit in UNITS
    ]
    rows.append(
        (
            UNIT_CHOICE_LABELS[UNIT_NOT_SURE].in_language(lang),
            e["not_sure"],
            None,
            None,
            raw["not_sure"] - e["not_sure"],
            *no_pace,
        )
    )
    units_done = sum(e["by_unit"].values())
    units_quota = sum(e["quota"].values())
    units_raw = sum(raw["by_unit"].values())
    rows.append(
        (
            t("units_total"),
            units_done,
            units_quota,
            percent_of(units_done, units_quota),
            units_raw - units_done,
            *pace_cells("total"),
        )
    )
    rows.append((t("all_total"), e["total"], None, None, e["flagged"], *no_pace))
    tables.append(Table("eit", t("eit"), tuple(headers), tuple(rows), note=t("eit_note"), total_rows=2))

    if include_comments:
        tables.append(
            Table(
                "comments",
                t("comments"),
                (t("date_be"), t("time"), t("level"), t("level_label"), t("comment")),
                comment_rows(comments, lang, tz),
                note=t("comments_note"),
                wrap_columns=(4,),
            )
        )
    return tables
