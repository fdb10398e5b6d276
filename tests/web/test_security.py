"""Security headers and cookies."""


def test_pages_allow_only_their_own_origin(client):
    response = client.get("/home")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Server" not in response.headers


def test_session_cookie_is_http_only_and_same_site(client):
    client.get("/home?lang=en")
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"
    assert not cookie.secure


def test_session_cookie_is_secure_over_https(app):
    client = app.test_client()
    response = client.get("/home?lang=en", base_url="https://kiosk.example")
    assert "Secure" in response.headers["Set-Cookie"]
