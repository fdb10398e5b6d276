"""Every field the admin edits (content and settings) has a help text in the one catalogue,
translated into Thai, and `make messages` finds it (so an update never drops it)."""

import re
import shlex
import subprocess
import sys

from babel.messages.pofile import read_po

from kiosk.admin.forms import fields_of
from kiosk.config.model import Settings
from kiosk.content.loader import FILE_MODELS
from kiosk.content.model import Service
from kiosk.core.i18n import translate
from tests.helpers.paths import ROOT


def content_helps():
    """(where, help) of every field of every content model, nested models and list items included."""
    found, todo, seen = [], [*FILE_MODELS.values(), Service], set()
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, kind, *_, help_text in fields_of(model):
            found.append((f"{model.__name__}.{name}", help_text))
            for inner in (kind, kind.item):
                if inner is not None and inner.model is not None:
                    todo.append(inner.model)
    return found


def settings_helps():
    """(where, help) of every settings section and every field of each."""
    found = []
    for section, info in Settings.model_fields.items():
        found.append((section, info.description))
        for name, field in info.annotation.model_fields.items():
            found.append((f"{section}.{name}", field.description))
    return found


ALL_HELPS = content_helps() + settings_helps()


def test_the_models_are_all_walked():
    names = {where.split(".")[0] for where, _ in content_helps()}
    assert {"Service", "Step", "Document", "About", "Contact", "Shift", "Situation"} <= names
    assert len(settings_helps()) > 40


def test_every_field_has_a_help_translated_into_thai():
    no_help = [where for where, help_text in ALL_HELPS if not (help_text or "").strip()]
    assert no_help == []
    untranslated = [where for where, help_text in ALL_HELPS if translate(help_text, "th") == help_text]
    assert untranslated == []
    not_thai = [where for where, help_text in ALL_HELPS if not re.search("[\u0e00-\u0e7f]", translate(help_text, "th"))]
    assert not_thai == []
    assert translate("0 when free.", "en") == "0 when free."


def test_make_messages_extracts_every_help(tmp_path):
    # The Makefile's own extract command, into a temporary template.
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    line = next(line for line in makefile.splitlines() if "pybabel extract" in line)
    args = shlex.split(line.split("pybabel", 1)[1])
    out = args.index("-o")
    args[out + 1] = str(tmp_path / "messages.pot")
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT, check=True, capture_output=True)
    with open(tmp_path / "messages.pot", "rb") as pot:
        extracted = {message.id for message in read_po(pot) if message.id}
    missing = sorted({help_text for _, help_text in ALL_HELPS} - extracted)
    assert missing == []
