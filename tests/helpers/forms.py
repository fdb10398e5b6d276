"""Kiosk forms through Flask's test client, with the CSRF token the page carries."""

import re


def csrf_token(client, page="/home"):
    """The CSRF token a citizen's page carries, as the browser would send it."""
    html = client.get(page).get_data(as_text=True)
    return re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)


def post_form(client, url, data):
    """POST a kiosk form with its CSRF token, as the page would."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client)})
