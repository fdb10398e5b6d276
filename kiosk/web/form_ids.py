"""One-time form ids: issued by the server with each form it renders, used once.

Every form that records an event (a rating, a follow-up, an EIT referral) carries a
`form_id` that becomes the event's id. The server issues it into the visit's session as
it renders the form (the newest KEEP ids are kept) and takes it back when the event is
recorded, so a rating needs a form the server drew: a missing, malformed or unknown id is
refused with 422 and a message in Thai and English, and the replay of a recorded form is
refused with 409 by the event log as before. An id stays issued when recording fails
(a bad level, the pause, a full disk), so the same screen can be tapped again.
"""

import re
import uuid

from flask import session

from kiosk.web.database import get_event_log

SESSION_KEY = "form_ids"
KEEP = 10  # a visit rarely has more than two or three forms open at once
_FORM_ID = re.compile(r"[0-9a-f]{32}")


def new_form_id():
    """A one-time id for a form this response draws, issued into the visit's session."""
    form_id = uuid.uuid4().hex
    session[SESSION_KEY] = [*session.get(SESSION_KEY, [])[-(KEEP - 1) :], form_id]
    return form_id


class FormIdRefused(Exception):
    """The posted form id cannot be used (answered 422 by kiosk.web.answers.refused)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def check_form_id(value):
    """The posted form id when the server issued it to this visit, or when it was already
    recorded (the event log then refuses the replay with 409); raises FormIdRefused."""
    if not value:
        raise FormIdRefused("missing: each form carries the one-time id its screen was drawn with")
    if not isinstance(value, str) or not _FORM_ID.fullmatch(value):
        raise FormIdRefused("malformed: 32 lowercase hexadecimal characters")
    if value not in session.get(SESSION_KEY, ()) and not get_event_log().recorded(value):
        raise FormIdRefused("unknown: not issued by this kiosk to this visit, or too old")
    return value


def used_form_id(value):
    """Take a form id back once its event is recorded: it cannot be used again."""
    issued = session.get(SESSION_KEY, [])
    if value in issued:
        session[SESSION_KEY] = [form_id for form_id in issued if form_id != value]
