"""Listening on the station network safely: which combinations `serve` refuses.

A kiosk on 127.0.0.1 (the default) is reached only by its own screen. To drive counter
displays it must listen on the station network; then the staff pages (the duty PIN, the
admin password) must not travel in plain HTTP across that network: `network.staff_pages`
must be "this_machine" (staff sign in at the kiosk itself) or "https" (from the network
only through a TLS proxy).
"""

from kiosk.config.settings import SettingsError, is_loopback_host


def check_listen(settings, host, trusted_proxy=None):
    """Raise SettingsError when listening on `host` would expose the staff pages over plain HTTP."""
    if is_loopback_host(host):
        return
    staff_pages = settings.network.staff_pages
    if staff_pages == "anywhere":
        raise SettingsError(
            f'--host {host}: the kiosk would listen on the network while network.staff_pages = "anywhere" '
            "lets the duty PIN and the admin password cross it in plain HTTP. Set [network] "
            'staff_pages = "this_machine" (staff sign in on the kiosk\'s own screen) or "https" (behind a TLS '
            "proxy with --trusted-proxy), or listen on 127.0.0.1. See README, serving counter displays."
        )
    if staff_pages == "https" and not trusted_proxy:
        raise SettingsError(
            f'--host {host}: network.staff_pages = "https" needs the TLS proxy in front of the kiosk '
            "(--trusted-proxy ADDRESS); without it no request is HTTPS and staff could sign in only on the kiosk "
            'itself: say so with staff_pages = "this_machine".'
        )
