"""`python -m kiosk hub content import DIR` and `python -m kiosk hub command ACTION KIOSK`:
the province's shared content and remote care from the command line."""

import sys

import click

from kiosk.cli.options import config_option, data_dir_option, data_path, settings_or_exit
from kiosk.config.paths import HUB

data_dir_option = data_dir_option(HUB)


def _open(ctx, data_dir, config_file):
    from kiosk.hub import open_hub_db

    parent = (ctx.parent.obj if ctx.parent else None) or ctx.obj or {}
    settings_or_exit(config_file or parent.get("config_file"))
    return open_hub_db(data_path(data_dir or parent.get("data_dir"), HUB)), (config_file or parent.get("config_file"))


@click.group("content")
def content_group():
    """The province's content for its stations' kiosks."""


@content_group.command("import")
@click.argument("in_dir", type=click.Path(file_okay=False))
@click.option("--station", "stations", multiple=True, help="Only for this station (repeat for more); default all.")
@click.option("--lock", is_flag=True, help="Lock every file of DIR: a station's own edit cannot override it.")
@click.option("--note", default="", help="Why: shown in the history.")
@data_dir_option
@config_option
@click.pass_context
def import_command(ctx, in_dir, stations, lock, note, data_dir, config_file):
    """Publish the files of DIR (the format of a station's `content export`) as a package."""
    import tomllib
    from pathlib import Path

    from kiosk.content.station import SETTINGS_FILE, ImportRefused, StationSource, read_dir
    from kiosk.hub import content, store
    from kiosk.store import station as station_store

    db, config_file = _open(ctx.parent, data_dir, config_file)
    try:
        source = StationSource(config_file)
        try:
            document = read_dir(source, in_dir)
        except ImportRefused as error:
            click.echo(f"Refused, nothing published: {error}", err=True)
            sys.exit(2)
        files = content.content_of_document(document)  # station.toml stays each station's own
        locked = []
        if lock:
            for path in sorted(Path(in_dir).rglob("*.toml")):
                rel = path.relative_to(in_dir).as_posix()
                if rel != SETTINGS_FILE:
                    files.setdefault(rel, tomllib.loads(path.read_text(encoding="utf-8")))
                    locked.append(rel)
        known = {row["station"] for row in store.kiosks(db)}
        note = note or f"imported from {in_dir}"
        try:
            version = content.publish_package(
                db, files, "cli", note, stations=list(stations) or None, locked=locked, known_stations=known
            )
        except content.PublishRefused as error:
            click.echo(f"Refused, nothing published: {error}", err=True)
            sys.exit(2)
        station_store.publish(db, {"settings": {}, "content": files}, "cli", f"package {version}: {note}")
    finally:
        db.conn.close()
    whom = ", ".join(stations) if stations else "all stations"
    click.echo(f"Published content version {version} for {whom}: {len(files)} files, {len(locked)} locked.")
    click.echo("Each kiosk takes it at its next sync.")


@click.command("command")
@click.argument("action", type=click.Choice(["reset", "pause", "resume", "message"]))
@click.argument("kiosk", required=False)
@click.option("--station", default="", help="Every kiosk of this station instead of one KIOSK.")
@click.option("--text", default="", help="The message for the duty officer (with `message`).")
@data_dir_option
@config_option
@click.pass_context
def command_command(ctx, action, kiosk, station, text, data_dir, config_file):
    """Send reset, pause, resume or a message to KIOSK (or --station CODE): carried out at its next sync."""
    from kiosk.hub import commands

    db, _config = _open(ctx, data_dir, config_file)
    try:
        names = [kiosk] if kiosk else commands.kiosks_of_station(db, station)
        if not names:
            click.echo("Name a KIOSK, or --station CODE with registered kiosks.", err=True)
            sys.exit(2)
        try:
            ids = commands.create(db, "cli", action, names, text)
        except commands.CommandRefused as error:
            click.echo(f"Refused: {error}", err=True)
            sys.exit(2)
    finally:
        db.conn.close()
    for command_id, name in zip(ids, names, strict=True):
        click.echo(f"Command #{command_id} {action} for {name}: carried out at its next sync.")
