"""Settings: the model's defaults, overridden by a TOML file and the environment, validated at start.

The settings are described once, in kiosk.config.model; this module loads them. Every
error names the file and the dotted key, in the kiosk's own words, so that a station
admin can fix it: `kiosk.toml: kiosk.idle_seconds: must be 0 or more (got -5)`.
"""

import datetime as dt
import ipaddress
import os
import tomllib
from pathlib import Path
from urllib.parse import urlparse

from pydantic import BaseModel, ValidationError

from kiosk.config.model import PROBLEM, Settings
from kiosk.core.clock import fiscal_year

__all__ = [
    "STATION_KEYS",
    "Settings",
    "SettingsError",
    "eit_period",
    "eit_window",
    "fiscal_year",
    "is_loopback_host",
    "load_settings",
    "locked_settings",
    "station_key",
]

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

# pydantic's error types for a value of the wrong type, in the words the admin reads.
_TYPE_NAMES = {
    "bool_type": "true or false",
    "int_type": "a whole number",
    "float_type": "a number",
    "string_type": "text",
    "dict_type": "a table",
}
_LIMIT_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}
_SECTION_TYPE_ERRORS = {"model_type", "model_attributes_type", "dict_type"}


# Keys that moved: the old name is still read, so that a station's file keeps working.
RENAMED = {("kiosk", "manual_base_url"): ("public", "base_url")}


class SettingsError(ValueError):
    """A settings file or value that the kiosk cannot run with."""


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


# What a station decides in the browser (kiosk.content.station): section -> keys (None: all).
STATION_KEYS = {"station": None, "eit": None, "hub": ("url", "token")}


def station_key(section, key):
    """True when `section.key` is a setting the station decides in the browser."""
    keys = STATION_KEYS.get(section, ())
    return keys is None or key in (keys or ())


def _layers(path, environ, overrides):
    """(source, values) laid over the defaults and the stored values, in order."""
    layers = []
    if path:
        path = Path(path)
        try:
            given = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SettingsError(f"{path}: settings file not found") from None
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{path}: not valid TOML: {exc}") from None
        layers.append((str(path), given))
    if overrides:
        layers.append(("overrides", overrides))
    secrets_from_env = {key: environ[var] for key, var in SECRET_ENV.items() if environ.get(var)}
    if secrets_from_env:
        layers.append(("environment", {"secrets": secrets_from_env}))
    hub_from_env = {key: environ[var] for key, var in HUB_ENV.items() if environ.get(var)}
    if hub_from_env:
        layers.append(("environment", {"hub": hub_from_env}))
    return layers


def locked_settings(path=None, environ=None, overrides=None):
    """{"section.key": source} of the settings the file, overrides or environment set:
    they win over the station's stored values, so the browser shows them locked."""
    environ = os.environ if environ is None else environ
    locked = {}
    for source, given in _layers(path, environ, overrides):
        for section, values in given.items():
            if isinstance(values, dict):
                for key in values:
                    locked[f"{section}.{key}"] = source
    return locked


def load_settings(path=None, environ=None, overrides=None, stored=None, stored_source="station settings"):
    """Defaults, then the station's `stored` values (from the database), then the TOML file
    at `path`, then `overrides`, then secrets and the hub from the environment.

    Returns a frozen Settings; raises SettingsError naming the file and the key."""
    environ = os.environ if environ is None else environ
    settings = Settings()
    if stored:
        settings = _merge(settings, stored, stored_source)
    for source, given in _layers(path, environ, overrides):
        settings = _merge(settings, given, source)
    _check_period(settings)
    _check_hub(settings, path or "settings")
    return settings


def _merge(settings, given, source):
    """`settings` with the sections of `given` laid over it key by key, validated.

    A key's value replaces the one before it whole (eit.quota included)."""
    data = settings.model_dump()
    given = _renamed(given, source)
    for name, value in given.items():
        if isinstance(value, dict) and isinstance(data.get(name), dict):
            data[name] = {**data[name], **value}
        else:
            data[name] = value
    try:
        return Settings.model_validate(data)
    except ValidationError as error:
        first = min(error.errors(), key=lambda e: _position(e["loc"], given))
        raise SettingsError(_describe(first, source)) from None


def _renamed(given, source):
    """`given` with each old key (RENAMED) under its new name; both given is a mistake."""
    given = {name: dict(value) if isinstance(value, dict) else value for name, value in given.items()}
    for (old_section, old_key), (new_section, new_key) in RENAMED.items():
        section = given.get(old_section)
        if not isinstance(section, dict) or old_key not in section:
            continue
        target = given.setdefault(new_section, {})
        if not isinstance(target, dict):
            continue
        if new_key in target:
            raise SettingsError(
                f"{source}: {old_section}.{old_key}: renamed {new_section}.{new_key}; give only the new one"
            )
        target[new_key] = section.pop(old_key)
    return given


def _position(loc, given):
    """Where a key stands in the given tables, so that the first mistake in the file is named."""
    position, table = [], given
    for part in loc:
        if not isinstance(table, dict) or part not in table:
            break
        position.append(list(table).index(part))
        table = table[part]
    return position


def _field(loc):
    """The FieldInfo of the setting at `loc` (section, key), or None."""
    model = Settings
    info = None
    for part in loc:
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return None
        info = model.model_fields[part]
        model = info.annotation
    return info


def _limits(info):
    """The field's limits in words: "must be 0 or more", "must be from 1 to 1000", ..."""
    bounds = {}
    for item in info.metadata:
        for name in ("ge", "gt", "le"):
            if getattr(item, name, None) is not None:
                bounds[name] = getattr(item, name)
    if "ge" in bounds and "le" in bounds:
        return f"must be from {bounds['ge']} to {bounds['le']}"
    if "gt" in bounds and "le" in bounds:
        return f"must be more than {bounds['gt']} and at most {bounds['le']}"
    if "ge" in bounds:
        return f"must be {bounds['ge']} or more"
    if "gt" in bounds:
        return f"must be more than {bounds['gt']}"
    if "le" in bounds:
        return f"must be at most {bounds['le']}"
    return "is out of range"


def _describe(error, source):
    """One pydantic error in the kiosk's words: `<source>: <dotted.key>: <problem> (got <value>)`."""
    loc, kind, value = error["loc"], error["type"], error["input"]
    dotted = ".".join(str(part) for part in loc)
    if kind == "extra_forbidden":
        return f"{source}: {dotted}: unknown setting"
    if len(loc) == 1 and kind in _SECTION_TYPE_ERRORS:
        return f"{source}: {dotted}: must be a table [{dotted}]"
    info = _field(loc)
    if kind == PROBLEM:
        problem = error["ctx"]["problem"]
    elif kind in _TYPE_NAMES:
        problem = f"must be {_TYPE_NAMES[kind]}"
    elif kind in _LIMIT_ERRORS and info is not None:
        problem = _limits(info)
    elif kind == "string_too_long":
        problem = f"must be at most {error['ctx']['max_length']} characters (got {len(value)})"
        return f"{source}: {dotted}: {problem}"  # never the long value itself
    elif kind == "string_too_short":
        problem = "must not be empty"
    elif kind == "string_pattern_mismatch":
        problem = "may hold only lowercase letters, digits, - and _"
    else:  # never pydantic's own words
        problem = "is not a valid value"
    if info is not None and info.annotation is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)  # a whole number is taken as a number, and shown as one
    return f"{source}: {dotted}: {problem} (got {value!r})"


def _check_hub(settings, source):
    """A hub address needs a token, and plain http only to this machine unless allowed."""
    hub = settings.hub
    if not hub.url:
        return
    parts = urlparse(hub.url)
    if parts.scheme == "http" and not hub.allow_plain_http and not is_loopback_host(parts.hostname):
        raise SettingsError(
            f"{source}: hub.url: plain http:// would send the token and the figures unencrypted; "
            f"use https:// (see README, the hub behind HTTPS), or set hub.allow_plain_http = true "
            f"(got {hub.url!r})"
        )
    if not hub.token:
        raise SettingsError(
            f"{source}: hub.token: needed when hub.url is set (or set KIOSK_HUB_TOKEN); "
            "`python -m kiosk hub add-kiosk NAME --station CODE` prints it"
        )


def _check_period(settings):
    start, end = settings.eit.period_start, settings.eit.period_end
    if start and end and dt.date.fromisoformat(end) < dt.date.fromisoformat(start):
        raise SettingsError("eit.period_end: must not be before eit.period_start")


def eit_window(settings, year):
    """(start, end) of the station's EIT collection window in fiscal year `year`: the
    settings' dates moved to that year, or 1 January to 30 June."""
    start, end = settings.eit.period_start, settings.eit.period_end
    if not start and not end:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    shift = year - fiscal_year(dt.date.fromisoformat(end or start))
    first = _shifted(dt.date.fromisoformat(start), shift) if start else dt.date(year, 1, 1)
    last = _shifted(dt.date.fromisoformat(end), shift) if end else dt.date(year, 6, 30)
    return first, last


def _shifted(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def eit_period(settings, today):
    """The EIT collection window of today's fiscal year (see eit_window)."""
    return eit_window(settings, fiscal_year(today))
