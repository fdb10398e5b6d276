"""The citizen's screens on the kiosk."""

from flask import Blueprint

from kiosk.web.displays import refuse_unless_recording_allowed

bp = Blueprint("citizen", __name__)
# Only the kiosk's own screen records here; another browser on the network may only look.
bp.before_request(refuse_unless_recording_allowed)

from kiosk.citizen import eit, feedback, info, phone, routes  # noqa: E402,F401  (registers the views)
