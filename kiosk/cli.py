"""Command line: `python -m kiosk serve` and the commands that look after a kiosk."""
import sys

import click

from .content import ContentError
from .settings import SettingsError

data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False), default=None,
    help="Where the database and generated files live (default: instance/).",
)
config_option = click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), default=None,
    help="A TOML settings file; without one the demo station runs.",
)


def build_app(config_file, data_dir, announce=print):
    from . import create_app

    try:
        return create_app(config_file=config_file, data_dir=data_dir, announce=announce)
    except SettingsError as exc:
        click.echo(f"Settings error: {exc}", err=True)
        sys.exit(2)
    except ContentError as exc:
        click.echo(f"Content error: {exc}", err=True)
        sys.exit(2)


@click.group()
def main():
    """The One Stop Service kiosk of a Thai police station."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
@data_dir_option
@config_option
def serve(host, port, threads, data_dir, config_file):
    """Run the kiosk on waitress."""
    import waitress

    app = build_app(config_file, data_dir)
    click.echo(f"Kiosk ready: http://{host}:{port}/  (data: {app.config['DATA_DIR']})", err=True)
    waitress.serve(app, host=host, port=port, threads=threads, ident="", clear_untrusted_proxy_headers=True)


from .admin.cli import admin_group  # noqa: E402

main.add_command(admin_group)
