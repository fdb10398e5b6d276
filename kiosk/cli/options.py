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
trusted_proxy_option = click.option(
    "--trusted-proxy",
    default=None,
    metavar="IP",
    help="A reverse proxy's address (e.g. 127.0.0.1): its X-Forwarded-Proto and X-Forwarded-For are "
    "believed, so that cookies are Secure over HTTPS and each client keeps its own address (the "
    "sign-in lock counts per address; on a kiosk, only its own screen is exempt from the network cap).",
)


def port_option(default):
    return click.option("--port", default=default, show_default=True, type=click.IntRange(1, 65535))


def data_path(data_dir, role=KIOSK):
    """The data directory given, or the role's default, absolute."""
    return resolve_data_dir(data_dir, role)


# Headers of a kiosk page or a sync batch are a few KB; waitress allows 256 KB.
MAX_HEADER_BYTES = 32 * 1024


def server_limits(app):
    """Waitress's own limits, from the largest body any of the app's routes takes.

    Flask refuses a large body only once waitress has read all of it, and waitress
    spools a body of more than 512 KB to a temporary file (up to 1 GiB by default): a
    300 MB POST filled the disk before its 413. With these, waitress answers 413 as soon
    as the headers announce too much (or a chunked body grows past it), before reading
    it; a body the app accepts stays in memory."""
    return {
        "max_request_body_size": app.config["LARGEST_BODY_BYTES"],
        # A body the app may accept stays in memory, never in a temporary file on the data disk;
        # twice the limit, so that a refused chunked body is refused before it would spill over.
        "inbuf_overflow": 2 * app.config["LARGEST_BODY_BYTES"],
        "max_request_header_size": MAX_HEADER_BYTES,
    }


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


def run_waitress(app, host, port, threads, trusted_proxy=None):
    """Serve `app` on waitress until stopped: no server banner, the body limits above, and
    the proxy's forwarded headers believed only from `trusted_proxy`."""
    import waitress

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
        **server_limits(app),
        **proxy,
    )
