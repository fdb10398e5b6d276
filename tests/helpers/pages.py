"""What a citizen screen says, read from its HTML."""

from kiosk.web.linebreaks import unmark


def page_text(response):
    """A response's HTML without the Thai line-break marks (kiosk.web.linebreaks): each
    sentence is one run of text again, as the templates wrote it."""
    html = response if isinstance(response, str) else response.get_data(as_text=True)
    return unmark(html)
