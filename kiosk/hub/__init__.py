"""The admin hub: the same codebase in the hub role.

Kiosks push their events to it (kiosk/sync.py; the protocol is in kiosk/hub/ingest.py and
README, "Sync and the hub"); a province's admin sees every station side by side, and pulls
figures from GET /api/v1/tallies with the hub's admin API token.

It reuses the kiosk's settings file format (only [station] for its name, [eit] for the
collection window and the default quota, [feedback] mean_band_interval, [admin], [duty]
sign-in lock, [secrets] admin_password and api_token, [public] serve_on_hub are read), its database helpers
(kiosk.store.db: WAL, one writer under kiosk.store.db.write_lock), hashed secrets, admin sign-in
(kiosk.web.auth) and dashboard (kiosk.reports.dashboard, templates/admin/_figures.html).
"""

from pathlib import Path

from kiosk.hub import store
from kiosk.store import db as kdb


def open_hub_db(data_dir):
    """The hub's database in `data_dir` (created), schema up to date."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    database = kdb.connect(data_dir / kdb.DB_FILENAME)
    store.migrate(database)
    return database
