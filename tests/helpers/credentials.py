"""The secrets the test kiosks and hubs start with (given through the environment)."""

TEST_SECRETS = {
    "KIOSK_ADMIN_PASSWORD": "test-admin-password",
    "KIOSK_DUTY_PIN": "246810",
    "KIOSK_API_TOKEN": "test-api-token-0123456789abcdef",
}

HUB_SECRETS = {
    "KIOSK_ADMIN_PASSWORD": "test-hub-admin-password",
    "KIOSK_API_TOKEN": "test-hub-admin-api-token-0123456789",
}
