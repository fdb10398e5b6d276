"""A kiosk that lost its disk (or went back to an older backup) gets its events back from the hub.

The hub holds every event it acknowledged, chain verified: it is the kiosk's best backup.
- `check` asks the hub (GET <hub.url>/api/v1/events, the kiosk's own token) how far it
  holds this kiosk's log; when that is past the end of the local log, the kiosk is held
  (kiosk.store.hold): a new tap would reuse a seq the hub holds, a fork refused for good.
  `serve` checks at start; the sync notices it too (kiosk.sync.client.push).
- `restore_from_hub` fetches the kiosk's own events after its last local seq, a page at a
  time, checks that the hub's copy continues the local log (the hub's event at the local
  head has the local head's hash), and appends each page through the event log
  (EventLog.append_recovered: schema, hash and link checked again, one transaction a
  page). Then the sync goes on from the hub's `acked`: nothing is sent twice, nothing is
  missing, no figure changes at the hub. Comment texts never go to the hub (PDPA), so
  those of the recovered answers are lost: the summary counts them.
"""

import json
import urllib.error
import urllib.parse
import urllib.request

from kiosk import __version__
from kiosk.core.events import ValidationError
from kiosk.store import hold
from kiosk.store.eventlog import EventLog
from kiosk.sync.client import _NoRedirect, last_seq, write_state

EVENTS_PATH = "api/v1/events"
PAGE = 500
MAX_ANSWER_BYTES = 8 * 1024 * 1024
START_CHECK_TIMEOUT = 5.0


class RestoreError(Exception):
    """The restore (or the check) could not be done; nothing wrong was written."""

    def __init__(self, message, kind="refused"):
        super().__init__(message)
        self.message, self.kind = message, kind


class HubEvents:
    """Reads this kiosk's own events from the hub, with its own token."""

    def __init__(self, settings, timeout=None):
        hub = settings.hub
        if not hub.url:
            raise RestoreError("no hub is set (hub.url and hub.token, or KIOSK_HUB_URL and KIOSK_HUB_TOKEN)", "setup")
        self.url = hub.url.rstrip("/") + "/" + EVENTS_PATH
        self.token = hub.token
        self.timeout = timeout or hub.timeout_seconds
        handlers = [_NoRedirect()]
        if self.url.startswith("https:"):
            import ssl

            handlers.append(urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=hub.ca_file or None)))
        self.opener = urllib.request.build_opener(*handlers)

    def page(self, after, limit=PAGE):
        """One page of the hub's answer (see kiosk/hub/restore.py); raises RestoreError."""
        query = urllib.parse.urlencode({"after": after, "limit": limit})
        request = urllib.request.Request(
            f"{self.url}?{query}",
            headers={"Authorization": f"Bearer {self.token}", "User-Agent": f"kiosk/{__version__}"},
        )
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                text = response.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as error:
            try:
                detail = json.loads(error.read(64 * 1024)).get("error")
            except Exception:
                detail = None
            kind = "auth" if error.code in (401, 403) else "refused"
            raise RestoreError(f"the hub refused ({error.code}): {detail or error.reason}", kind) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise RestoreError(f"the hub cannot be reached: {reason}", "network") from None
        try:
            answer = json.loads(text[:MAX_ANSWER_BYTES])
            if not (type(answer["acked"]) is int and isinstance(answer["events"], list)):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            raise RestoreError("the hub's answer is not what the protocol says", "protocol") from None
        return answer


def check(db, settings, timeout=None):
    """Ask the hub how far it holds this kiosk's log; hold the kiosk when past the local end.

    Returns {"local_head", "hub_acked", "held"}; raises RestoreError (e.g. hub unreachable)."""
    local_head = last_seq(db)
    answer = HubEvents(settings, timeout).page(local_head, 1)
    held = answer["acked"] > local_head and hold.hold(db, local_head, answer["acked"])
    return {"local_head": local_head, "hub_acked": answer["acked"], "held": bool(held)}


def check_at_start(settings, data_dir, announce=print):
    """At `serve`'s start, with a hub set: hold the kiosk when the hub holds more of its log.

    The start waits at most about START_CHECK_TIMEOUT seconds (a name lookup can outlast
    the socket's timeout: the question then goes on in the background and still holds the
    kiosk when its answer comes). An unreachable hub does not stop the start (the kiosk
    works offline); the sync then notices it at its first contact. Returns what was found,
    or None."""
    if not settings.hub.url:
        return None
    import threading
    from pathlib import Path

    from kiosk.store import db as kdb

    outcome = {}

    def ask():
        db = kdb.connect(Path(data_dir) / kdb.DB_FILENAME)
        try:
            outcome["found"] = check(db, settings, timeout=min(settings.hub.timeout_seconds, START_CHECK_TIMEOUT))
        except RestoreError as error:
            outcome["error"] = error.message
        finally:
            db.conn.close()

    asking = threading.Thread(target=ask, name="kiosk-hub-check", daemon=True)
    asking.start()
    asking.join(START_CHECK_TIMEOUT + 1)
    found = outcome.get("found")
    if found is None:
        reason = outcome.get("error", "no answer yet; still asking in the background")
        announce(
            f"Could not ask the hub at start how much of this kiosk's log it holds ({reason}); "
            "the sync asks at its first contact"
        )
        return None
    if found["held"]:
        announce(
            f"The hub holds this kiosk's events up to seq {found['hub_acked']}, but its log ends at seq "
            f"{found['local_head']}: new taps are refused until the duty officer restores them from the hub "
            "(duty panel, or python -m kiosk restore --from-hub) or confirms going on without them"
        )
    return found


def _event_at(log, seq):
    found = log.events_since(seq - 1, 1)
    return found[0] if found and found[0].seq == seq else None


def restore_from_hub(db, settings, on_page=None):
    """Append this kiosk's events the hub holds past the local log; returns a summary dict:
    restored, from_seq, to_seq, head (the log's last seq now), hub_acked, comments_lost,
    not_on_hub (events after `acked` the hub never got whole: lost). Raises RestoreError."""
    reader = HubEvents(settings)
    log = EventLog(db, settings.kiosk.id)
    local_head = last_seq(db)
    first = reader.page(max(local_head - 1, 0))
    acked = first["acked"]
    events = first["events"]
    anchor = min(local_head, acked)
    if anchor:
        # The hub's copy must continue this log: its event at `anchor` is the local one.
        if anchor == local_head:
            theirs = events[0] if events and events[0].get("seq") == anchor else None
            events = events[1:]
        else:
            found = reader.page(anchor - 1, 1)["events"]
            theirs = found[0] if found else None
            events = []
        ours = _event_at(log, anchor)
        if theirs is None or ours is None or theirs.get("hash") != ours.hash:
            raise RestoreError(
                f"this kiosk's log and the hub's copy differ at seq {anchor}: the kiosk wrote events the hub "
                "does not have (a fork). Nothing was restored; tell the station admin (README, 'Sync and the hub')",
                "fork",
            )
    summary = {
        "restored": 0,
        "from_seq": None,
        "to_seq": None,
        "hub_acked": acked,
        "comments_lost": 0,
        "not_on_hub": max(0, int(first.get("head") or 0) - acked),
    }
    more = first.get("more") and acked > local_head
    pages = 0
    while events or more:
        try:
            appended = log.append_recovered(events)
        except ValidationError as error:
            raise RestoreError(
                f"an event from the hub does not continue this log ({error.field}: {error.message}); "
                f"the events restored before it are kept, the log ends at seq {last_seq(db)}",
                "chain",
            ) from None
        if appended:
            summary["restored"] += len(appended)
            summary["from_seq"] = summary["from_seq"] or appended[0].seq
            summary["to_seq"] = appended[-1].seq
            summary["comments_lost"] += sum(1 for e in appended if e.kind == "amend" and e.payload.get("has_comment"))
            if on_page:
                on_page(appended)
        if not more:
            break
        pages += 1
        if pages > acked // PAGE + 2:
            raise RestoreError("the hub keeps sending pages past its own count", "protocol")
        answer = reader.page(last_seq(db))
        events, more = answer["events"], bool(answer.get("more"))
        if not events and more:
            raise RestoreError("the hub said more events follow but sent none", "protocol")
    head = last_seq(db)
    # The sync goes on from the hub's head: what it holds is not sent again.
    write_state(db, acked=min(acked, head), head=head, last_error=None, last_error_kind=None, refused=None, failures=0)
    if head >= acked:
        hold.release(db)
    summary["head"] = head
    return summary


def describe(summary):
    """What a restore did, in lines of English for the command line."""
    if summary["restored"]:
        lines = [
            f"Restored {summary['restored']} events (seq {summary['from_seq']} to {summary['to_seq']}) from the hub; "
            f"the log ends at seq {summary['head']}, where the hub's copy does: the next sync sends only new events."
        ]
    else:
        lines = [
            f"Nothing to restore: the log ends at seq {summary['head']} and the hub holds up to seq "
            f"{summary['hub_acked']}."
        ]
    lines.append(
        f"Comments: {summary['comments_lost']} of the restored answers had a comment; comment texts are never "
        "sent to the hub, so they are lost. Comments still in this log are kept."
    )
    if summary["not_on_hub"]:
        lines.append(
            f"{summary['not_on_hub']} events after seq {summary['hub_acked']} never reached the hub whole: they are lost."
        )
    return lines
