"""`python -m kiosk content export|import DIR`: a station's content and settings as files."""

import sys

import click

from kiosk.cli.options import app_or_exit, config_option, data_dir_option
from kiosk.config.paths import KIOSK


@click.group("content")
def content_group():
    """The station's content and settings as TOML files (the layout of kiosk/content/defaults)."""


@content_group.command("export")
@click.argument("out_dir", type=click.Path(file_okay=False))
@data_dir_option()
@config_option
def export_command(out_dir, data_dir, config_file):
    """Write every content file as the kiosk shows it now, and station.toml."""
    from kiosk.content.station import export_dir
    from kiosk.store import station as store
    from kiosk.store.db import connect
    from kiosk.web.database import database_path

    app = app_or_exit(KIOSK, config_file, data_dir, announce=lambda text: click.echo(text, err=True))
    db = connect(database_path(app))
    try:
        document, version = store.published(db), store.latest_id(db)
    finally:
        db.conn.close()
    written = export_dir(app.extensions["kiosk_live"].source, document, out_dir)
    click.echo(f"Exported version {version}: {len(written)} files in {out_dir}")


@content_group.command("import")
@click.argument("in_dir", type=click.Path(file_okay=False))
@click.option("--note", default="", help="Why: shown in the history.")
@data_dir_option()
@config_option
def import_command(in_dir, note, data_dir, config_file):
    """Validate a directory whole and publish it as a new version (or refuse it whole)."""
    from kiosk.content.station import ImportRefused, read_dir
    from kiosk.store import station as store
    from kiosk.store.db import connect
    from kiosk.web.database import database_path

    app = app_or_exit(KIOSK, config_file, data_dir, announce=lambda text: click.echo(text, err=True))
    try:
        document = read_dir(app.extensions["kiosk_live"].source, in_dir)
    except ImportRefused as exc:
        click.echo(f"Refused, nothing imported: {exc}", err=True)
        sys.exit(2)
    db = connect(database_path(app))
    try:
        version = store.publish(db, document, "cli", note or f"imported from {in_dir}")
    finally:
        db.conn.close()
    click.echo(f"Imported as version {version}; the kiosk shows it at its next page.")
