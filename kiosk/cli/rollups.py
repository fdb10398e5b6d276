"""`python -m kiosk rollups rebuild [--check]` (and `python -m kiosk hub rollups ...`):
the figures' sums made again from the events, saying whether they matched."""

import sys

import click

from kiosk.cli.options import config_option, data_dir_option, data_path, settings_or_exit
from kiosk.config.paths import HUB, KIOSK


def run_rebuild(db, source, check):
    """Compare (and unless `check`, rebuild) the rollups of `source`; prints and exits 1 on a mismatch."""
    from kiosk.store import rollups
    from kiosk.store.db import write_transaction

    if check:
        found = rollups.differences(db.conn, source)
    else:
        with write_transaction(db.conn) as conn:
            found = rollups.rebuild(conn, source)
    (events,) = db.execute(f"SELECT count(*) FROM {source}").fetchone()
    if not found:
        click.echo(f"The rollups match the {events} events.{'' if check else ' Rebuilt from the events.'}")
        return
    click.echo(f"The rollups did NOT match the {events} events: {len(found)} rows differed.", err=True)
    for grain, key, have, want in found[:10]:
        click.echo(f"  {grain} {key}: stored {have}, the events give {want}", err=True)
    click.echo("Run without --check to rebuild them." if check else "They are rebuilt from the events now.", err=True)
    if check:
        sys.exit(1)


def rollups_group_for(role, source, opener):
    """A `rollups` click group for a kiosk or a hub data directory."""

    @click.group("rollups")
    def group():
        """The figures' sums kept beside the events."""

    @group.command("rebuild")
    @click.option("--check", is_flag=True, help="Only compare them with the events; change nothing.")
    @data_dir_option(role)
    @config_option
    @click.pass_context
    def rebuild(ctx, check, data_dir, config_file):
        """Make the rollups again from the events and say whether they matched."""
        db = opener(ctx, data_dir, config_file)
        try:
            run_rebuild(db, source, check)
        finally:
            db.conn.close()

    return group


def _open_kiosk(ctx, data_dir, config_file):
    from kiosk.store import db as kdb
    from kiosk.store import migrations

    settings_or_exit(config_file)
    path = data_path(data_dir, KIOSK) / kdb.DB_FILENAME
    if not path.exists():
        raise click.ClickException(f"No kiosk database at {path}")
    db = kdb.connect(path)
    migrations.migrate(db)
    return db


def _open_hub(ctx, data_dir, config_file):
    from kiosk.hub import open_hub_db

    parent = (ctx.parent.parent.obj if ctx.parent and ctx.parent.parent else None) or {}
    settings_or_exit(config_file or parent.get("config_file"))
    return open_hub_db(data_path(data_dir or parent.get("data_dir"), HUB))


rollups_group = rollups_group_for(KIOSK, "events", _open_kiosk)
hub_rollups_group = rollups_group_for(HUB, "hub_events", _open_hub)
