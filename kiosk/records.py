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


def new_form_id():
    """A one-time id for a form: the event it records carries it, so a replay is refused."""
    return uuid.uuid4().hex
