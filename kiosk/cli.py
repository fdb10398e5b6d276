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


@main.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Directory for the posters (created if missing).")
@click.option("--size", type=click.Choice(["A4", "A3"], case_sensitive=False), default="A4", show_default=True,
              help="Paper size (portrait).")
@click.option("--only", multiple=True, metavar="NAME",
              help="Only this poster; repeat, or separate names with commas. See --list.")
@click.option("--dpi", default=300, show_default=True, type=click.IntRange(72, 600), help="Resolution.")
@click.option("--jobs", default=0, type=click.IntRange(0, 16), help="Processes (default: one per CPU, at most 4).")
@click.option("--list", "list_only", is_flag=True, help="List the poster names and exit.")
@config_option
def signage(out_dir, size, only, dpi, jobs, list_only, config_file):
    """Write the printable posters: <name>.png (and <name>-2.png ... for a second
    page) and <name>.pdf, drawn from the kiosk's content and settings."""
    import time

    from .content import ContentError
    from .signage import LayoutError, PosterError, load_job, render_all

    try:
        job = load_job(config_file)
    except (SettingsError, ContentError, PosterError) as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    if list_only:
        click.echo("\n".join(job.names))
        return
    names = [n.strip() for item in only for n in item.split(",") if n.strip()]
    unknown = [n for n in names if n not in job.names]
    if unknown:
        raise click.BadParameter(f"no poster named {unknown[0]!r}; posters are: {', '.join(job.names)}",
                                 param_hint="--only")
    size = size.upper()
    total = len(names) if names else len(job.names)
    done = []

    def progress(result):
        done.append(result)
        pages = f"{result.pages} pages" if result.pages > 1 else "1 page"
        click.echo(f"[{len(done):>2}/{total}] {result.name:<26} {size} {pages:<8} {result.seconds:5.2f} s  "
                   + ", ".join(f.name for f in result.files))

    started = time.perf_counter()
    try:
        results = render_all(out_dir, size=size, only=names or None, job=job, dpi=dpi,
                             jobs=jobs or None, progress=progress)
    except LayoutError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    elapsed = time.perf_counter() - started
    pages = sum(r.pages for r in results)
    click.echo(f"{len(results)} posters ({pages} pages, {size}, {dpi} dpi) in {elapsed:.1f} s -> {out_dir}")


from .hub.cli import hub_group  # noqa: E402
from .sync import attach_to_serve, sync_command  # noqa: E402

main.add_command(hub_group)
main.add_command(sync_command)
attach_to_serve(serve)  # `serve` starts the background sync when [hub] url is set

from .backup_cli import backup_command, restore_command  # noqa: E402

main.add_command(backup_command)
main.add_command(restore_command)
