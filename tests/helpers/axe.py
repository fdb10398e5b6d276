"""axe-core (vendored from npm in tests/vendor/axe-core) run in a Playwright page."""

from functools import cache

from tests.helpers.paths import ROOT

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
RUN = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""


@cache
def axe_script():
    """The axe-core script, read once per test process."""
    return AXE.read_text(encoding="utf-8")


def axe_violations(page):
    """What axe finds on the page as it stands, one line per rule: id, impact, where.

    The page's context needs `bypass_csp=True`: the kiosk's policy allows no inline script."""
    page.add_script_tag(content=axe_script())
    return page.evaluate(RUN)
