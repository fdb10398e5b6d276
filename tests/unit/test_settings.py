import datetime as dt
import re

import pytest
from pydantic import ValidationError

from kiosk.config.model import Feedback, Kiosk, Settings
from kiosk.config.settings import SettingsError, eit_period, fiscal_year, load_settings
from kiosk.store import eventlog


def write(tmp_path, text):
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_run_the_demo_station():
    settings = load_settings(environ={})
    assert settings.station.demo is True
    assert settings.kiosk.idle_seconds == 60
    assert settings.eit.quota == {
        "administration": 15,
        "crime_prevention": 120,
        "traffic": 60,
        "investigation": 105,
    }


def test_file_overrides_only_what_it_names(tmp_path):
    path = write(tmp_path, '[kiosk]\nidle_seconds = 0\n[station]\nname_en = "Test Station"\n')
    settings = load_settings(path, environ={})
    assert settings.kiosk.idle_seconds == 0
    assert settings.station.name_en == "Test Station"
    assert settings.station.name_th == "สถานีตำรวจภูธรจังหาร"


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
    assert settings.secrets.duty_pin == "2222"


def test_fiscal_year_starts_in_october():
    assert fiscal_year(dt.date(2024, 10, 1)) == 2025
    assert fiscal_year(dt.date(2025, 9, 30)) == 2025


def test_eit_period_defaults_to_january_to_june_of_the_fiscal_year():
    settings = load_settings(environ={})
    assert eit_period(settings, dt.date(2024, 11, 24)) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))


def test_the_window_set_for_one_year_serves_every_year_alike():
    """The posters (eit_period) and the dashboards (each period's year) read one rule."""
    settings = load_settings(environ={}, overrides={"eit": {"period_start": "2025-02-01", "period_end": "2025-07-31"}})
    assert eit_period(settings, dt.date(2026, 12, 2)) == (dt.date(2027, 2, 1), dt.date(2027, 7, 31))
    assert eit_period(settings, dt.date(2025, 3, 1)) == (dt.date(2025, 2, 1), dt.date(2025, 7, 31))


# The model itself: one description per setting.


def _fields():
    for section_name, section in Settings.model_fields.items():
        for name, field in section.annotation.model_fields.items():
            yield f"{section_name}.{name}", field


def test_every_setting_has_a_thai_and_an_english_label_and_help():
    fields = dict(_fields())
    assert len(fields) > 30
    for dotted, field in fields.items():
        labels = field.json_schema_extra
        assert re.search("[\u0e01-\u0e4f]", labels["label_th"]), dotted
        assert labels["label_en"].strip() and field.description.strip(), dotted
    for name, section in Settings.model_fields.items():
        assert section.json_schema_extra["label_th"] and section.json_schema_extra["label_en"], name


def test_the_schema_carries_the_labels_for_the_admin_forms():
    schema = Settings.model_json_schema()
    idle = schema["$defs"]["Kiosk"]["properties"]["idle_seconds"]
    assert idle["default"] == 60 and idle["minimum"] == 0 and idle["label_en"] and idle["label_th"]
    assert schema["$defs"]["Feedback"]["properties"]["mean_band_interval"]["enum"] == [0.8, 0.5]


def test_unknown_keys_are_refused_by_the_model():
    with pytest.raises(ValidationError):
        Settings.model_validate({"kiosk": {"idle_secs": 5}})
    with pytest.raises(ValidationError):
        Settings.model_validate({"kiosks": {}})


def test_settings_are_frozen():
    settings = load_settings(environ={})
    with pytest.raises(ValidationError):
        settings.kiosk = Kiosk()
    with pytest.raises(ValidationError):
        settings.kiosk.idle_seconds = 5


def test_types_are_strict_but_a_whole_number_is_a_number():
    with pytest.raises(ValidationError):
        Kiosk(thai_digits=1)
    with pytest.raises(ValidationError):
        Kiosk(idle_seconds=True)
    with pytest.raises(ValidationError):
        Kiosk(id=5)
    hub = Settings.model_validate({"hub": {"interval_seconds": 5}}).hub
    assert hub.interval_seconds == 5.0 and isinstance(hub.interval_seconds, float)


def test_the_event_log_limits_default_to_the_feedback_settings():
    feedback = Feedback()
    assert feedback.repeat_window_seconds == eventlog.DEFAULT_REPEAT_WINDOW_SECONDS
    assert feedback.burst_max_per_minute == eventlog.DEFAULT_BURST_MAX_PER_MINUTE
    assert feedback.amend_max_age_minutes * 60 == eventlog.DEFAULT_AMEND_MAX_AGE_SECONDS
    assert feedback.comment_max_chars == eventlog.DEFAULT_COMMENT_MAX_CHARS


@pytest.mark.parametrize(
    "text",
    [
        "[kiosk]\nthai_digits = 1\n",
        "[hub]\ntimeout_seconds = true\n",
        "[duty]\nalert_bad_share = 1.5\n",
        "[admin]\nsession_minutes = 0\n",
        "[eit]\nperiod_end = 2025-06-30\n",
        "[station]\nname_th = 5\n",
        "[secrets]\nduty_pin = 1234\n",
    ],
)
def test_errors_are_in_the_kiosks_words(tmp_path, text):
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as error:
        load_settings(path, environ={})
    message = str(error.value)
    assert re.fullmatch(rf"{re.escape(str(path))}: \w+\.\w+: must be [^\n]+ \(got .+\)", message), message
    assert "Input should" not in message and "pydantic" not in message
