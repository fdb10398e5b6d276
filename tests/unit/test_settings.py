import datetime as dt

import pytest

from kiosk.config.settings import SettingsError, eit_period, fiscal_year, load_settings


def write(tmp_path, text):
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_run_the_demo_station():
    settings = load_settings(environ={})
    assert settings["station"]["demo"] is True
    assert settings["kiosk"]["idle_seconds"] == 60
    assert settings["eit"]["quota"] == {
        "administration": 15,
        "crime_prevention": 120,
        "traffic": 60,
        "investigation": 105,
    }


def test_file_overrides_only_what_it_names(tmp_path):
    path = write(tmp_path, '[kiosk]\nidle_seconds = 0\n[station]\nname_en = "Test Station"\n')
    settings = load_settings(path, environ={})
    assert settings["kiosk"]["idle_seconds"] == 0
    assert settings["station"]["name_en"] == "Test Station"
    assert settings["station"]["name_th"] == "สถานีตำรวจภูธรจังหาร"


@pytest.mark.parametrize(
    "text, message",
    [
        ('[kiosk]\nidle_seconds = "sixty"\n', "kiosk.idle_seconds: must be a whole number"),
        ("[kiosk]\nidle_seconds = -5\n", "kiosk.idle_seconds: must be 0 or more"),
        ("[kiosk]\nidle_secs = 5\n", "kiosk.idle_secs: unknown setting"),
        ('[station]\nwebsite = "http://example.go.th"\n', "station.website: must be an https:// address"),
        ("[eit]\nquota = { traffic = -1 }\n", "eit.quota: traffic must be a whole number"),
        ("[eit]\nquota = { roads = 3 }\n", "eit.quota: unknown unit 'roads'"),
        ('[eit]\nperiod_start = "1/1/2568"\n', "eit.period_start: must be a date"),
        ('[secrets]\nduty_pin = "12ab"\n', "secrets.duty_pin: must be 4 to 8 digits"),
        ("[feedback]\nmean_band_interval = 0.7\n", "feedback.mean_band_interval: must be 0.8 or 0.5"),
        ("kiosk = 3\n", "kiosk: must be a table"),
        ("[kiosk\n", "not valid TOML"),
    ],
)
def test_bad_settings_name_the_file_and_the_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as error:
        load_settings(path, environ={})
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(SettingsError, match="settings file not found"):
        load_settings(tmp_path / "nope.toml", environ={})


def test_period_end_before_start_is_refused(tmp_path):
    path = write(tmp_path, '[eit]\nperiod_start = "2026-06-30"\nperiod_end = "2026-01-01"\n')
    with pytest.raises(SettingsError, match="eit.period_end"):
        load_settings(path, environ={})


def test_secrets_from_the_environment_win(tmp_path):
    path = write(tmp_path, '[secrets]\nduty_pin = "1111"\n')
    settings = load_settings(path, environ={"KIOSK_DUTY_PIN": "2222"})
    assert settings["secrets"]["duty_pin"] == "2222"


def test_fiscal_year_starts_in_october():
    assert fiscal_year(dt.date(2024, 10, 1)) == 2025
    assert fiscal_year(dt.date(2025, 9, 30)) == 2025


def test_eit_period_defaults_to_january_to_june_of_the_fiscal_year():
    settings = load_settings(environ={})
    assert eit_period(settings, dt.date(2024, 11, 24)) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
