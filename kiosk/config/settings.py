"""Settings: defaults, overridden by a TOML file and the environment, validated at start.

Every error names the file and the dotted key, so that a station admin can fix it.
"""

import copy
import datetime as dt
import ipaddress
import os
import tomllib
from pathlib import Path
from urllib.parse import urlparse

from kiosk.core.vocab import DEFAULT_EIT_QUOTA, UNITS

DEFAULTS = {
    "station": {
        "code": "changhan",
        "name_th": "สถานีตำรวจภูธรจังหาร",
        "name_en": "Chang Han Provincial Police Station",
        "province_th": "ร้อยเอ็ด",
        "province_en": "Roi Et",
        "website": "https://changhan.roiet.police.go.th/",
        # The demo station ships with the product; a real station sets this false.
        "demo": True,
    },
    "kiosk": {
        "id": "kiosk-1",
        "idle_seconds": 60,
        "thai_digits": False,
        "content_dir": "",
        "manual_base_url": "https://changhan.roiet.police.go.th/manual/",
    },
    "feedback": {
        "repeat_window_seconds": 10,
        "burst_max_per_minute": 6,
        "amend_max_age_minutes": 30,
        "comment_max_chars": 500,
        "comment_retention_days": 180,
        "mean_band_interval": 0.8,
    },
    "duty": {
        # Bad-answers alert: at least this many answers in the window, this share at levels 1-2.
        "alert_min_answers": 4,
        "alert_window_minutes": 15,
        "alert_bad_share": 0.5,
        "pin_max_failures": 5,
        "pin_lock_seconds": 30,
    },
    "admin": {
        "session_minutes": 30,
    },
    "eit": {
        "url": "https://itas.nacc.go.th/go/eit/demo",
        # Empty means 1 January to 30 June of the current fiscal year.
        "period_start": "",
        "period_end": "",
        "quota": dict(DEFAULT_EIT_QUOTA),
    },
    "secrets": {
        "admin_password": "",
        "duty_pin": "",
        "api_token": "",
    },
    # The kiosk side of the sync to the admin hub (kiosk/sync.py); empty url: no sync.
    "hub": {
        "url": "",  # e.g. https://hub.roiet.example/ (or KIOSK_HUB_URL)
        "token": "",  # printed once by `python -m kiosk hub add-kiosk` (or KIOSK_HUB_TOKEN)
        "allow_plain_http": False,  # plain http:// is refused unless the hub is on this machine
        "batch_size": 500,  # events per request (the hub takes at most 1000)
        "interval_seconds": 30.0,  # how often the background sync looks for new events
        "retry_max_seconds": 300.0,  # the longest wait between retries (exponential back-off)
        "timeout_seconds": 30.0,  # one request to the hub
        "ca_file": "",  # a CA bundle for a hub with a private certificate
    },
}

# Secrets may also come from the environment; the environment wins.
SECRET_ENV = {
    "admin_password": "KIOSK_ADMIN_PASSWORD",
    "duty_pin": "KIOSK_DUTY_PIN",
    "api_token": "KIOSK_API_TOKEN",
}
# The hub's address and this kiosk's token for it, likewise ([hub] url and token).
HUB_ENV = {
    "url": "KIOSK_HUB_URL",
    "token": "KIOSK_HUB_TOKEN",
}


class SettingsError(ValueError):
    """A settings file or value that the kiosk cannot run with."""


def _https_url(value):
    parts = urlparse(value)
    if parts.scheme != "https" or not parts.netloc:
        return "must be an https:// address with a host name"
    return None


def _iso_date_or_empty(value):
    if value == "":
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return "must be a date written YYYY-MM-DD (Gregorian), or empty"
    return None


def _non_negative(value):
    return "must be 0 or more" if value < 0 else None


def _positive(value):
    return "must be more than 0" if value <= 0 else None


def _band_interval(value):
    return None if value in (0.8, 0.5) else "must be 0.8 or 0.5"


def _duty_pin(value):
    if value and not (value.isdigit() and 4 <= len(value) <= 8):
        return "must be 4 to 8 digits"
    return None


def _hub_url(value):
    if value == "":
        return None
    parts = urlparse(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "must be an https:// address with a host name, or empty for no hub"
    if parts.query or parts.fragment or parts.username or parts.password:
        return "must not carry a query, a fragment or credentials (the token goes in hub.token)"
    return None


def is_loopback_host(host):
    """True for localhost and the loopback addresses (127.0.0.0/8, ::1)."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _quota(value):
    unknown = sorted(set(value) - set(UNITS))
    if unknown:
        return f"unknown unit {unknown[0]!r}; units are {', '.join(UNITS)}"
    for unit, number in value.items():
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            return f"{unit} must be a whole number 0 or more"
    return None


# Extra checks beyond the type of the default value.
CHECKS = {
    "station.website": _https_url,
    "kiosk.idle_seconds": _non_negative,
    "kiosk.manual_base_url": _https_url,
    "feedback.repeat_window_seconds": _non_negative,
    "feedback.burst_max_per_minute": _positive,
    "feedback.amend_max_age_minutes": _positive,
    "feedback.comment_max_chars": _positive,
    "feedback.comment_retention_days": _positive,
    "feedback.mean_band_interval": _band_interval,
    "duty.alert_min_answers": _positive,
    "duty.alert_window_minutes": _positive,
    "duty.alert_bad_share": lambda v: None if 0 < v <= 1 else "must be more than 0 and at most 1",
    "duty.pin_max_failures": _positive,
    "duty.pin_lock_seconds": _positive,
    "admin.session_minutes": _positive,
    "eit.url": _https_url,
    "eit.period_start": _iso_date_or_empty,
    "eit.period_end": _iso_date_or_empty,
    "eit.quota": _quota,
    "secrets.duty_pin": _duty_pin,
    "hub.url": _hub_url,
    "hub.batch_size": lambda v: None if 1 <= v <= 1000 else "must be from 1 to 1000",
    "hub.interval_seconds": _positive,
    "hub.retry_max_seconds": _positive,
    "hub.timeout_seconds": _positive,
}

_TYPE_NAMES = {bool: "true or false", int: "a whole number", float: "a number", str: "text", dict: "a table"}


def _merge(defaults, given, source, prefix=""):
    merged = copy.deepcopy(defaults)
    for key, value in given.items():
        dotted = f"{prefix}{key}"
        if key not in defaults:
            raise SettingsError(f"{source}: {dotted}: unknown setting")
        default = defaults[key]
        if isinstance(default, dict) and dotted != "eit.quota":
            if not isinstance(value, dict):
                raise SettingsError(f"{source}: {dotted}: must be a table [{dotted}]")
            merged[key] = _merge(default, value, source, dotted + ".")
            continue
        expected = type(default)
        ok = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        if not ok:
            raise SettingsError(f"{source}: {dotted}: must be {_TYPE_NAMES[expected]} (got {value!r})")
        problem = CHECKS.get(dotted, lambda _v: None)(value)
        if problem:
            raise SettingsError(f"{source}: {dotted}: {problem} (got {value!r})")
        merged[key] = value
    return merged


def load_settings(path=None, environ=None, overrides=None):
    """Defaults, then the TOML file at `path`, then `overrides`, then secrets from the environment."""
    environ = os.environ if environ is None else environ
    settings = copy.deepcopy(DEFAULTS)
    if path:
        path = Path(path)
        try:
            given = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SettingsError(f"{path}: settings file not found") from None
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{path}: not valid TOML: {exc}") from None
        settings = _merge(settings, given, str(path))
    if overrides:
        settings = _merge(settings, overrides, "overrides")
    secrets_from_env = {key: environ[var] for key, var in SECRET_ENV.items() if environ.get(var)}
    if secrets_from_env:
        settings = _merge(settings, {"secrets": secrets_from_env}, "environment")
    hub_from_env = {key: environ[var] for key, var in HUB_ENV.items() if environ.get(var)}
    if hub_from_env:
        settings = _merge(settings, {"hub": hub_from_env}, "environment")
    _check_period(settings)
    _check_hub(settings, path or "settings")
    return settings


def _check_hub(settings, source):
    """A hub address needs a token, and plain http only to this machine unless allowed."""
    hub = settings["hub"]
    if not hub["url"]:
        return
    parts = urlparse(hub["url"])
    if parts.scheme == "http" and not hub["allow_plain_http"] and not is_loopback_host(parts.hostname):
        raise SettingsError(
            f"{source}: hub.url: plain http:// would send the token and the figures unencrypted; "
            f"use https:// (see README, the hub behind HTTPS), or set hub.allow_plain_http = true "
            f"(got {hub['url']!r})"
        )
    if not hub["token"]:
        raise SettingsError(
            f"{source}: hub.token: needed when hub.url is set (or set KIOSK_HUB_TOKEN); "
            "`python -m kiosk hub add-kiosk NAME --station CODE` prints it"
        )


def _check_period(settings):
    start, end = settings["eit"]["period_start"], settings["eit"]["period_end"]
    if start and end and dt.date.fromisoformat(end) < dt.date.fromisoformat(start):
        raise SettingsError("eit.period_end: must not be before eit.period_start")


def fiscal_year(day):
    """The Thai fiscal year (Gregorian number) that `day` falls in: it starts on 1 October."""
    return day.year + 1 if day.month >= 10 else day.year


def eit_period(settings, today):
    """The EIT collection window: the settings, or 1 Jan to 30 Jun of the fiscal year."""
    start, end = settings["eit"]["period_start"], settings["eit"]["period_end"]
    year = fiscal_year(today)
    return (
        dt.date.fromisoformat(start) if start else dt.date(year, 1, 1),
        dt.date.fromisoformat(end) if end else dt.date(year, 6, 30),
    )
