"""Each kiosk's budget on the hub: new events per minute and stored bytes per day.

A kiosk token could otherwise fill the hub's disk (hub events are append-only: what was
stored cannot be deleted). What a kiosk costs is what the hub keeps for it: each new
event (its row) and each refused batch (its line in hub_problems); duplicates and
heartbeats cost nothing. A batch that arrives while the budget is not spent is taken whole
(so a window can end at most one batch over); once it is spent, the hub answers 429 with
Retry-After (the seconds until the window ends) until the next minute or the next Bangkok
day. The kiosk's sync treats 429 as "try again later" and its duty panel says so.

The defaults (kiosk.config.model.HubLimits) are far above what a real kiosk sends: about
40 events a day, and months of catch-up after a long time offline. The counts live in
the hub process (a restart starts them again): they bound what a token can do, they are
not accounts.
"""

import math
import threading
import time

from kiosk.core.events import EVENT_KEYS

DAY_OFFSET_SECONDS = 7 * 3600  # the day turns at midnight in Bangkok
# A stored event's row beyond its texts: its integers, received_at and its index entries.
ROW_OVERHEAD_BYTES = 160
PROBLEM_OVERHEAD_BYTES = 80


def event_bytes(event):
    """About what one new event costs the hub's disk: its texts, plus the row's overhead."""
    # One encode an event: the texts' UTF-8 lengths add up to the length of them joined.
    texts = "".join([value for value in map(event.__getitem__, EVENT_KEYS) if isinstance(value, str)])
    return ROW_OVERHEAD_BYTES + len(texts.encode("utf-8"))


def problem_bytes(detail):
    """What one noted refusal costs (a row of hub_problems)."""
    return PROBLEM_OVERHEAD_BYTES + len(detail.encode("utf-8"))


class Budget:
    """Counts per kiosk name, for the current minute and the current Bangkok day."""

    def __init__(self, events_per_minute, bytes_per_day, clock=time.time):
        self.events_per_minute = events_per_minute
        self.bytes_per_day = bytes_per_day
        self.clock = clock
        self._lock = threading.Lock()
        self._minute = {}  # name -> [minute number, events]
        self._day = {}  # name -> [day number, bytes]
        self._noted = {}  # name -> the window whose refusal was noted

    def _windows(self, now):
        return math.floor(now / 60), math.floor((now + DAY_OFFSET_SECONDS) / 86400)

    def spent(self, name):
        """None while the kiosk may send; else (retry_after_seconds, message in words,
        True for the first refusal in this window)."""
        now = self.clock()
        minute, day = self._windows(now)
        with self._lock:
            events = self._minute.get(name, (None, 0))
            used = self._day.get(name, (None, 0))
            events = events[1] if events[0] == minute else 0
            used = used[1] if used[0] == day else 0
        if used >= self.bytes_per_day:
            wait = math.ceil((day + 1) * 86400 - DAY_OFFSET_SECONDS - now)
            return (
                max(1, wait),
                (
                    f"this kiosk has sent the most the hub stores for one kiosk in a day "
                    f"({self.bytes_per_day // 1_000_000} MB, setting hub_limits.megabytes_per_day); "
                    f"nothing of this batch was stored: the kiosk keeps its events and sends them "
                    f"again after midnight (Bangkok), in {max(1, wait)} s"
                ),
                self._first(name, ("day", day)),
            )
        if events >= self.events_per_minute:
            wait = math.ceil((minute + 1) * 60 - now)
            return (
                max(1, wait),
                (
                    f"this kiosk has sent the most events the hub stores for one kiosk in a minute "
                    f"({self.events_per_minute}, setting hub_limits.events_per_minute); nothing of "
                    f"this batch was stored: the kiosk keeps its events and sends them again in {max(1, wait)} s"
                ),
                self._first(name, ("minute", minute)),
            )
        return None

    def _first(self, name, window):
        with self._lock:
            first = self._noted.get(name) != window
            self._noted[name] = window
        return first

    def charge(self, name, events=0, nbytes=0):
        """Count what the hub just stored for this kiosk."""
        minute, day = self._windows(self.clock())
        with self._lock:
            slot = self._minute.setdefault(name, [minute, 0])
            if slot[0] != minute:
                slot[:] = [minute, 0]
            slot[1] += events
            slot = self._day.setdefault(name, [day, 0])
            if slot[0] != day:
                slot[:] = [day, 0]
            slot[1] += nbytes
