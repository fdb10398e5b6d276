"""`python -m kiosk admin ...`: commands for the station admin."""
import sys

import click

from .. import credentials
from ..db import connect, database_path

MIN_PASSWORD = 10


@click.group("admin")
def admin_group():
    """Commands for the station admin."""


@admin_group.command("set-password")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None, help="The kiosk's data directory.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None, help="A TOML settings file.")
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the new password from standard input.")
def set_password(data_dir, config_file, from_stdin):
    """Set the admin password (stored hashed); asks twice unless --stdin."""
    from ..cli import build_app

    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("New admin password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        raise click.ClickException(f"The password must have at least {MIN_PASSWORD} characters.")
    app = build_app(config_file, data_dir, announce=lambda _text: None)
    db = connect(database_path(app))
    credentials.set_secret(db, "admin_password", password)
    db["audit"].insert({"at": credentials.now_iso(), "actor": "cli", "action": "admin password set", "detail": ""})
    click.echo("The admin password is set.")
