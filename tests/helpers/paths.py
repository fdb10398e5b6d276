"""Where things are on this machine."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository's root: the working directory of every server the tests start."""

CHROMIUM = "/usr/bin/chromium"
"""Debian's Chromium: Playwright cannot download its own browser here."""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""Headless in a container, and no request of its own to the internet."""


def screenshot_path(name, scratch_dir):
    """Where a test saves a screenshot: the README's docs/ when UPDATE_DOCS=1 is set (to
    refresh the pictures on purpose), else `scratch_dir`, so a test run leaves the tree clean."""
    import os

    return (ROOT / "docs" if os.environ.get("UPDATE_DOCS") == "1" else Path(scratch_dir)) / name
