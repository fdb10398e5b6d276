"""The options every command shares, declared once, and the settings and app they load."""

import sys

import click

from kiosk.config.paths import DATA_DIR_ENV, HUB, KIOSK, resolve_data_dir
from kiosk.config.settings import SettingsError, load_settings
from kiosk.content.loader import ContentError


def data_dir_option(role=KIOSK):
    """--data-dir: the database and generated files; $KIOSK_DATA_DIR or instance/ by default."""
    default = "instance/hub/" if role == HUB else "instance/"
    return click.option(
        "--data-dir",
        type=click.Path(file_okay=False),
        default=None,
        envvar=DATA_DIR_ENV,
        help=f"Where the database and generated files live (default: ${DATA_DIR_ENV}, or {default} "
        "beside the program).",
    )


config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="A TOML settings file; without one the demo station runs.",
)
host_option = click.option("--host", default="127.0.0.1", show_default=True)
threads_option = click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))


def port_option(default):
    return click.option("--port", default=default, show_default=True, type=click.IntRange(1, 65535))


def data_path(data_dir, role=KIOSK):
    """The data directory given, or the role's default, absolute."""
    return resolve_data_dir(data_dir, role)


def settings_or_exit(config_file):
    """The settings, or the error in words and exit status 2."""
    try:
        return load_settings(config_file)
    except SettingsError as exc:
        click.echo(f"Settings error: {exc}", err=True)
        sys.exit(2)


def app_or_exit(role, config_file, data_dir, announce=print):
    """The kiosk or hub app, or the settings or content error in words and exit status 2."""
    from kiosk.app import create_app

    try:
        return create_app(role, config_file=config_file, data_dir=data_dir, announce=announce)
    except SettingsError as exc:
        click.echo(f"Settings error: {exc}", err=True)
        sys.exit(2)
    except ContentError as exc:
        click.echo(f"Content error: {exc}", err=True)
        sys.exit(2)
