"""The background sync in the `serve` process, following the station's settings live.

`serve` always starts the SyncWorker, a daemon thread. Each round it asks the database for
the newest published version of the station's settings (one small query, as the web layer
does before each request) and recomputes the effective settings (kiosk.content.station:
defaults < published < settings file < environment) only when that changed. So a hub's
address and token set in the browser (/admin/setup, the settings editor) are used from the
next round, without a restart: no hub, the worker idles; a hub appears, it syncs; the hub
is removed, it stops; a new address or token, the next push uses it (tried at once, with
the back-off and the last error of the old one forgotten). While it waits out a back-off
it still looks for a newer version every `hub.interval_seconds`.
"""

import logging
import random
import sqlite3
import threading
import time
from pathlib import Path

from kiosk.config.settings import SettingsError
from kiosk.store import db as kdb
from kiosk.store import station as store
from kiosk.sync.client import NETWORK, SyncClient, SyncError, backoff, write_state

logger = logging.getLogger("kiosk.sync.worker")


class FollowedSettings:
    """The effective settings of the newest published version, recomputed only when it changes."""

    def __init__(self, source):
        self.source = source
        self.version = None
        self.settings = None

    def current(self, db):
        """The effective Settings now; a version that no longer validates keeps the last good one."""
        version = store.latest_id(db)
        if self.settings is None or version != self.version:
            try:
                self.settings = self.source.settings(store.published(db))
            except SettingsError as error:
                if self.settings is None:
                    raise
                logger.error(
                    "sync: published version %s has bad settings (%s); keeping the last good ones", version, error
                )
            self.version = version
        return self.settings

    def changed(self, db):
        """True when a version newer than the one in use was published."""
        try:
            return store.latest_id(db) != self.version
        except sqlite3.Error:
            return False


def _hub_key(settings):
    hub = settings.hub
    return (hub.url, hub.token, hub.ca_file, hub.batch_size, hub.timeout_seconds)


class SyncWorker(threading.Thread):
    """The background sync: `source` (a StationSource) to follow the published settings,
    or fixed `settings` (then `interval` and `cap` may be set on the worker)."""

    def __init__(self, db_path, settings, data_dir, source=None):
        super().__init__(name="kiosk-sync", daemon=True)
        self.db_path, self.settings, self.data_dir = Path(db_path), settings, data_dir
        self.follower = FollowedSettings(source) if source is not None else None
        self.stopping = threading.Event()
        hub = settings.hub
        self.interval, self.cap = hub.interval_seconds, hub.retry_max_seconds
        self.failures = 0
        self.rng = random.Random()
        self.db = None

    def stop(self):
        """Ask the thread to end after its current round."""
        self.stopping.set()

    def _wait(self, delay):
        """Wait `delay` seconds, or less when newer settings are published; False when stopping."""
        if self.follower is None:
            return not self.stopping.wait(delay)
        deadline = time.monotonic() + delay
        while (remaining := deadline - time.monotonic()) > 0:
            if self.stopping.wait(min(remaining, self.interval)):
                return False
            if self.db is not None and self.follower.changed(self.db):
                return True
        return True

    def _current(self):
        if self.follower is None:
            return self.settings
        settings = self.follower.current(self.db)
        self.settings = settings
        self.interval, self.cap = settings.hub.interval_seconds, settings.hub.retry_max_seconds
        return settings

    def run(self):
        """Round after round until stopped: follow the settings, push when due, back off on failure."""
        client, client_settings, hub_key = None, None, None
        delay = min(2.0, self.interval)
        while self._wait(delay):
            try:
                if not self.db_path.exists():
                    raise SyncError(NETWORK, "no database yet")
                if self.db is None:
                    self.db = kdb.connect(self.db_path)
                    # Only sync.* state is written here: losing its last write to a power
                    # cut means sending a batch again, which the hub ignores.
                    self.db.execute("PRAGMA synchronous=NORMAL")
                settings = self._current()
                force = False
                if _hub_key(settings) != hub_key:
                    if hub_key is not None:
                        logger.warning("sync: the hub settings changed; now %s", settings.hub.url or "no hub (idle)")
                        if settings.hub.url:
                            # The old hub's failures say nothing about the new one.
                            write_state(self.db, failures=0, last_error=None, last_error_kind=None)
                    hub_key, client, self.failures, force = _hub_key(settings), None, 0, True
                if not settings.hub.url:
                    client = None
                    delay = self.interval
                    continue
                if client is None or settings is not client_settings:
                    client, client_settings = SyncClient(self.db, settings, self.data_dir), settings
                    client.source = self.follower.source if self.follower is not None else None
                if force or client.due(self.interval):
                    summary = client.push()
                    if summary["sent"]:
                        logger.info(
                            "sync: sent %s events, the hub holds up to seq %s", summary["sent"], summary["acked"]
                        )
                self.failures = 0
                delay = self.interval
            except SyncError as error:
                self.failures += 1
                delay = backoff(self.failures, self.interval, self.cap, self.rng)
                if error.retry_after is not None:
                    delay = max(delay, error.retry_after)
                logger.warning("sync failed (%s); next try in %.1f s", error.message, delay)
            except Exception:
                self.failures += 1
                delay = backoff(self.failures, self.interval, self.cap, self.rng)
                logger.exception("sync failed; next try in %.1f s", delay)
                if self.db is not None:
                    self.db.conn.close()
                self.db = client = client_settings = None
        if self.db is not None:
            self.db.conn.close()


def start_background(settings, data_dir, announce=None, source=None):
    """Start the SyncWorker; returns it. With a `source` it always starts and follows the
    published settings (idle while no hub is set); with fixed settings, only when a hub is set."""
    if source is None and not settings.hub.url:
        return None
    data_dir = Path(data_dir)
    worker = SyncWorker(data_dir / kdb.DB_FILENAME, settings, data_dir, source=source)
    worker.start()
    if settings.hub.url:
        text = f"Sync to the hub {settings.hub.url} every {settings.hub.interval_seconds:g} s (background)"
    else:
        text = "Sync to a hub: none set yet; it starts as soon as one is set (settings file or /admin/setup)"
    (announce or (lambda line: logger.warning("%s", line)))(text)
    return worker
