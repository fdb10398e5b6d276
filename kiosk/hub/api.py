"""The hub's JSON API: kiosks push their events; an admin pulls tallies.

POST /api/v1/sync      a kiosk's batch, `Authorization: Bearer <kiosk token>` (kiosk/hub/ingest.py)
GET  /api/v1/tallies   figures over all kiosks, `Authorization: Bearer <hub admin API token>`,
                       filtered by ?station=CODE&kiosk=NAME&province=KEY (repeatable or
                       comma-separated; a province by key, Thai or English name: the
                       stations that say they are in it) and ?from=YYYY-MM-DD&to=YYYY-MM-DD
GET  /api/v1/events    a kiosk's OWN events after ?after=SEQ (paged by ?limit=N), with its
                       kiosk token: how a kiosk that lost its disk gets them back
                       (kiosk/hub/restore.py)
"""

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from kiosk.core.provinces import province_key
from kiosk.hub import budget, commands, ingest, overview, restore, store
from kiosk.hub import stations as hub_stations
from kiosk.reports.counters import counter_figures
from kiosk.reports.periods import parse_period
from kiosk.reports.tallies import tallies
from kiosk.web.auth import require_token
from kiosk.web.database import get_db
from kiosk.web.errors import error_response
from kiosk.web.extensions import csrf

bp = Blueprint("hub_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token-authenticated, never cookie-authenticated


def _refuse(status, message, field=None, seq=None, retry_after=None):
    body = {"error": str(message)}
    if field:
        body["field"] = field
    if seq is not None:
        body["seq"] = seq
    response = jsonify(body)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="hub"'
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response, status


def _budget():
    """This hub's per-kiosk budget (kiosk/hub/budget.py), made on first use."""
    found = current_app.extensions.get("hub_budget")
    if found is None:
        limits = current_app.config["KIOSK"].hub_limits
        found = current_app.extensions.setdefault(
            "hub_budget", budget.Budget(limits.events_per_minute, limits.megabytes_per_day * 1_000_000)
        )
    return found


@bp.post("/sync")
def sync():
    """One batch of a kiosk's events; answers what the hub now holds of that kiosk."""
    if request.args:
        return _refuse(
            400,
            "this address takes no query parameters: the token goes in the "
            "Authorization header (Bearer), never in the address",
        )
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    db = get_db()
    kiosk, reason = store.kiosk_for_token(db, token.strip() if scheme.lower() == "bearer" else "")
    if kiosk is None:
        messages = {
            "missing": "a kiosk token is needed: Authorization: Bearer <token>",
            "unknown": "this kiosk token is not registered on the hub",
            "revoked": "this kiosk's token was revoked on the hub",
        }
        return _refuse(401, messages[reason])
    limits = _budget()
    spent = limits.spent(kiosk["name"])
    if spent is not None:
        retry_after, message, first = spent
        if first:  # once per window: a kiosk hammering the hub does not make it write
            ingest.record_over_budget(db, kiosk["name"], message)
        return _refuse(429, message, retry_after=retry_after)
    if request.mimetype != "application/json":
        return _refuse(415, "the batch must be sent as application/json")
    try:
        body = request.get_data(cache=False)
    except RequestEntityTooLarge:
        return _refuse(413, f"the batch is larger than {ingest.MAX_BODY_BYTES} bytes; send fewer events")
    # Batches land while pages are read: WAL, and NORMAL is enough here because a commit
    # lost to a power cut only lowers `acked`, and the kiosk sends again from there.
    db.execute("PRAGMA synchronous=NORMAL")
    try:
        batch = ingest.parse(body)
        care = commands.check_care(batch["care"])  # what the kiosk reports of itself (remote care)
        answer = ingest.store_batch(db, kiosk, batch)
    except ingest.BatchRefused as error:
        if error.status in (400, 413):
            limits.charge(kiosk["name"], nbytes=ingest.record_refusal(db, kiosk["name"], error))
        elif error.status == 409:  # the fork was noted in hub_problems
            limits.charge(kiosk["name"], nbytes=budget.problem_bytes(error.message))
        return _refuse(error.status, error.message, field=error.field, seq=error.seq)
    limits.charge(kiosk["name"], events=answer["stored"], nbytes=answer.pop("stored_bytes"))
    answer["province"] = commands.answer_for(db, kiosk, care, software=batch["meta"].get("version"))
    return jsonify(answer)


def split_filter(args, name):
    """?name=a&name=b or ?name=a,b -> ["a", "b"]; None when not given."""
    values = [part.strip() for value in args.getlist(name) for part in value.split(",") if part.strip()]
    return values or None


@bp.get("/tallies")
@require_token
def hub_tallies():
    """Figures of every kiosk the hub knows, or of some stations and kiosks, for a period."""
    try:
        date_from, date_to = parse_period(request.args)
    except ValueError as error:
        field, message = error.args
        return error_response(400, message, field=field)
    stations, kiosks = split_filter(request.args, "station"), split_filter(request.args, "kiosk")
    asked_provinces = split_filter(request.args, "province")
    db = get_db()
    known = store.kiosks(db)
    for name, values, column in (("station", stations, "station"), ("kiosk", kiosks, "name")):
        unknown = sorted(set(values or ()) - {row[column] for row in known})
        if unknown:
            return error_response(400, f"unknown {name} {unknown[0]!r}", field=name)
    provinces = None
    if asked_provinces is not None:
        provinces = [province_key(value) for value in asked_provinces]
        if None in provinces:
            bad = asked_provinces[provinces.index(None)]
            return error_response(
                400, f"unknown province {bad!r}: name one of Thailand's 77 provinces (key, Thai or English)", "province"
            )
        in_provinces = hub_stations.stations_in(db, provinces)
        stations = in_provinces if stations is None else [code for code in stations if code in in_provinces]
    rows = store.kiosks(db, stations=stations, names=kiosks)
    settings = current_app.config["KIOSK"]
    figures = tallies(
        db,
        date_from,
        date_to,
        quota=store.quota_for(rows, settings.eit.quota),
        band_interval=settings.feedback.mean_band_interval,
        table="hub_events",
        stations=stations,
        kiosks=kiosks,
    )
    figures["counters"] = counter_figures(db, date_from, date_to, table="hub_events", stations=stations, kiosks=kiosks)
    figures["filters"] = {"station": stations, "kiosk": kiosks}
    if provinces is not None:
        figures["filters"]["province"] = provinces
    figures["kiosks"] = [overview.kiosk_summary(row) for row in rows]
    return jsonify(figures)


_TOKEN_REFUSED = {
    "missing": "a kiosk token is needed: Authorization: Bearer <token>",
    "unknown": "this kiosk token is not registered on the hub",
    "revoked": "this kiosk's token was revoked on the hub",
}


def _kiosk_from_token():
    """(registry row, None) for the request's kiosk token, or (None, the 401 answer)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    kiosk, reason = store.kiosk_for_token(get_db(), token.strip() if scheme.lower() == "bearer" else "")
    if kiosk is None:
        return None, _refuse(401, _TOKEN_REFUSED[reason])
    return kiosk, None


@bp.get("/events")
def own_events():
    """A kiosk's own events after a seq, a page at a time, for its restore from the hub."""
    kiosk, refused = _kiosk_from_token()
    if refused:
        return refused
    try:
        after, limit, asked_for = restore.parse_query(request.args)
    except restore.BadRequest as error:
        return _refuse(400, error.message, field=error.field)
    if asked_for is not None and asked_for != kiosk["name"]:
        # Whether that other name exists is not said either.
        return _refuse(
            403,
            f"this token is kiosk {kiosk['name']!r}'s: a kiosk fetches only its own events, never another kiosk's",
            field="kiosk",
        )
    return jsonify(restore.own_events(get_db(), kiosk["name"], after, limit))
