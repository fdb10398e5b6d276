"""`python -m kiosk restore --from-hub`: a kiosk gets its own events back from the hub."""

import sys

import click

from kiosk.cli.options import data_path
from kiosk.config.paths import KIOSK
from kiosk.config.settings import SettingsError
from kiosk.content.station import StationSource
from kiosk.store import db as kdb
from kiosk.store import migrations
from kiosk.store import station as station_store
from kiosk.sync.recovery import RestoreError, describe
from kiosk.sync.recovery import restore_from_hub as recover


def _settings(config_file, db):
    """The effective settings, as `serve` has them: the hub may be set in the browser."""
    try:
        return StationSource(config_file).settings(station_store.published(db))
    except SettingsError as exc:
        click.echo(f"Settings error: {exc}", err=True)
        sys.exit(2)


def restore_from_hub(data_dir, config_file):
    """Fetch, check and append this kiosk's events from the hub; print what happened."""
    data_dir = data_path(data_dir, KIOSK)
    data_dir.mkdir(parents=True, exist_ok=True)
    db = kdb.connect(data_dir / kdb.DB_FILENAME)
    try:
        migrations.migrate(db)
        settings = _settings(config_file, db)
        if not settings.hub.url:
            click.echo("No hub is set: set hub.url and hub.token (or KIOSK_HUB_URL and KIOSK_HUB_TOKEN).", err=True)
            sys.exit(2)
        head = db.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
        click.echo(
            f"Restore from the hub {settings.hub.url} as kiosk {settings.kiosk.id}: this log ends at seq {head}."
        )

        def on_page(events):
            click.echo(f"  appended seq {events[0].seq}-{events[-1].seq} ({len(events)} events, chain checked)")

        try:
            summary = recover(db, settings, on_page=on_page)
        except RestoreError as error:
            click.echo(f"Restore failed: {error.message}", err=True)
            sys.exit(1)
        for line in describe(summary):
            click.echo(line)
    finally:
        db.conn.close()
