"""`python -m kiosk publish`: the station's public pages, and the check that every code has its page."""

import sys
import tempfile
from pathlib import Path

import click

from kiosk.cli.options import app_or_exit, config_option, data_dir_option
from kiosk.config.paths import KIOSK


def citizen_screens(content):
    """Every address of a citizen screen (or printable page) that can show a QR code."""
    from kiosk.core.vocab import UNIT_CHOICES

    screens = ["/", "/home", "/manual", "/policy", "/eservices", "/about", "/case-progress", "/eit", "/satisfaction"]
    screens += [f"/manual/situation/{s.key}" for s in content.situations]
    for service in content.services:
        screens += [f"/manual/{service.slug}", f"/manual/{service.slug}/print"]
    screens += [f"/eit/qr/{unit}" for unit in UNIT_CHOICES]
    return screens


def screen_codes(app):
    """(where, address) of every QR code the citizen screens and printable pages show, in every language
    the station offers."""
    import html
    import re

    found = []
    content = app.extensions["kiosk_content"]
    client = app.test_client()
    for lang in app.config["KIOSK"].station.offered_languages():
        client.get(f"/home?lang={lang}")
        for screen in citizen_screens(content):
            response = client.get(screen)
            if response.status_code != 200:
                raise click.ClickException(f"{screen} answered {response.status_code}")
            for data in re.findall(r'data-qr="([^"]*)"', response.get_data(as_text=True)):
                found.append((f"screen {screen} ({lang})", html.unescape(data)))
            if screen == "/":
                client.get(f"/home?lang={lang}")  # the start screen forgets the language
    return found


def poster_codes(settings, content):
    """(where, address) of every QR code the posters carry."""
    from kiosk.signage import load_job

    job = load_job(settings=settings, content=content)
    return [(f"poster {poster.name}", url) for poster in job.posters for url in poster.urls]


def _check(app, folder):
    from kiosk.publish import check_folder

    settings = app.config["KIOSK"]
    content = app.extensions["kiosk_content"]
    targets = screen_codes(app) + poster_codes(settings, content)
    result = check_folder(folder, targets, settings.public.base_url)
    click.echo(f"Public base URL: {settings.public.base_url}")
    click.echo(
        f"{len(targets)} codes on the screens, printable pages and posters; {len({u for _, u in targets})} addresses."
    )
    click.echo(f"\nPages found in {folder}: {len(result.found)}")
    for url in sorted(result.found):
        click.echo(f"  ok       {url}")
    click.echo(f"\nOutside addresses (listed, not fetched): {len(result.outside)}")
    for url in sorted(result.outside):
        click.echo(f"  outside  {url}  ({len(result.outside[url])} places, e.g. {result.outside[url][0]})")
    if result.missing:
        click.echo(f"\nMissing pages: {len(result.missing)}", err=True)
        for url in sorted(result.missing):
            click.echo(f"  MISSING  {url}  (shown on {', '.join(result.missing[url][:3])})", err=True)
        sys.exit(1)
    click.echo("\nEvery code of the kiosk and the posters has its page.")


@click.command("publish")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Write the public pages into this folder.")
@click.option(
    "--check",
    "check_dir",
    type=click.Path(file_okay=False, exists=True),
    help="Check that this folder has the page of every code the kiosk and the posters show.",
)
@data_dir_option()
@config_option
def publish_command(out_dir, check_dir, data_dir, config_file):
    """Write the station's public pages (the pages behind the QR codes), or check a folder of them."""
    if bool(out_dir) == bool(check_dir):
        raise click.UsageError("give --out DIR to publish, or --check DIR to check a published folder")
    if check_dir:
        # A scratch data directory: checking reads nothing of the kiosk's own data.
        with tempfile.TemporaryDirectory() as scratch:
            app = app_or_exit(KIOSK, config_file, scratch, announce=lambda _text: None)
            _check(app, Path(check_dir))
        return
    from kiosk.publish import publish, site_languages
    from kiosk.web.database import get_db

    app = app_or_exit(KIOSK, config_file, data_dir)
    with app.app_context():
        written = publish(out_dir, app.config["KIOSK"], app.extensions["kiosk_content"], get_db())
    pages = sum(1 for path in written if path.suffix == ".html")
    languages = ", ".join(site_languages(app.config["KIOSK"]))
    click.echo(f"{pages} pages in {languages}, and the shared style and fonts -> {out_dir}")
    click.echo(f"Upload the folder so that it answers at {app.config['KIOSK'].public.base_url}")
