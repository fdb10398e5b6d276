"""Tallies computed from the event log: official vs raw, amendments, dates, bands, pace."""

from datetime import date, datetime, timezone

import pytest

from kiosk.core.vocab import DEFAULT_EIT_QUOTA, REASONS, UNITS
from kiosk.reports.tallies import band_for, eit_pace, tallies
from kiosk.store.eventlog import EventLog
from tests.helpers.clock import FakeClock, utc_timestamp


@pytest.fixture
def clock():
    return FakeClock(utc_timestamp("2025-03-10T03:00:00Z"))  # 10:00 in Bangkok


@pytest.fixture
def log(db, clock):
    return EventLog(db, "kiosk-1", clock=clock)


def test_empty_log_gives_the_contract_shape_with_zeros(db):
    t = tallies(db)
    s, e = t["satisfaction"], t["eit"]
    assert s["total"] == 0 and s["counts"] == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}
    assert s["mean"] is None and s["percent_satisfied"] is None and s["band"] is None
    assert s["raw"] == {"total": 0, "counts": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}, "mean": None}
    assert s["by_day"] == {} and s["by_hour"] == {str(h): 0 for h in range(24)}
    assert s["reasons"] == dict.fromkeys(REASONS, 0)
    assert e == {
        "total": 0,
        "by_unit": dict.fromkeys(UNITS, 0),
        "not_sure": 0,
        "quota": {"administration": 15, "crime_prevention": 120, "traffic": 60, "investigation": 105},
        "raw": {"total": 0, "by_unit": dict.fromkeys(UNITS, 0), "not_sure": 0},
        "flagged": 0,
    }


def test_counts_mean_percent_and_band(db, log, clock):
    for level in (5, 5, 4, 3):
        log.record_rating(level)
        clock.advance(60)
    s = tallies(db)["satisfaction"]
    assert s["total"] == 4
    assert s["counts"] == {"1": 0, "2": 0, "3": 1, "4": 1, "5": 2}
    assert s["mean"] == 4.25
    assert s["percent_satisfied"] == 75.0
    assert s["band"] == "highest"
    assert s["raw"]["total"] == 4 and s["flagged"] == 0
    assert tallies(db, band_interval=0.5)["satisfaction"]["band"] == "high"


def test_mean_rounds_half_up(db, log, clock):
    for level in (5, 5, 5, 5, 5, 4, 4, 4):
        log.record_rating(level)
        clock.advance(60)
    assert tallies(db)["satisfaction"]["mean"] == 4.63  # 37/8 = 4.625
    for level in (1, 1, 1, 1, 1, 1, 1, 1):
        log.record_rating(level)
        clock.advance(60)
    s = tallies(db)["satisfaction"]
    assert s["mean"] == 2.81  # 45/16 = 2.8125
    assert s["percent_satisfied"] == 50.0


def test_rating_and_amendments_are_one_answer(db, log, clock):
    answer = log.record_rating(4).answer_id
    clock.advance(5)
    log.amend(answer, unit="traffic", aspects={"staff": 5, "process": 3}, reasons=["polite_staff", "waited_too_long"])
    clock.advance(5)
    log.amend(answer, unit="investigation", aspects={"process": 4}, reasons=["polite_staff"], comment="ดีมาก")
    s = tallies(db)["satisfaction"]
    assert s["total"] == 1 and s["raw"]["total"] == 1
    assert s["counts"]["4"] == 1
    assert s["by_unit"]["investigation"] == {"total": 1, "mean": 4.0}
    assert s["by_unit"]["traffic"] == {"total": 0, "mean": None}
    assert s["aspects"]["staff"]["counts"]["5"] == 1 and s["aspects"]["staff"]["mean"] == 5.0
    assert s["aspects"]["process"]["counts"] == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0}
    assert s["aspects"]["facilities"] == {"total": 0, "counts": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}, "mean": None}
    assert s["reasons"]["polite_staff"] == 1 and s["reasons"]["waited_too_long"] == 0
    assert s["comments"] == 1


def test_by_unit_includes_not_sure(db, log, clock):
    for level, unit in ((5, "not_sure"), (3, "not_sure"), (2, "administration")):
        log.amend(log.record_rating(level).answer_id, unit=unit)
        clock.advance(60)
    by_unit = tallies(db)["satisfaction"]["by_unit"]
    assert by_unit["not_sure"] == {"total": 2, "mean": 4.0}
    assert by_unit["administration"] == {"total": 1, "mean": 2.0}
    assert set(by_unit) == set(UNITS) | {"not_sure"}


def test_twenty_rapid_ratings_count_once_and_twenty_times_raw(db, log, clock):
    answers = []
    for _ in range(20):
        answers.append(log.record_rating(5).answer_id)
        clock.advance(1)
    log.amend(answers[0], unit="traffic")
    log.amend(answers[7], unit="administration", reasons=["fast_service"], comment="x")
    s = tallies(db)["satisfaction"]
    assert s["total"] == 1 and s["counts"]["5"] == 1
    assert s["raw"]["total"] == 20 and s["raw"]["counts"]["5"] == 20 and s["raw"]["mean"] == 5.0
    assert s["flagged"] == 19
    # the flagged answer's amendments are raw only
    assert s["by_unit"]["traffic"]["total"] == 1
    assert s["by_unit"]["administration"]["total"] == 0
    assert s["reasons"]["fast_service"] == 0 and s["comments"] == 0
    assert s["by_hour"]["10"] == 1


def test_referrals_per_unit_not_sure_and_flagged(db, log, clock):
    plan = ["traffic", "traffic", "investigation", "not_sure", "administration", "traffic"]
    for unit in plan:
        log.record_referral(unit)
        clock.advance(30)
    log.record_referral("traffic")  # 30 s after the last traffic: counted
    clock.advance(2)
    log.record_referral("traffic")  # repeat: flagged
    log.record_referral("crime_prevention")
    e = tallies(db, quota={"administration": 50, "traffic": 60})["eit"]
    assert e["by_unit"] == {"administration": 1, "crime_prevention": 1, "traffic": 4, "investigation": 1}
    assert e["not_sure"] == 1
    assert e["total"] == 8
    assert e["raw"]["by_unit"]["traffic"] == 5 and e["raw"]["total"] == 9 and e["raw"]["not_sure"] == 1
    assert e["flagged"] == 1
    assert e["quota"] == {"administration": 50, "crime_prevention": 0, "traffic": 60, "investigation": 0}
    assert tallies(db)["eit"]["quota"] == DEFAULT_EIT_QUOTA


def test_bangkok_day_boundary(db):
    clock = FakeClock(utc_timestamp("2025-01-01T16:59:59Z"))  # 23:59:59 on the 1st in Bangkok
    log = EventLog(db, "k", clock=clock)
    log.record_rating(2)
    log.record_referral("traffic")
    clock.t = utc_timestamp("2025-01-01T17:30:00Z")  # 00:30 on the 2nd in Bangkok
    log.record_rating(5)
    log.record_referral("investigation")
    first = tallies(db, date(2025, 1, 1), date(2025, 1, 1))
    second = tallies(db, date(2025, 1, 2), date(2025, 1, 2))
    assert first["satisfaction"]["counts"]["2"] == 1 and first["satisfaction"]["total"] == 1
    assert first["satisfaction"]["by_hour"]["23"] == 1
    assert first["eit"]["by_unit"]["traffic"] == 1 and first["eit"]["total"] == 1
    assert second["satisfaction"]["counts"]["5"] == 1 and second["satisfaction"]["total"] == 1
    assert second["satisfaction"]["by_day"] == {"2025-01-02": {"total": 1, "mean": 5.0}}
    assert second["satisfaction"]["by_hour"]["0"] == 1
    assert second["eit"]["by_unit"]["investigation"] == 1 and second["eit"]["by_unit"]["traffic"] == 0
    both = tallies(db, date(2025, 1, 1), date(2025, 1, 3))
    assert both["satisfaction"]["by_day"] == {
        "2025-01-01": {"total": 1, "mean": 2.0},
        "2025-01-02": {"total": 1, "mean": 5.0},
        "2025-01-03": {"total": 0, "mean": None},
    }
    assert both["period"] == {"from": "2025-01-01", "to": "2025-01-03", "tz": "Asia/Bangkok"}
    assert tallies(db, date_from=date(2025, 1, 2))["satisfaction"]["total"] == 1
    assert tallies(db, date_to=date(2025, 1, 1))["satisfaction"]["total"] == 1
    assert tallies(db, date(2024, 12, 31), date(2024, 12, 31))["satisfaction"]["total"] == 0
    in_utc = tallies(db, date(2025, 1, 1), date(2025, 1, 1), tz=timezone.utc)
    assert in_utc["satisfaction"]["total"] == 2 and in_utc["satisfaction"]["by_hour"]["17"] == 1
    assert in_utc["period"]["tz"] == "UTC"


def test_amendment_after_the_period_still_counts_for_the_answer(db):
    clock = FakeClock(utc_timestamp("2025-01-31T16:55:00Z"))  # 23:55 on 31 January in Bangkok
    log = EventLog(db, "k", clock=clock)
    answer = log.record_rating(3).answer_id
    clock.advance(600)  # 00:05 on 1 February
    log.amend(answer, unit="traffic")
    january = tallies(db, date(2025, 1, 1), date(2025, 1, 31))["satisfaction"]
    assert january["by_unit"]["traffic"] == {"total": 1, "mean": 3.0}
    assert tallies(db, date(2025, 2, 1), date(2025, 2, 28))["satisfaction"]["total"] == 0


def test_bad_arguments(db):
    with pytest.raises(ValueError):
        tallies(db, date(2025, 2, 1), date(2025, 1, 1))
    with pytest.raises(TypeError):
        tallies(db, "2025-01-01")
    with pytest.raises(TypeError):
        tallies(db, datetime(2025, 1, 1))


@pytest.mark.parametrize(
    "mean, interval, band",
    [
        (4.21, 0.8, "highest"),
        (4.20, 0.8, "high"),
        (5.0, 0.8, "highest"),
        (3.41, 0.8, "high"),
        (3.40, 0.8, "moderate"),
        (2.61, 0.8, "moderate"),
        (2.60, 0.8, "low"),
        (1.81, 0.8, "low"),
        (1.80, 0.8, "lowest"),
        (1.0, 0.8, "lowest"),
        (4.205, 0.8, "highest"),
        (4.2049, 0.8, "high"),
        (4.51, 0.5, "highest"),
        (4.50, 0.5, "high"),
        (3.51, 0.5, "high"),
        (3.50, 0.5, "moderate"),
        (2.51, 0.5, "moderate"),
        (2.50, 0.5, "low"),
        (1.51, 0.5, "low"),
        (1.50, 0.5, "lowest"),
    ],
)
def test_band_for(mean, interval, band):
    assert band_for(mean, interval) == band


def test_band_for_bad_input():
    assert band_for(None) is None
    with pytest.raises(ValueError):
        band_for(4.0, interval=0.6)
    with pytest.raises(ValueError):
        band_for(5.01)
    with pytest.raises(ValueError):
        band_for(0.99)


def test_eit_pace_hand_computed():
    # 1 Jan to 30 Jun 2025 = 181 days; on 1 March, 59 days (Jan 31 + Feb 28) have elapsed
    # and 122 are left, today included.
    pace = eit_pace(
        {"administration": 15, "crime_prevention": 30, "traffic": 20, "investigation": 0},
        DEFAULT_EIT_QUOTA,
        date(2025, 1, 1),
        date(2025, 6, 30),
        date(2025, 3, 1),
    )
    assert pace["crime_prevention"] == {
        "done": 30,
        "quota": 120,
        "percent": 25.0,
        "remaining": 90,
        "days_left": 122,
        "needed_per_day": 0.74,  # 90 / 122 = 0.7377
        "expected": 39.12,  # 120 * 59 / 181 = 39.116
        "behind": True,
    }
    assert pace["traffic"] == {
        "done": 20,
        "quota": 60,
        "percent": 33.33,
        "remaining": 40,
        "days_left": 122,
        "needed_per_day": 0.33,
        "expected": 19.56,
        "behind": False,  # 60 * 59 / 181 = 19.558
    }
    assert pace["administration"]["remaining"] == 0 and pace["administration"]["needed_per_day"] == 0.0
    assert pace["administration"]["percent"] == 100.0 and pace["administration"]["behind"] is False
    assert pace["investigation"]["needed_per_day"] == 0.86  # 105 / 122 = 0.8607
    assert pace["investigation"]["behind"] is True
    assert pace["total"] == {
        "done": 65,
        "quota": 300,
        "percent": 21.67,
        "remaining": 235,
        "days_left": 122,
        "needed_per_day": 1.93,
        "expected": 97.79,
        "behind": True,  # 235/122, 300*59/181
    }


def test_eit_pace_before_and_after_the_period():
    quota = {"traffic": 60}
    before = eit_pace({}, quota, date(2025, 1, 1), date(2025, 6, 30), date(2024, 12, 15))
    assert before["traffic"]["days_left"] == 181 and before["traffic"]["behind"] is False
    assert before["traffic"]["needed_per_day"] == 0.33  # 60 / 181
    assert before["administration"]["percent"] is None  # no quota
    last_day = eit_pace({"traffic": 59}, quota, date(2025, 1, 1), date(2025, 6, 30), date(2025, 6, 30))
    assert last_day["traffic"]["days_left"] == 1 and last_day["traffic"]["needed_per_day"] == 1.0
    after = eit_pace({"traffic": 59}, quota, date(2025, 1, 1), date(2025, 6, 30), date(2025, 7, 1))
    assert after["traffic"]["days_left"] == 0 and after["traffic"]["needed_per_day"] is None
    assert after["traffic"]["behind"] is True and after["traffic"]["expected"] == 60.0
    with pytest.raises(ValueError):
        eit_pace({}, quota, date(2025, 6, 30), date(2025, 1, 1), date(2025, 3, 1))


def test_eit_pace_rounds_half_up():
    # 8-day period, first day: 1 left over 8 days = 0.125 -> 0.13; 1 of 8 done = 12.5 %
    pace = eit_pace(
        {"traffic": 1}, {"traffic": 8, "administration": 1}, date(2025, 1, 1), date(2025, 1, 8), date(2025, 1, 1)
    )
    assert pace["administration"]["needed_per_day"] == 0.13
    assert pace["traffic"]["percent"] == 12.5 and pace["traffic"]["needed_per_day"] == 0.88
