"""`python -m kiosk signage`: the printable posters."""

import sys

import click

from kiosk.cli.options import config_option, data_dir_option, data_path
from kiosk.config.settings import SettingsError


@click.command("signage")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Directory for the posters (created if missing).",
)
@click.option(
    "--size",
    type=click.Choice(["A4", "A3"], case_sensitive=False),
    default="A4",
    show_default=True,
    help="Paper size (portrait).",
)
@click.option(
    "--only", multiple=True, metavar="NAME", help="Only this poster; repeat, or separate names with commas. See --list."
)
@click.option("--dpi", default=300, show_default=True, type=click.IntRange(72, 600), help="Resolution.")
@click.option("--jobs", default=0, type=click.IntRange(0, 16), help="Processes (default: one per CPU, at most 4).")
@click.option("--list", "list_only", is_flag=True, help="List the poster names and exit.")
@config_option
@data_dir_option()
def signage(out_dir, size, only, dpi, jobs, list_only, config_file, data_dir):
    """Write the printable posters: <name>.png (and <name>-2.png ... for a second
    page) and <name>.pdf, drawn from the kiosk's content and settings."""
    import time

    from kiosk.content.loader import ContentError
    from kiosk.signage import LayoutError, PosterError, load_job, render_all

    try:
        job = load_job(config_file, data_dir=data_path(data_dir))
    except (SettingsError, ContentError, PosterError) as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    if list_only:
        click.echo("\n".join(job.names))
        return
    names = [n.strip() for item in only for n in item.split(",") if n.strip()]
    unknown = [n for n in names if n not in job.names]
    if unknown:
        raise click.BadParameter(
            f"no poster named {unknown[0]!r}; posters are: {', '.join(job.names)}", param_hint="--only"
        )
    size = size.upper()
    total = len(names) if names else len(job.names)
    done = []

    def progress(result):
        done.append(result)
        pages = f"{result.pages} pages" if result.pages > 1 else "1 page"
        click.echo(
            f"[{len(done):>2}/{total}] {result.name:<26} {size} {pages:<8} {result.seconds:5.2f} s  "
            + ", ".join(f.name for f in result.files)
        )

    started = time.perf_counter()
    try:
        results = render_all(
            out_dir, size=size, only=names or None, job=job, dpi=dpi, jobs=jobs or None, progress=progress
        )
    except LayoutError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    elapsed = time.perf_counter() - started
    pages = sum(r.pages for r in results)
    click.echo(f"{len(results)} posters ({pages} pages, {size}, {dpi} dpi) in {elapsed:.1f} s -> {out_dir}")
