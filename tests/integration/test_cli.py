"""The command line, as a station admin runs it."""

import subprocess
import sys

import pytest

from tests.helpers.paths import ROOT


def run(*args, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )


@pytest.mark.slow
def test_first_start_prints_the_generated_secrets_once(tmp_path):
    start = f"from kiosk.app import create_app; create_app(data_dir={str(tmp_path)!r})"
    first = subprocess.run(
        [sys.executable, "-c", start], cwd=ROOT, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}
    )
    assert "Duty officer PIN:" in first.stdout and "API token:" in first.stdout
    again = subprocess.run(
        [sys.executable, "-c", start], cwd=ROOT, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"}
    )
    assert again.returncode == 0 and "PIN" not in again.stdout


def test_set_password_refuses_a_short_one(tmp_path):
    result = run("admin", "set-password", "--stdin", "--data-dir", str(tmp_path), stdin="short\n")
    assert result.returncode != 0
    assert "at least 10 characters" in result.stderr


def test_set_password_then_sign_in_with_it(tmp_path, make_app):
    assert (
        run("admin", "set-password", "--stdin", "--data-dir", str(tmp_path), stdin="new-password-123\n").returncode == 0
    )
    from kiosk.store import credentials
    from kiosk.store.db import connect

    db = connect(tmp_path / "kiosk.db")
    assert credentials.verify(db, "admin_password", "new-password-123")


def test_a_bad_settings_file_stops_the_start_with_the_key(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text("[kiosk]\nidle_seconds = -1\n", encoding="utf-8")
    result = run("serve", "--port", "1", "--data-dir", str(tmp_path), "--config", str(config))
    assert result.returncode == 2
    assert "kiosk.idle_seconds: must be 0 or more" in result.stderr


def test_bad_content_stops_the_start_naming_file_and_field(tmp_path):
    content = tmp_path / "content" / "services"
    content.mkdir(parents=True)
    (content / "bail.toml").write_text('slug = "bail"\n', encoding="utf-8")
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[kiosk]\ncontent_dir = "{content.parent}"\n', encoding="utf-8")
    result = run("serve", "--port", "1", "--data-dir", str(tmp_path / "data"), "--config", str(config))
    assert result.returncode == 2
    assert "services/bail.toml" in result.stderr
