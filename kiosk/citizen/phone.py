"""The "open this page on your phone" code: each citizen screen's page in the published site.

A citizen who cannot read the kiosk's screen (blind, low vision, or in a hurry) scans it
and gets the same content on their own phone, with its own zoom and screen reader. The
screens of the satisfaction flow have no page (the phone site takes no answers), and the
EIT code screen shows the one code that matters there, so neither gets one.
"""

from flask import current_app, request

from kiosk.citizen import bp
from kiosk.content import pages
from kiosk.web.i18n import current_language

# Endpoint -> the page of the published site that says the same (view args -> page name).
SCREEN_PAGES = {
    "citizen.attract": lambda args: pages.INDEX,
    "citizen.home": lambda args: pages.INDEX,
    "citizen.manual": lambda args: pages.MANUAL,
    "citizen.manual_situation": lambda args: pages.situation_page(args["key"]),
    "citizen.policy": lambda args: pages.POLICY,
    "citizen.eservices": lambda args: pages.ESERVICES,
    "citizen.about": lambda args: pages.ABOUT,
    "citizen.case_progress": lambda args: pages.CASE_PROGRESS,
    "citizen.eit": lambda args: pages.EIT,
}


def phone_page_url():
    """This screen's page in the published site, in the visit's language; None where there is none."""
    page = SCREEN_PAGES.get(request.endpoint)
    if page is None:
        return None
    base = current_app.config["KIOSK"].public.base_url
    return pages.page_url(base, page(request.view_args or {}), current_language())


@bp.context_processor
def _phone_page():
    return {"phone_page_url": phone_page_url}
