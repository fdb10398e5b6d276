"""Where the program and its data live, for every command and both roles."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STATIC_DIR = PROJECT_ROOT / "static"
TEMPLATES_DIR = PROJECT_ROOT / "templates"
SIGNAGE_DIR = PROJECT_ROOT / "signage"

KIOSK, HUB = "kiosk", "hub"
DATA_DIR_ENV = "KIOSK_DATA_DIR"


def default_data_dir(role=KIOSK, environ=None):
    """$KIOSK_DATA_DIR, or instance/ (instance/hub/ for the hub) beside the program."""
    environ = os.environ if environ is None else environ
    if environ.get(DATA_DIR_ENV):
        return Path(environ[DATA_DIR_ENV])
    return PROJECT_ROOT / "instance" / ("hub" if role == HUB else "")


def resolve_data_dir(data_dir=None, role=KIOSK):
    """The data directory given, or the default for the role, as an absolute path."""
    return Path(data_dir or default_data_dir(role)).resolve()
