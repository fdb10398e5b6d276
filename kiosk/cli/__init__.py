"""Command line: one click group, `python -m kiosk`; a module per family of commands."""

import click

from kiosk.cli.admin import admin_group
from kiosk.cli.backup import backup_command, restore_command
from kiosk.cli.content import content_group
from kiosk.cli.counters import counters_group, display_group
from kiosk.cli.hub import hub_group
from kiosk.cli.publish import publish_command
from kiosk.cli.rollups import hub_rollups_group, rollups_group
from kiosk.cli.serve import serve
from kiosk.cli.signage import signage
from kiosk.cli.sync import sync_command


@click.group()
def main():
    """The One Stop Service kiosk of a Thai police station."""


for command in (
    serve,
    admin_group,
    content_group,
    counters_group,
    display_group,
    signage,
    publish_command,
    hub_group,
    sync_command,
    backup_command,
    restore_command,
    rollups_group,
):
    main.add_command(command)
hub_group.add_command(hub_rollups_group)
