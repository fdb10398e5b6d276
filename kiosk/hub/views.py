"""The hub's pages: admin sign-in and the dashboard over every kiosk it knows."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from kiosk.core.i18n import current_language
from kiosk.core.provinces import province_key, province_name
from kiosk.core.vocab import BAND_LABELS, UNIT_LABELS, UNITS
from kiosk.hub import overview, store
from kiosk.hub import stations as hub_stations
from kiosk.reports.counters import counter_figures
from kiosk.reports.dashboard import eit_window_of, period_report
from kiosk.reports.periods import PeriodError, period_from_args
from kiosk.reports.tallies import tallies
from kiosk.web import auth
from kiosk.web.database import get_db
from kiosk.web.period_picker import picker_context
from kiosk.web.rendering import render_screen

bp = Blueprint("hub", __name__)
hub_admin_required = auth.required("admin", "hub.sign_in_page")


def render_hub(template, status=200, **context):
    return render_screen(template, idle_seconds=0, **context), status


@bp.get("/")
def root():
    return redirect(url_for("hub.dashboard"))


def _render_login(status=200, **context):
    return render_hub(
        "admin/login.html", status, staff_title=_l("Admin hub"), form_action=url_for("hub.sign_in"), **context
    )


@bp.get("/hub/login")
def sign_in_page():
    """User name and password."""
    return _render_login(next=request.args.get("next", ""))


@bp.post("/hub/login")
def sign_in():
    """Check the password; too many failures lock the form for a while."""
    return auth.password_sign_in(_render_login, url_for("hub.dashboard"))


@bp.post("/hub/logout")
@hub_admin_required
def sign_out():
    """Sign out."""
    auth.audit("admin", "sign-out")
    auth.sign_out("admin")
    return redirect(url_for("hub.sign_in_page"))


@bp.get("/hub")
@hub_admin_required
def dashboard():
    """Figures over every kiosk, or one station or one kiosk; stations side by side."""
    db = get_db()
    settings = current_app.config["KIOSK"]
    errors = []
    window = eit_window_of(settings)
    try:
        period = period_from_args(request.args, window)
    except PeriodError as error:
        period = period_from_args({}, window)
        errors.append(error.both())
    all_stations = store.station_codes(db)
    long_lists = len(all_stations) > PAGE_SIZE
    station = request.args.get("station") or None
    kiosk = request.args.get("kiosk") or None
    province = request.args.get("province") or None
    if station and station not in all_stations:
        errors.append(_l("Unknown station: %(code)s", code=station))
        station = None
    if kiosk and not store.kiosks(db, names=[kiosk]):
        errors.append(_l("Unknown kiosk: %(name)s", name=kiosk))
        kiosk = None
    if province and province_key(province) is None:
        errors.append(_l("Unknown province: %(name)s", name=province))
    province = province_key(province) if province else None
    provinces_of = hub_stations.station_provinces(db)
    if station:
        stations = [station]
    elif province:
        stations = hub_stations.stations_in(db, [province])
    else:
        stations = None
    kiosks = [kiosk] if kiosk else None
    rows = store.kiosks(db, stations=stations, names=kiosks)
    # The kiosk list to choose from: a station's, or every kiosk while the lists are short.
    if station:
        all_kiosks = rows if not kiosk else store.kiosks(db, stations=stations)
    elif long_lists:
        all_kiosks = []
    else:
        all_kiosks = rows if not kiosk else store.kiosks(db)
    quota = store.quota_for(rows, settings.eit.quota)
    interval = settings.feedback.mean_band_interval

    def figures_for(start, end):
        return tallies(
            db,
            start,
            end,
            quota=quota,
            band_interval=interval,
            table="hub_events",
            stations=stations,
            kiosks=kiosks,
        )

    shown = period_report(
        settings.model_copy(update={"eit": settings.eit.model_copy(update={"quota": quota})}),
        figures_for,
        period,
        current_language(),
        window,
    )
    station_rows = overview.stations_table(
        db,
        period,
        shown["eit_window"],
        rows,
        settings.eit.quota,
        stations=stations,
        kiosks=kiosks,
        provinces=provinces_of,
    )
    lang = current_language()
    for row in station_rows:
        row["province_name"] = province_name(row["province"], lang) if row["province"] else None
    table = sorted_page(station_rows, request.args)
    province_rows = overview.provinces_table(station_rows) if provinces_of and not station and not kiosk else []
    province_rows.sort(key=lambda row: (row["province"] is None, province_name(row["province"], lang) or ""))
    many_kiosks = not station and not kiosk and len(rows) > PAGE_SIZE
    return render_hub(
        "hub/dashboard.html",
        400 if errors else 200,
        errors=errors,
        period=period,
        picker=picker_context(
            "hub.dashboard",
            "hub.period_picker",
            period,
            request.args,
            current_language(),
            extra={"station": station, "kiosk": kiosk, "province": province},
            eit_window=window,
        ),
        station=station,
        kiosk=kiosk,
        province=province,
        province_label=province_name(province, lang) if province else None,
        province_choices=sorted(set(provinces_of.values()), key=lambda key: province_name(key, lang)),
        province_rows=province_rows,
        province_name=lambda key: province_name(key, lang) if key else None,
        all_stations=all_stations,
        all_kiosks=all_kiosks,
        kiosk_rows=rows,
        station_rows=table["rows"],
        table=table,
        long_lists=long_lists,
        kiosks_shown=_kiosks_to_show(rows) if many_kiosks else rows,
        problems=store.problems(db, names=[row["name"] for row in rows]),
        units=UNITS,
        unit_labels=UNIT_LABELS,
        band_labels=BAND_LABELS,
        unwritten=auth.unwritten(),
        counter_figures=counter_figures(
            db, period.start, period.end, table="hub_events", stations=stations, kiosks=kiosks
        ),
        **shown,
    )


PAGE_SIZE = 50
# The stations table's sort keys: how each orders its rows (None last either way).
SORT_KEYS = (
    "station",
    "province",
    "kiosks",
    "answers",
    "percent_satisfied",
    "mean",
    "quota_percent",
    "last_sync_at",
    "waiting",
)


def sorted_page(rows, args):
    """The stations table sorted by ?sort=KEY&dir=asc|desc and cut to ?page=N (PAGE_SIZE a page)."""
    key = args.get("sort") if args.get("sort") in SORT_KEYS else "station"
    field = "province_name" if key == "province" else key  # by the name the reader sees
    descending = args.get("dir") == "desc"
    present = [r for r in rows if r.get(field) is not None]
    ordered = sorted(present, key=lambda r: (r[field], r["station"]), reverse=descending)
    ordered += [r for r in rows if r.get(field) is None]
    pages = max(1, -(-len(ordered) // PAGE_SIZE))
    try:
        page = min(max(1, int(args.get("page", 1))), pages)
    except ValueError:
        page = 1
    start = (page - 1) * PAGE_SIZE
    return {
        "rows": ordered[start : start + PAGE_SIZE],
        "sort": key,
        "dir": "desc" if descending else "asc",
        "page": page,
        "pages": pages,
        "total": len(ordered),
        "first": start + 1 if ordered else 0,
        "last": min(start + PAGE_SIZE, len(ordered)),
        "keys": SORT_KEYS,
    }


def _kiosks_to_show(rows):
    """Over every station, the kiosks that need a look first (chain, gap, revoked, never
    synced), then the longest silent; at most PAGE_SIZE."""

    def needs_look(row):
        return (row["chain_ok"] and not row["missing"] and not row["revoked_at"], row["last_sync_at"] or "")

    return sorted(rows, key=needs_look)[:PAGE_SIZE]


@bp.get("/hub/period-picker")
@hub_admin_required
def period_picker():
    """The period picker alone, with one tab open or a calendar page (for an htmx swap)."""
    window = eit_window_of(current_app.config["KIOSK"])
    try:
        period = period_from_args(request.args, window)
    except PeriodError:
        period = period_from_args({}, window)
    extra = {key: request.args.get(key) for key in ("station", "kiosk", "province")}
    picker = picker_context(
        "hub.dashboard", "hub.period_picker", period, request.args, current_language(), extra=extra, eit_window=window
    )
    return render_template("admin/_period_picker.html", picker=picker)
