"""Flask extensions, made here and bound to the app in create_app."""

from flask_htmx import HTMX

from kiosk.web.security import CSRFProtect

htmx = HTMX()
csrf = CSRFProtect()
