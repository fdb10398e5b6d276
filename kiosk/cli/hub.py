"""`python -m kiosk hub ...`: run the admin hub, register and revoke kiosks."""

import click

from kiosk.cli.options import (
    app_or_exit,
    config_option,
    data_dir_option,
    data_path,
    host_option,
    port_option,
    run_waitress,
    settings_or_exit,
    threads_option,
    trusted_proxy_option,
)
from kiosk.config.paths import HUB

data_dir_option = data_dir_option(HUB)


def _open(ctx, data_dir, config_file):
    """The hub's database; options given before the command name count too."""
    from kiosk.hub import open_hub_db

    parent = ctx.obj or {}
    settings_or_exit(config_file or parent.get("config_file"))
    return open_hub_db(data_path(data_dir or parent.get("data_dir"), HUB))


@click.group("hub", invoke_without_command=True)
@host_option
@port_option(8090)
@threads_option
@trusted_proxy_option
@data_dir_option
@config_option
@click.pass_context
def hub_group(ctx, host, port, threads, trusted_proxy, data_dir, config_file):
    """Run the admin hub (no command), or look after its registry of kiosks."""
    ctx.obj = {"data_dir": data_dir, "config_file": config_file}
    if ctx.invoked_subcommand is not None:
        return
    app = app_or_exit(HUB, config_file, data_dir)
    click.echo(f"Hub ready: http://{host}:{port}/  (data: {app.config['DATA_DIR']})", err=True)
    run_waitress(app, host, port, threads, trusted_proxy)


@hub_group.command("add-kiosk")
@click.argument("name")
@click.option("--station", required=True, help="The station's code, e.g. changhan.")
@click.option("--new-token", is_flag=True, help="Give a registered kiosk a new token (the old one stops working).")
@click.option("--province", help="The station's province, in Thai or English (e.g. ร้อยเอ็ด or 'Roi Et').")
@data_dir_option
@config_option
@click.pass_context
def add_kiosk(ctx, name, station, new_token, province, data_dir, config_file):
    """Register a kiosk; prints its token once (the hub keeps only a hash)."""
    from kiosk.hub import store

    db = _open(ctx, data_dir, config_file)
    try:
        token = store.add_kiosk(db, name, station, new_token=new_token, province=province)
    except store.RegistryError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.conn.close()
    click.echo(f"Kiosk {name} {'has a new token' if new_token else 'is registered'} for station {station}.")
    click.echo("Its token is shown only now; the hub keeps only a hash. On the kiosk, set:")
    click.echo(f"  KIOSK_HUB_TOKEN={token}")
    click.echo("  KIOSK_HUB_URL=https://<this hub's address>/")
    click.echo('or in its settings file: [hub] url = "https://..." and token = "..."')


@hub_group.command("set-province")
@click.argument("station")
@click.argument("province")
@data_dir_option
@config_option
@click.pass_context
def set_province(ctx, station, province, data_dir, config_file):
    """Set the province of a registered station (Thai or English name); the admin's word
    wins over what its kiosks say."""
    from kiosk.core.provinces import province_name
    from kiosk.hub import store

    db = _open(ctx, data_dir, config_file)
    try:
        key = store.set_station_province(db, station, province)
    except store.RegistryError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.conn.close()
    click.echo(f"Station {station} is in {province_name(key, 'en')} ({province_name(key, 'th')}).")


@hub_group.command("revoke-kiosk")
@click.argument("name")
@data_dir_option
@config_option
@click.pass_context
def revoke_kiosk(ctx, name, data_dir, config_file):
    """Revoke a kiosk's token; what it already sent stays counted."""
    from kiosk.hub import store

    db = _open(ctx, data_dir, config_file)
    try:
        store.revoke_kiosk(db, name)
    except store.RegistryError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.conn.close()
    click.echo(f"Kiosk {name} is revoked: its token no longer works. What it sent stays counted.")


@hub_group.command("kiosks")
@data_dir_option
@config_option
@click.pass_context
def list_kiosks(ctx, data_dir, config_file):
    """List the registered kiosks, each station's province, and what the hub holds of each
    kiosk (times to the hour)."""
    from kiosk.core.provinces import province_name
    from kiosk.hub import overview, stations, store

    db = _open(ctx, data_dir, config_file)
    try:
        rows = store.kiosks(db)
        provinces = stations.station_provinces(db)
    finally:
        db.conn.close()
    if not rows:
        click.echo("No kiosk is registered.")
    for row in rows:
        s = overview.kiosk_summary(row)
        key = provinces.get(s["station"])
        province = f"{province_name(key, 'en')} ({province_name(key, 'th')})" if key else "not set"
        chain = (
            "verified"
            if s["chain_ok"]
            else (f"fork at {s['fork_at']}" if s["fork_at"] else f"broken at {s['broken_at']}")
        )
        click.echo(
            f"{s['name']}\tstation {s['station']}\tprovince {province}\t{'REVOKED ' if s['revoked'] else ''}"
            f"received up to seq {s['acked']} of {s['head']}, waiting {s['waiting']}, missing {s['missing']}, "
            f"chain {chain}, last sync {s['last_sync'] or 'never'}"
        )


@hub_group.command("publish")
@click.argument("station")
@click.argument("source", type=click.Path(exists=True))
@data_dir_option
@config_option
@click.pass_context
def publish_pages(ctx, station, source, data_dir, config_file):
    """Install a station's public pages (the folder of `python -m kiosk publish`, or the admin's zip);
    served read-only at /public/STATION/ when public.serve_on_hub is true."""
    from kiosk.hub.public import PublishError, install_pages

    parent = ctx.obj or {}
    settings = settings_or_exit(config_file or parent.get("config_file"))
    target = data_path(data_dir or parent.get("data_dir"), HUB)
    try:
        count = install_pages(target, station, source)
    except PublishError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{count} files installed for station {station}.")
    if not settings.public.serve_on_hub:
        click.echo("The hub does not serve them yet: set public.serve_on_hub = true in its settings.")


def _add_province_commands():
    from kiosk.cli.hub_province import command_command, content_group

    hub_group.add_command(content_group)
    hub_group.add_command(command_command)


_add_province_commands()
