"""`python -m kiosk sync`: push this kiosk's new events to the hub now."""

import collections
import sys
import time

import click

from kiosk.cli.options import config_option, data_dir_option, data_path, settings_or_exit
from kiosk.config.paths import KIOSK
from kiosk.store import db as kdb
from kiosk.store import migrations
from kiosk.sync.client import CONFLICT, REFUSED, REFUSED_DIR, RETRYABLE, SyncClient, SyncError, backoff


def _describe(kinds):
    return ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))


@click.command("sync")
@data_dir_option(KIOSK)
@config_option
@click.option(
    "--retries",
    default=3,
    show_default=True,
    type=click.IntRange(0, 20),
    help="Tries again this many times when the hub cannot be reached.",
)
def sync_command(data_dir, config_file, retries):
    """Push this kiosk's new events to the hub now, and print what was sent."""
    settings = settings_or_exit(config_file)
    if not settings.hub.url:
        click.echo("No hub is set: set hub.url and hub.token (or KIOSK_HUB_URL and KIOSK_HUB_TOKEN).", err=True)
        sys.exit(2)
    data_dir = data_path(data_dir, KIOSK)
    path = data_dir / kdb.DB_FILENAME
    if not path.exists():
        click.echo(f"No kiosk database in {data_dir}: nothing to send.", err=True)
        sys.exit(2)
    db = kdb.connect(path)
    migrations.migrate(db)
    client = SyncClient(db, settings, data_dir)
    click.echo(f"Sync to {client.url} as kiosk {settings.kiosk.id} (station {settings.station.code})")

    def on_batch(events, answer):
        chain = answer.get("chain") or {}
        if events:
            kinds = collections.Counter(event.kind for event in events)
            click.echo(
                f"  sent seq {events[0].seq}-{events[-1].seq}: {len(events)} events ({_describe(kinds)}); "
                f"new on the hub {answer.get('stored', 0)}, already there {answer.get('duplicates', 0)}; "
                f"the hub holds up to seq {answer['acked']}"
            )
        else:
            click.echo(
                f"  nothing new to send; the hub holds up to seq {answer['acked']}, "
                f"chain verified to seq {chain.get('verified')}"
            )

    for attempt in range(retries + 1):
        try:
            summary = client.push(on_batch=on_batch)
            break
        except SyncError as error:
            # A hub's Retry-After longer than the longest back-off (its day budget is spent)
            # is not waited out in the foreground: the background sync sends later.
            patient = error.retry_after is None or error.retry_after <= settings.hub.retry_max_seconds
            if error.kind in RETRYABLE and attempt < retries and patient:
                wait = max(backoff(attempt + 1, 1.0, settings.hub.retry_max_seconds), error.retry_after or 0)
                click.echo(f"  {error.message}; trying again in {wait:.1f} s", err=True)
                time.sleep(wait)
                continue
            click.echo(f"Sync failed: {error.message}", err=True)
            if error.kind in (REFUSED, CONFLICT):
                click.echo(f"The batch is kept in {data_dir / REFUSED_DIR} and its events stay in the log.", err=True)
            db.conn.close()
            sys.exit(1)
    answer = summary["answer"] or {}
    chain = answer.get("chain") or {}
    click.echo(
        f"Sent {summary['sent']} events in {summary['batches']} request{'s' if summary['batches'] != 1 else ''} "
        f"({_describe(summary['kinds']) or 'none'}); "
        f"new on the hub {summary['stored']}, already there {summary['duplicates']}."
    )
    click.echo(
        f"The hub holds this kiosk's events up to seq {summary['acked']} of {summary['head']}; "
        f"chain verified to seq {chain.get('verified')}"
        + (f"; BROKEN at seq {chain['broken_at']}" if chain.get("broken_at") else "")
        + (f"; {answer['missing']} missing" if answer.get("missing") else "")
        + "."
    )
    db.conn.close()
