"""`python -m kiosk serve`: the kiosk on waitress, with the sync to the hub beside it."""

import click

from kiosk.cli.options import (
    app_or_exit,
    config_option,
    data_dir_option,
    host_option,
    port_option,
    server_limits,
    threads_option,
)
from kiosk.config.paths import KIOSK


@click.command()
@host_option
@port_option(8080)
@threads_option
@click.option(
    "--trusted-proxy",
    default=None,
    metavar="IP",
    help="A reverse proxy's address (e.g. 127.0.0.1): its X-Forwarded-Proto and X-Forwarded-For are "
    "believed, so that cookies are Secure over HTTPS and each client keeps its own address (the "
    "sign-in lock counts per address, and only the kiosk's own screen is exempt from its network cap).",
)
@data_dir_option(KIOSK)
@config_option
def serve(host, port, threads, trusted_proxy, data_dir, config_file):
    """Run the kiosk on waitress; sync to the hub in the background whenever one is set."""
    import waitress

    from kiosk.sync.worker import start_background

    app = app_or_exit(KIOSK, config_file, data_dir)
    # Always started: it follows the published settings, idle until a hub is set.
    start_background(app.config["KIOSK"], app.config["DATA_DIR"], source=app.extensions["kiosk_live"].source)
    click.echo(f"Kiosk ready: http://{host}:{port}/  (data: {app.config['DATA_DIR']})", err=True)
    proxy = {}
    if trusted_proxy:
        proxy = {
            "trusted_proxy": trusted_proxy,
            "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"},
        }
    waitress.serve(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="",
        clear_untrusted_proxy_headers=True,
        **proxy,
        **server_limits(app),
    )
