"""Kiosk forms through Flask's test client, with the CSRF token the page carries."""

import re

from tests.helpers.credentials import HUB_SECRETS, TEST_SECRETS

ISSUED_FORM_ID = re.compile(r'name="form_id" value="([0-9a-f]{32})"')


def csrf_token(client, page="/home"):
    """The CSRF token a citizen's page carries, as the browser would send it."""
    html = client.get(page).get_data(as_text=True)
    return re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)


def post_form(client, url, data):
    """POST a kiosk form with its CSRF token, as the page would.

    A `form_id` the test names stands for a one-time id the server issued: its first use
    takes a fresh id from a page, and a repeat of the name sends that same id again."""
    page = client.get("/home").get_data(as_text=True)
    data = {**data, "csrf_token": re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)}
    issued = ISSUED_FORM_ID.search(page)
    if "form_id" in data and issued:  # none while feedback is paused
        names = client.__dict__.setdefault("issued_form_ids", {})
        data["form_id"] = names.setdefault(data["form_id"], issued.group(1))
    return client.post(url, data=data)


def hub_signed_in_page(client, path):
    """A hub page, after signing in as the hub's admin through the form."""
    page = client.get("/hub/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/hub/login", data={"username": "admin", "password": HUB_SECRETS["KIOSK_ADMIN_PASSWORD"], "csrf_token": csrf}
    )
    assert response.status_code == 302
    return client.get(path).get_data(as_text=True)


def admin_signed_in(client):
    """The kiosk's test client, signed in as the station's admin through the form."""
    token = csrf_token(client, "/admin/login")
    response = client.post(
        "/admin/login",
        data={"username": "admin", "password": TEST_SECRETS["KIOSK_ADMIN_PASSWORD"], "next": "", "csrf_token": token},
    )
    assert response.status_code == 302
    return client
