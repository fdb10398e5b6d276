"""`python -m kiosk serve`: the kiosk on waitress, with the sync to the hub beside it."""

import sys

import click

from kiosk.cli.options import (
    app_or_exit,
    config_option,
    data_dir_option,
    host_option,
    port_option,
    run_waitress,
    threads_option,
    trusted_proxy_option,
)
from kiosk.config.network import check_listen
from kiosk.config.paths import KIOSK
from kiosk.config.settings import SettingsError


@click.command()
@host_option
@port_option(8080)
@threads_option
@trusted_proxy_option
@data_dir_option(KIOSK)
@config_option
def serve(host, port, threads, trusted_proxy, data_dir, config_file):
    """Run the kiosk on waitress; sync to the hub in the background whenever one is set."""
    from kiosk.sync.recovery import check_at_start
    from kiosk.sync.worker import start_background

    app = app_or_exit(KIOSK, config_file, data_dir)
    try:
        check_listen(app.config["KIOSK"], host, trusted_proxy)
    except SettingsError as exc:
        click.echo(f"Settings error: {exc}", err=True)
        sys.exit(2)
    # A disk replaced or an older backup: no tap may reuse a seq the hub already holds.
    check_at_start(app.config["KIOSK"], app.config["DATA_DIR"], announce=lambda text: click.echo(text, err=True))
    # Always started: it follows the published settings, idle until a hub is set.
    start_background(app.config["KIOSK"], app.config["DATA_DIR"], source=app.extensions["kiosk_live"].source)
    click.echo(f"Kiosk ready: http://{host}:{port}/  (data: {app.config['DATA_DIR']})", err=True)
    run_waitress(app, host, port, threads, trusted_proxy)
