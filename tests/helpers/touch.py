"""A finger on the kiosk's touch screen."""


def centre(locator):
    """The middle of the first element `locator` finds, in the page's CSS pixels."""
    box = locator.first.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def tap(page, selector):
    """A touch tap on the middle of the first element matching `selector`."""
    page.touchscreen.tap(*centre(page.locator(selector)))
