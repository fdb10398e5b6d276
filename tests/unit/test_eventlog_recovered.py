"""EventLog.append_recovered: events the hub gives back are appended as they were, or not at all."""

from datetime import datetime, timezone

import pytest

from kiosk.core.events import ValidationError, event_hash
from kiosk.store import db as kdb
from kiosk.store import migrations
from kiosk.store.eventlog import EventLog
from tests.helpers.fake_log import fill_log

START = datetime(2025, 3, 1, tzinfo=timezone.utc).timestamp()


@pytest.fixture
def original(tmp_path):
    """The rows of a kiosk's whole log (as the hub holds them)."""
    fill_log(tmp_path / "old.db", "kiosk-1", 50, START, 86400, comments=True)
    db = kdb.connect(tmp_path / "old.db")
    rows = [e.as_row() for e in EventLog(db, "kiosk-1").events_since(0, 100)]
    db.conn.close()
    return rows


@pytest.fixture
def empty(tmp_path):
    db = kdb.connect(tmp_path / "new.db")
    migrations.migrate(db)
    yield EventLog(db, "kiosk-1")
    db.conn.close()


def _rows(log):
    return [e.as_row() for e in log.events_since(0, 1000)]


def test_recovered_events_are_the_same_rows_and_the_chain_verifies(empty, original):
    empty.append_recovered(original[:20])
    empty.append_recovered(original[20:])
    assert _rows(empty) == original and empty.verify_chain() == (True, None)
    # A new tap follows the recovered head.
    event = empty.record_rating(5)
    assert event.seq == len(original) + 1 and event.prev_hash == original[-1]["hash"]


def _rehash(row, **changes):
    row = {**row, **changes}
    row["hash"] = event_hash(*(row[key] for key in list(row)[:-1]))
    return row


@pytest.mark.parametrize(
    "bad, field",
    [
        (lambda rows: rows[:3] + rows[4:], "seq"),  # a gap
        (lambda rows: [rows[0], _rehash(rows[1], prev_hash="1" * 64)] + rows[2:], "prev_hash"),  # another chain
        (lambda rows: [rows[0], {**rows[1], "at": "2025-03-01T00:00:01Z"}] + rows[2:], "hash"),  # changed
        (lambda rows: [rows[0], _rehash(rows[1], id=rows[0]["id"], prev_hash=rows[0]["hash"])], "id"),  # id again
        (lambda rows: [{**rows[0], "kind": "comment"}], "kind"),
    ],
)
def test_a_row_that_does_not_continue_the_log_writes_nothing_of_the_call(empty, original, bad, field):
    empty.append_recovered(original[:2])
    rows = bad(original[2:12])
    with pytest.raises(ValidationError) as error:
        empty.append_recovered(rows)
    assert error.value.field == field
    assert _rows(empty) == original[:2]


def test_recovered_rows_must_follow_the_local_head(empty, original):
    empty.record_rating(4)  # a tap of its own: the hub's seq 1 is not this log's
    with pytest.raises(ValidationError) as error:
        empty.append_recovered(original[1:5])
    assert error.value.field == "prev_hash" and "differ" in error.value.message
