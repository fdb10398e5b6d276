"""`python -m kiosk admin ...`: commands for the station admin."""

import sys

import click

from kiosk.cli.options import app_or_exit, config_option, data_dir_option
from kiosk.config.paths import KIOSK
from kiosk.core.clock import utc_now_iso
from kiosk.store import credentials
from kiosk.store.db import connect, write_transaction
from kiosk.web.database import database_path

MIN_PASSWORD = 10


@click.group("admin")
def admin_group():
    """Commands for the station admin."""


@admin_group.command("set-password")
@data_dir_option()
@config_option
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the new password from standard input.")
def set_password(data_dir, config_file, from_stdin):
    """Set the admin password (stored hashed); asks twice unless --stdin."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("New admin password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"The password must have at least {MIN_PASSWORD} characters.")
    app = app_or_exit(KIOSK, config_file, data_dir, announce=lambda _text: None)
    db = connect(database_path(app))
    credentials.set_secret(db, "admin_password", password)
    with write_transaction(db):
        db["audit"].insert({"at": utc_now_iso(), "actor": "cli", "action": "admin password set", "detail": ""})
    click.echo("The admin password is set.")
