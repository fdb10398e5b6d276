"""The request's event log, configured from the settings."""
import uuid

from flask import current_app, g

from .db import get_db
from .eventlog import EventLog


def get_event_log():
    """The event log of this kiosk, on the request's database connection."""
    if "event_log" not in g:
        settings = current_app.config["KIOSK"]
        feedback = settings["feedback"]
        g.event_log = EventLog(
            get_db(),
            settings["kiosk"]["id"],
            repeat_window_seconds=feedback["repeat_window_seconds"],
            burst_max_per_minute=feedback["burst_max_per_minute"],
            amend_max_age_seconds=feedback["amend_max_age_minutes"] * 60,
            comment_max_chars=feedback["comment_max_chars"],
        )
    return g.event_log


def purge_expired_comments():
    """Delete for good the comments older than the retention setting; returns how many.

    Called at start, whenever a comment is written and before comments are read, so
    that no expired comment is ever shown or exported."""
    days = current_app.config["KIOSK"]["feedback"]["comment_retention_days"]
    return get_event_log().delete_comments_older_than(days)


def new_form_id():
    """A one-time id for a form: the event it records carries it, so a replay is refused."""
    return uuid.uuid4().hex
