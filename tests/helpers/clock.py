"""A clock the tests move by hand, and ISO times as epoch seconds."""

import datetime as dt


def utc_timestamp(text):
    """Seconds since the epoch for an ISO time such as 2026-11-24T03:37:42Z."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class FakeClock:
    """A clock the tests move by hand, for the event log's `clock`."""

    def __init__(self, t=0.0):
        self.t = t

    def __call__(self):
        return self.t

    def advance(self, seconds):
        """Move the clock forward by `seconds`."""
        self.t += seconds

    def at(self, text):
        """Set the clock to an ISO time such as 2026-11-24T03:37:42Z."""
        self.t = utc_timestamp(text)
