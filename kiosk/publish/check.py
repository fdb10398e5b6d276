"""Does a published folder hold the page behind every code the kiosk and the posters show?

The codes are given as (where shown, address) pairs (`python -m kiosk publish --check`
gathers them from the screens, the printable pages and the posters). An address under the
public base URL must be a file of the folder; any other address (ITAS, ptm.police.go.th,
the station's own website) is listed as outside, never fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from kiosk.content.pages import page_of_url


@dataclass
class CheckResult:
    """Addresses by what was found: each maps to the places that show it."""

    found: dict[str, list[str]] = field(default_factory=dict)
    missing: dict[str, list[str]] = field(default_factory=dict)
    outside: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no page is missing."""
        return not self.missing


def classify(url: str, base_url: str) -> str | None:
    """The folder's file behind `url` ("manual/bail.html"), or None when it is outside."""
    path = page_of_url(base_url, url)
    if path is None:
        return None
    parts = PurePosixPath(path).parts
    if not parts or any(part in ("..", ".", "") for part in parts) or path.startswith("/"):
        return None
    return path


def check_folder(folder, targets, base_url) -> CheckResult:
    """Each (where, url) of `targets` looked up in `folder`; see CheckResult."""
    folder = Path(folder)
    result = CheckResult()
    for where, url in targets:
        path = classify(url, base_url)
        if path is None:
            bucket = result.outside
        elif (folder / path).is_file():
            bucket = result.found
        else:
            bucket = result.missing
        places = bucket.setdefault(url, [])
        if where not in places:
            places.append(where)
    return result
