"""`python -m kiosk counters ...` and `python -m kiosk display ...`: counters and their displays."""

import click

from kiosk.cli.options import app_or_exit, config_option, data_dir_option
from kiosk.config.paths import KIOSK
from kiosk.core.clock import utc_now_iso
from kiosk.core.vocab import UNITS
from kiosk.store import counters
from kiosk.store.db import connect, write_transaction
from kiosk.web.database import database_path


def _db(data_dir, config_file):
    app = app_or_exit(KIOSK, config_file, data_dir, announce=lambda _text: None)
    return connect(database_path(app))


def _audit(db, action, detail):
    with write_transaction(db):
        db["audit"].insert({"at": utc_now_iso(), "actor": "cli", "action": action, "detail": detail})


def _run(operation):
    try:
        return operation()
    except counters.CounterError as error:
        raise click.ClickException(error.message) from None


@click.group("counters")
def counters_group():
    """The station's counters and the unit each serves."""


@counters_group.command("add")
@click.argument("name")
@click.option("--unit", required=True, type=click.Choice(UNITS), help="The EIT unit this counter serves.")
@click.option("--slug", default=None, help="Its short name in events and reports (a-z, 0-9, -); from NAME if ASCII.")
@data_dir_option()
@config_option
def add(name, unit, slug, data_dir, config_file):
    """Name a counter and the unit it serves."""
    db = _db(data_dir, config_file)
    slug = _run(lambda: counters.add_counter(db, name, unit, slug))
    _audit(db, "counter added", slug)
    click.echo(f"Counter {name} ({slug}) serves {unit}.")


@counters_group.command("list")
@data_dir_option()
@config_option
def list_counters(data_dir, config_file):
    """The counters, one a line: slug, unit, name."""
    for counter in counters.counters(_db(data_dir, config_file)):
        click.echo(f"{counter['slug']}\t{counter['unit']}\t{counter['name']}")


@counters_group.command("remove")
@click.argument("name")
@data_dir_option()
@config_option
def remove(name, data_dir, config_file):
    """Remove a counter (by name or slug); its displays stop at once."""
    db = _db(data_dir, config_file)
    slug = _run(lambda: counters.remove_counter(db, name))
    _audit(db, "counter removed", slug)
    click.echo(f"Counter {slug} removed; its displays are revoked.")


@click.group("display")
def display_group():
    """The displays paired with counters."""


@display_group.command("pair")
@click.argument("code")
@click.option("--counter", "counter_name", required=True, help="The counter's name or slug.")
@data_dir_option()
@config_option
def pair(code, counter_name, data_dir, config_file):
    """Pair the display that shows CODE at /display with a counter."""
    db = _db(data_dir, config_file)
    display = _run(lambda: counters.pair(db, code, counter_name, "cli"))
    _audit(db, "display paired", display)
    click.echo(f"Display {display} is paired with {counter_name}; it starts within a few seconds.")


@display_group.command("list")
@data_dir_option()
@config_option
def list_displays(data_dir, config_file):
    """The paired displays, one a line: id, counter, last seen."""
    for display in counters.displays(_db(data_dir, config_file)):
        click.echo(f"{display['id']}\t{display['counter']}\t{display['last_seen_at'] or 'never'}")


@display_group.command("revoke")
@click.argument("display_id")
@data_dir_option()
@config_option
def revoke(display_id, data_dir, config_file):
    """Revoke a display: it stops on its next request."""
    db = _db(data_dir, config_file)
    _run(lambda: counters.revoke(db, display_id))
    _audit(db, "display revoked", display_id)
    click.echo(f"Display {display_id} is revoked.")
