"""`python -m kiosk backup` and `python -m kiosk restore` (from a backup file, or `--from-hub`)."""

import sys
from pathlib import Path

import click

from kiosk.cli.options import config_option, data_dir_option, data_path
from kiosk.store import backup as kbackup

_data_dir = data_dir_option()
_backup_dir = click.option(
    "--backup-dir",
    type=click.Path(file_okay=False),
    default=None,
    envvar="KIOSK_BACKUP_DIR",
    help="Where backups go (default: DATA_DIR/backups, or $KIOSK_BACKUP_DIR).",
)


def _paths(data_dir, backup_dir):
    data = data_path(data_dir)
    db_path = data / kbackup.DB_FILENAME
    return db_path, Path(backup_dir) if backup_dir else kbackup.default_backup_dir(db_path)


def _describe(path, when):
    local = when.astimezone().strftime("%Y-%m-%d %H:%M")
    size = path.stat().st_size / 1024
    return f"{path.name}  ({local}, {size:,.0f} KiB)"


@click.command("backup")
@_data_dir
@_backup_dir
@click.option(
    "--keep-days",
    type=click.IntRange(min=1),
    default=kbackup.DEFAULT_KEEP_DAYS,
    show_default=True,
    envvar="KIOSK_BACKUP_KEEP_DAYS",
    help="Delete backups older than this (the newest 3 always stay).",
)
@click.option("--list", "list_only", is_flag=True, help="List the backups and take none.")
def backup_command(data_dir, backup_dir, keep_days, list_only):
    """Take an online backup of the database (safe while the kiosk runs)."""
    db_path, backup_dir = _paths(data_dir, backup_dir)
    if list_only:
        backups = kbackup.list_backups(backup_dir)
        if not backups:
            click.echo(f"No backups in {backup_dir}")
        for path, when in backups:
            click.echo(_describe(path, when))
        return
    try:
        path = kbackup.backup(db_path, backup_dir, keep_days)
    except kbackup.BackupError as exc:
        click.echo(f"Backup failed: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Backup written: {path}")


@click.command("restore")
@click.argument("backup_file", required=False)
@_data_dir
@_backup_dir
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--kiosk-url",
    default=kbackup.DEFAULT_KIOSK_URL,
    show_default=True,
    help="Where a running kiosk would answer /healthz (the restore refuses while it does).",
)
@click.option(
    "--from-hub",
    is_flag=True,
    help="Fetch this kiosk's own events that the hub holds past the end of its log, and append them "
    "(after a lost disk or an older backup; safe while the kiosk runs).",
)
@config_option
def restore_command(backup_file, data_dir, backup_dir, yes, kiosk_url, from_hub, config_file):
    """Replace the database with a backup. Stop the kiosk first (systemctl stop kiosk).

    BACKUP_FILE is a path, a file name in the backup directory, or `latest`. Without it,
    the backups are listed. With --from-hub (and no BACKUP_FILE), the events the hub holds
    of this kiosk past the end of its log are appended instead."""
    if from_hub:
        if backup_file:
            click.echo("Give either BACKUP_FILE or --from-hub: restore the backup first, then --from-hub.", err=True)
            sys.exit(2)
        from kiosk.cli.recover import restore_from_hub

        restore_from_hub(data_dir, config_file)
        return
    db_path, backup_dir = _paths(data_dir, backup_dir)
    backups = kbackup.list_backups(backup_dir)
    if not backup_file:
        click.echo(f"Backups in {backup_dir} (oldest first):")
        for path, when in backups:
            click.echo("  " + _describe(path, when))
        click.echo("Restore one with: restore NAME   (or: restore latest)")
        sys.exit(1 if not backups else 0)
    if backup_file == "latest":
        regular = [item for item in backups if "before-" not in item[0].name] or backups
        if not regular:
            click.echo(f"No backups in {backup_dir}", err=True)
            sys.exit(1)
        source = regular[-1][0]
    else:
        source = Path(backup_file)
        if not source.exists() and (backup_dir / backup_file).exists():
            source = backup_dir / backup_file
    try:
        summary = kbackup.check_backup(source)
    except kbackup.BackupError as exc:
        click.echo(f"Cannot restore: {exc}", err=True)
        sys.exit(1)
    when = kbackup.backup_time(source)
    taken = when.astimezone().strftime("%Y-%m-%d %H:%M") if when else "unknown time"
    click.echo(f"Backup {source.name}: taken {taken}, {summary['events']} events, checks passed.")
    if not yes and not click.confirm(f"Replace the database {db_path} with it?", default=False):
        click.echo("Nothing changed.")
        sys.exit(1)
    try:
        summary, safety = kbackup.restore(source, db_path, backup_dir=backup_dir, kiosk_url=kiosk_url)
    except kbackup.BackupError as exc:
        click.echo(f"Cannot restore: {exc}", err=True)
        sys.exit(1)
    if safety:
        click.echo(f"The database as it was is kept as {safety}")
    click.echo(f"Restored {source.name} into {db_path}. Start the kiosk again (systemctl start kiosk).")
