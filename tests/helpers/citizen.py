"""A citizen's kiosk page over real HTTP, for the tests that run real servers."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request


class Browser:
    """A cookie-keeping HTTP client, like one kiosk page."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.opener.open(base + "/home", timeout=10).read().decode()
        self.token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)

    def tap(self, level=5):
        """POST a face with a one-time form id the home screen issued; returns (status, body)."""
        page = self.opener.open(self.base + "/home", timeout=10).read().decode()
        form_id = re.search(r'name="form_id" value="([0-9a-f]{32})"', page).group(1)
        data = urllib.parse.urlencode({"level": level, "form_id": form_id, "csrf_token": self.token}).encode()
        try:
            with self.opener.open(self.base + "/satisfaction", data=data, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            with error:  # an HTTPError holds the connection open until closed
                return error.code, error.read().decode()
