"""The kiosk's side of the sync to the admin hub.

Protocol (version 1; the hub's side is kiosk/hub/ingest.py; README "Sync and the hub"):
- The kiosk POSTs batches of its event rows (Event.as_row(), in seq order, from the seq
  after the last one the hub acknowledged) to <hub.url>/api/v1/sync as JSON, with its
  token in `Authorization: Bearer`, never in the address; redirects are not followed.
- The hub verifies every row (schema, size, recomputed hash) and refuses a bad batch
  whole, with a JSON error; it stores each (kiosk, seq) once, so a repeated or reordered
  batch changes nothing; it answers `acked`, the highest seq up to which it holds
  everything, and what it verified of the chain.
- The kiosk takes `acked` as the truth, even when it goes down (a hub restored from an
  older copy gets the missing events again); it never deletes anything: events are only
  ever read from the log, so whatever is lost on the way is sent again.

Where it runs: in the `serve` process, a daemon thread (kiosk.sync.worker.SyncWorker, which
follows the station's published settings without a restart) looks for new events every
`hub.interval_seconds`, and after a failure waits with exponential back-off and jitter (up
to `hub.retry_max_seconds`); it uses its own database connection and holds
the write lock only to note its state in `meta` (keys sync.*), never while on the
network, so a citizen's tap never waits for the hub. `python -m kiosk sync` pushes now,
in the foreground, and prints what it sent. Both may run at once: the hub makes that safe.
A refused batch is kept (a copy in <data dir>/sync-refused/, the error on the duty
panel) and tried again with back-off; its events stay in the log. A 429 (this kiosk's
budget on the hub is spent for the minute or the day) is "try later": the worker waits
the hub's Retry-After (at least its back-off) and the duty panel says so in words.
"""

import collections
import http.client
import json
import logging
import random
import ssl
import time
import urllib.error
import urllib.request
from pathlib import Path

from kiosk import __version__
from kiosk.config.settings import SettingsError
from kiosk.core.clock import parse_utc_iso, utc_now_iso
from kiosk.core.provinces import province_key
from kiosk.store import hold
from kiosk.store.db import write_transaction
from kiosk.store.eventlog import EventLog
from kiosk.sync import province

PROTOCOL = 1
SYNC_PATH = "api/v1/sync"
MAX_BODY_BYTES = 2 * 1024 * 1024  # half of what the hub takes: a batch shrinks to fit
MAX_ANSWER_BYTES = 256 * 1024
REFUSED_DIR = "sync-refused"
REFUSED_KEEP = 20
HEARTBEAT_INTERVALS = 10  # with nothing new, still report to the hub every 10 intervals
MAX_REWINDS = 3  # times one push follows the hub back to a lower `acked`

logger = logging.getLogger("kiosk.sync.client")

# What a failure means for the duty officer (kiosk/duty/status.py shows it).
NETWORK, SERVER, REFUSED, AUTH, CONFLICT, PROTOCOL_ERROR, SLOW_DOWN = (
    "network",
    "server",
    "refused",
    "auth",
    "conflict",
    "protocol",
    "slow_down",
)
RETRYABLE = (NETWORK, SERVER, SLOW_DOWN)
MAX_RETRY_AFTER = 86400  # a hub's Retry-After is taken up to a day


class SyncError(Exception):
    def __init__(self, kind, message, status=None, retry_after=None):
        super().__init__(message)
        self.kind, self.message, self.status = kind, message, status
        self.retry_after = retry_after


def retry_after_seconds(value):
    """A Retry-After header in seconds (0 to a day), or None when absent or not a number."""
    try:
        seconds = int(str(value).strip())
    except ValueError:
        return None
    return min(max(seconds, 0), MAX_RETRY_AFTER)


def endpoint(url):
    return url.rstrip("/") + "/" + SYNC_PATH


# -- state in meta (sync.*) ---------------------------------------------------------------


def read_state(db):
    rows = db.execute("SELECT key, value FROM meta WHERE key LIKE 'sync.%'").fetchall()
    return {key.removeprefix("sync."): json.loads(value) for key, value in rows}


def write_state(db, **values):
    conn = db.conn if hasattr(db, "conn") else db
    with write_transaction(conn):
        conn.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [(f"sync.{key}", json.dumps(value, ensure_ascii=False)) for key, value in values.items()],
        )


def last_seq(db):
    return db.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could carry the token elsewhere: never follow one."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class SyncClient:
    """Pushes this kiosk's log to the hub, batch after batch, until the hub holds it all."""

    def __init__(self, db, settings, data_dir=None):
        hub = settings.hub
        if not hub.url:
            raise SettingsError("hub.url: no hub is set (hub.url and hub.token, or KIOSK_HUB_URL and KIOSK_HUB_TOKEN)")
        self.db = db
        self.url = endpoint(hub.url)
        self.token = hub.token
        self.batch_size = hub.batch_size
        self.timeout = hub.timeout_seconds
        self.data_dir = Path(data_dir) if data_dir else None
        handlers = [_NoRedirect()]
        if self.url.startswith("https:"):
            context = ssl.create_default_context(cafile=hub.ca_file or None)
            handlers.append(urllib.request.HTTPSHandler(context=context))
        self.opener = urllib.request.build_opener(*handlers)
        self.meta = {
            "id": settings.kiosk.id,
            "station": settings.station.code,
            "version": __version__,
            "quota": dict(settings.eit.quota),
        }
        # The station's province, when its settings name one of the 77 (the hub groups by it).
        self.province = province_key(settings.station.province_th) or province_key(settings.station.province_en)
        self.log = EventLog(db, settings.kiosk.id)
        self.source = None  # the StationSource, to check province content against (set by the worker)

    # -- one request ---------------------------------------------------------------------

    def post(self, body):
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
                "User-Agent": f"kiosk/{__version__}",
                "Connection": "close",
            },
        )
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                text = response.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise self._http_error(error) from None
        except urllib.error.URLError as error:
            raise SyncError(NETWORK, f"the hub cannot be reached: {error.reason}") from None
        except (OSError, http.client.HTTPException) as error:
            raise SyncError(NETWORK, f"the connection to the hub failed: {error or type(error).__name__}") from None
        try:
            answer = json.loads(text[:MAX_ANSWER_BYTES])
            if not (type(answer.get("acked")) is int and answer["acked"] >= 0):
                raise ValueError
        except (ValueError, AttributeError):
            raise SyncError(PROTOCOL_ERROR, "the hub's answer is not what the protocol says") from None
        return answer

    def _http_error(self, error):
        try:
            detail = json.loads(error.read(MAX_ANSWER_BYTES)).get("error")
        except Exception:
            detail = None
        detail = detail or error.reason
        status = error.code
        if 300 <= status < 400:
            return SyncError(
                PROTOCOL_ERROR,
                f"the hub redirects ({status}) to {error.headers.get('Location')}: set hub.url to that address",
                status,
            )
        if status in (401, 403):
            return SyncError(AUTH, f"the hub refused this kiosk's token ({status}): {detail}", status)
        if status == 409:
            return SyncError(CONFLICT, f"the hub refused the batch ({status}): {detail}", status)
        if status in (400, 413, 415, 422):
            return SyncError(REFUSED, f"the hub refused the batch ({status}): {detail}", status)
        if status == 429:
            # The hub's budget for this kiosk is spent (kiosk/hub/budget.py): wait as it says.
            return SyncError(
                SLOW_DOWN,
                f"the hub asks this kiosk to wait before sending more ({status}): {detail}",
                status,
                retry_after=retry_after_seconds(error.headers.get("Retry-After")),
            )
        if status >= 500:
            return SyncError(SERVER, f"the hub could not take the batch now ({status}): {detail}", status)
        return SyncError(PROTOCOL_ERROR, f"unexpected answer from the hub ({status}): {detail}", status)

    def _body(self, events, head):
        state = read_state(self.db)
        body = {
            "protocol": PROTOCOL,
            "kiosk": {**self.meta, "head": head},
            "events": [event.as_row() for event in events],
        }
        if self.province and state.get("hub_takes_province"):  # an older hub refuses fields it does not know
            body["kiosk"]["province"] = self.province
        if state.get("hub_province"):  # the hub said it takes the kiosk's report
            body["care"] = province.care_report(self.db, self.data_dir)
        return json.dumps(
            body,
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")

    # -- a whole push --------------------------------------------------------------------

    def push(self, on_batch=None):
        """Send everything the hub does not hold yet; returns a summary. Raises SyncError."""
        state = read_state(self.db)
        acked = int(state.get("acked", 0))
        summary = {
            "batches": 0,
            "sent": 0,
            "stored": 0,
            "duplicates": 0,
            "kinds": collections.Counter(),
            "acked": acked,
            "head": last_seq(self.db),
            "answer": None,
        }
        size, rewinds = self.batch_size, 0
        while True:
            head = last_seq(self.db)
            events = self.log.events_since(acked, size) if acked < head else []
            if not events and summary["batches"]:
                break
            if events:
                head = max(head, events[-1].seq)
            body = self._body(events, head)
            if len(body) > MAX_BODY_BYTES and len(events) > 1:
                size = max(1, len(events) // 2)
                continue
            write_state(self.db, last_attempt_at=utc_now_iso())
            try:
                answer = self.post(body)
            except SyncError as error:
                if error.status == 413 and len(events) > 1:
                    size = max(1, len(events) // 2)
                    continue
                self._failed(error, events, body)
                raise
            summary["batches"] += 1
            summary["sent"] += len(events)
            summary["stored"] += int(answer.get("stored", 0))
            summary["duplicates"] += int(answer.get("duplicates", 0))
            summary["kinds"].update(event.kind for event in events)
            summary["answer"] = answer
            hub_acked = answer["acked"]
            if on_batch:
                on_batch(events, answer)
            if hub_acked > head:
                # A new tap would reuse a seq the hub holds: no taps until the duty officer
                # restores from the hub or confirms (kiosk.store.hold, kiosk.sync.recovery).
                # (Read the head again: another sync may have sent a tap made since.)
                if hub_acked > last_seq(self.db):
                    hold.hold(self.db, last_seq(self.db), hub_acked)
                error = SyncError(
                    CONFLICT,
                    f"the hub holds this kiosk's events up to seq {hub_acked}, but its log ends at seq {head}: "
                    "was the kiosk restored from an older copy, or its disk replaced? Restore them from the hub "
                    "(the duty panel, or python -m kiosk restore --from-hub)",
                )
                self._failed(error, [], b"")
                raise error
            if events and hub_acked == acked:
                error = SyncError(PROTOCOL_ERROR, f"the hub did not take seq {acked + 1} (it holds up to {hub_acked})")
                self._failed(error, events, body)
                raise error
            if hub_acked < acked:
                # The hub holds less than it said before (restored from an older copy):
                # send again from there. Bounded, so that a confused hub cannot loop us.
                rewinds += 1
                if rewinds > MAX_REWINDS:
                    error = SyncError(PROTOCOL_ERROR, f"the hub keeps going back (now to seq {hub_acked})")
                    self._failed(error, events, body)
                    raise error
            self._succeeded(answer, hub_acked, head)
            acked = hub_acked
            summary["acked"], summary["head"] = acked, head
            if not events and acked >= head:
                break
        province.after_answer(self, summary["answer"])  # commands and content ride on the answer
        return summary

    def _succeeded(self, answer, acked, head):
        write_state(
            self.db,
            acked=acked,
            head=head,
            last_ok_at=utc_now_iso(),
            last_error=None,
            last_error_kind=None,
            refused=None,
            failures=0,
            hub={key: answer.get(key) for key in ("missing", "chain", "fork_at")},
            **({"hub_takes_province": True} if "station_province" in answer else {}),
        )

    def _failed(self, error, events, body):
        state = read_state(self.db)
        values = {
            "last_error": error.message,
            "last_error_kind": error.kind,
            "last_error_at": utc_now_iso(),
            "failures": int(state.get("failures", 0)) + 1,
        }
        if error.kind in (REFUSED, CONFLICT) and events:
            values["refused"] = {
                "at": utc_now_iso(),
                "status": error.status,
                "error": error.message,
                "from_seq": events[0].seq,
                "to_seq": events[-1].seq,
                "file": self._keep_refused(events, body),
            }
        write_state(self.db, **values)

    def _keep_refused(self, events, body):
        """A copy of the refused batch, to report; the newest REFUSED_KEEP are kept."""
        if self.data_dir is None:
            return None
        folder = self.data_dir / REFUSED_DIR
        folder.mkdir(exist_ok=True)
        path = folder / f"{utc_now_iso().replace(':', '')}-seq{events[0].seq}-{events[-1].seq}.json"
        path.write_bytes(body)
        for old in sorted(folder.glob("*.json"))[:-REFUSED_KEEP]:
            old.unlink(missing_ok=True)
        return path.name

    def due(self, interval_seconds, now=None):
        """Something to send, a failure to retry, or time for a heartbeat."""
        state = read_state(self.db)
        if last_seq(self.db) > int(state.get("acked", 0)) or state.get("failures"):
            return True
        last = state.get("last_ok_at")
        if not last:
            return True
        age = (now or time.time()) - parse_utc_iso(last).timestamp()
        # A hub that sends commands and content is asked every interval: a kiosk behind the
        # station's router obeys within one interval.
        return age >= interval_seconds * (1 if state.get("hub_province") else HEARTBEAT_INTERVALS)


def backoff(failures, base, cap, rng=random):
    """Exponential back-off with jitter: a random wait in [d/2, d], d = min(cap, base * 2**failures)."""
    delay = min(cap, base * (2 ** min(failures, 30)))
    return rng.uniform(delay / 2, delay)
