"""The real server driven in headless Chromium."""
