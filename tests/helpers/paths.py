"""Where things are on this machine."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository's root: the working directory of every server the tests start."""

CHROMIUM = "/usr/bin/chromium"
"""Debian's Chromium: Playwright cannot download its own browser here."""
