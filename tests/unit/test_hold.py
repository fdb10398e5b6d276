"""The kiosk hold (kiosk.store.hold) is decided on the log as it stands when it is written."""

from kiosk.store import hold
from kiosk.store.eventlog import EventLog


def test_a_stale_finding_does_not_hold_a_log_that_has_caught_up(db):
    """A sync read the log's head (0) before a restore brought the hub's events back; its
    finding, arriving after the restore, must not hold the kiosk again."""
    log = EventLog(db, "k1")
    for level in (5, 3):
        log.record_rating(level)
    assert hold.hold(db, 0, 2) is False
    assert hold.current(db) is None


def test_a_log_behind_the_hub_is_held_with_its_real_head(db):
    EventLog(db, "k1").record_rating(4)
    assert hold.hold(db, 0, 3) is True
    assert hold.current(db)["local_head"] == 1 and hold.current(db)["hub_acked"] == 3
