"""The first-start setup at /admin/setup: five steps, each saved into the draft as it is
left, with a progress line; Finish publishes it and the demo station becomes the station."""

from flask import abort, current_app, redirect, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from kiosk.admin import bp, drafts
from kiosk.admin.forms import qr_preview
from kiosk.admin.routes import admin_required, render_admin
from kiosk.config.model import Settings
from kiosk.core.i18n import CITIZEN_LANGUAGES, LANGUAGE_NAMES, N_, translate
from kiosk.core.vocab import UNITS
from kiosk.store.state import get_state, set_state
from kiosk.web import station
from kiosk.web.database import get_db

STEPS = (
    ("station", _l("Station")),
    ("eit", _l("EIT survey")),
    ("services", _l("Services")),
    ("duty", _l("PR duty and shifts")),
    ("hub", _l("Hub (optional)")),
)
STEP_NAMES = [name for name, _ in STEPS]
STATION_FIELDS = ("code", "name_th", "name_en", "province_th", "province_en", "website")


def setting_help(name):
    """The help of the setting "section.key", in the admin's language (empty if none)."""
    section, _, key = name.partition(".")
    section_field = Settings.model_fields.get(section)
    field = section_field and section_field.annotation.model_fields.get(key)
    return gettext(field.description) if field and field.description else ""


def _values(document):
    """What the forms show: the draft's settings and content, as the station has them."""
    settings = station.live().source.settings(document) if not drafts.check(document)[0] else None
    settings = settings or current_app.config["KIOSK"]
    files = drafts.effective_files(document)
    about, policy = files.get("about.toml", {}), files.get("policy.toml", {})
    contact = about.get("contact", {})
    head = next((c for c in policy.get("channels", []) if c.get("key") == "station_head"), {})
    values = {f"station.{k}": getattr(settings.station, k) for k in STATION_FIELDS}
    values["station.languages"] = list(settings.station.offered_languages())
    values.update(
        {
            "contact.phone": contact.get("phone", ""),
            "contact.address.th": contact.get("address", {}).get("th", ""),
            "contact.address.en": contact.get("address", {}).get("en", ""),
            "head_phone": "" if head.get("phone") == "station" else head.get("phone", ""),
            "eit.url": settings.eit.url,
            "eit.period_start": settings.eit.period_start,
            "eit.period_end": settings.eit.period_end,
            "eit.quota_total": str(sum(settings.eit.quota.values())),
            "hub.url": settings.hub.url,
            "hub.token": "",
        }
    )
    values.update({f"eit.quota.{u}": str(settings.eit.quota.get(u, 0)) for u in UNITS})
    return values, files


def _int_or_text(text):
    try:
        return int(text.strip())
    except ValueError:
        return text


def bilingual(msgid, **values):
    """A message for the admin in Thai, then in English."""
    return f"{translate(msgid, 'th', **values)} / {translate(msgid, 'en', **values)}"


def languages_problem(codes):
    """What is wrong with the languages ticked in the form (Thai and English), or None."""
    unknown = [code for code in codes if code not in CITIZEN_LANGUAGES]
    if unknown:
        return bilingual(
            N_("Unknown language code %(code)s; the languages are %(known)s."),
            code=unknown[0][:20],
            known=", ".join(CITIZEN_LANGUAGES),
        )
    if "th" not in codes:
        return bilingual(N_("Thai must always be offered: tick Thai."))
    return None


def _apply_station(document, form, files, locked):
    settings = document["settings"].setdefault("station", {})
    for key in STATION_FIELDS:
        settings[key] = form.get(f"station.{key}", "").strip()
    # A form without the field (an older page, a script) leaves the languages as they are.
    if "station.languages" not in locked and "station.languages" in form:
        codes = form.getlist("station.languages")
        settings["languages"] = [code for code in CITIZEN_LANGUAGES if code in codes]
    about = drafts.file_data(document, "about.toml")
    contact = about.setdefault("contact", {})
    contact["name"] = {"th": settings["name_th"], "en": settings["name_en"]}
    contact["phone"] = form.get("contact.phone", "").strip()
    contact["website"] = settings["website"]
    contact["address"] = {"th": form.get("contact.address.th", ""), "en": form.get("contact.address.en", "")}
    contact["demo"] = False
    document["content"]["about.toml"] = about
    head_phone = form.get("head_phone", "").strip()
    policy = drafts.file_data(document, "policy.toml")
    for channel in policy.get("channels", []):
        if channel.get("key") == "station_head":
            channel["phone"] = head_phone or "station"
    document["content"]["policy.toml"] = policy


def _apply_eit(document, form):
    quota = {u: _int_or_text(form.get(f"eit.quota.{u}", "0")) for u in UNITS}
    document["settings"]["eit"] = {
        "url": form.get("eit.url", "").strip(),
        "period_start": form.get("eit.period_start", "").strip(),
        "period_end": form.get("eit.period_end", "").strip(),
        "quota": quota,
    }
    total = _int_or_text(form.get("eit.quota_total", ""))
    if all(isinstance(n, int) for n in quota.values()) and sum(quota.values()) != total:
        return "eit.quota_total", f"the units add up to {sum(quota.values())}, not {total}"
    return None


def _apply_services(document, form, files):
    for rel, data in sorted(files.items()):
        if not rel.startswith("services/"):
            continue
        slug = rel.removeprefix("services/").removesuffix(".toml")
        if form.get(f"hide.{slug}") == "on":
            document["content"][rel] = {"disabled": True}
            continue
        if data == {"disabled": True}:
            document["content"].pop(rel, None)
            data = drafts.file_data({"settings": {}, "content": {}}, rel)
        if f"fee_baht.{slug}" in form:
            data = dict(data)
            data["fee_baht"] = _int_or_text(form.get(f"fee_baht.{slug}", ""))
            data["fee"] = {"th": form.get(f"fee.{slug}.th", ""), "en": form.get(f"fee.{slug}.en", "")}
            document["content"][rel] = data


def _field_of(where, step):
    """The form field a check's "<file or settings>: <field>" names."""
    place, _, field = where.partition(": ")
    if place == "settings":
        return field
    if place == "about.toml":
        return field.replace("contact.address", "contact.address")
    if place == "policy.toml":
        return "head_phone"
    if place.startswith("services/"):
        slug = place.removeprefix("services/").removesuffix(".toml")
        return f"{field.split('.')[0].split('[')[0]}.{slug}"
    return field


@bp.route("/setup", methods=["GET", "POST"])
@bp.route("/setup/<step>", methods=["GET", "POST"])
@admin_required
def setup(step="station"):
    """One step of the setup; leaving it (Next, Back, a step's name) saves it."""
    if step not in STEP_NAMES and step != "done":
        abort(404)
    document = drafts.current_draft()
    done = document.setdefault("setup", {}).setdefault("done", [])
    errors, status, hub_answer = {}, 200, None
    if request.method == "POST" and step in STEP_NAMES:
        form = request.form
        values, files = _values(document)
        problem_at = None
        if step == "station":
            asked = "station.languages" in form and "station.languages" not in station.live().source.locked
            problem = languages_problem(form.getlist("station.languages")) if asked else None
            if problem:
                problem_at = ("station.languages", problem)
            _apply_station(document, form, files, station.live().source.locked)
        elif step == "eit":
            problem_at = _apply_eit(document, form)
        elif step == "services":
            _apply_services(document, form, files)
        elif step == "duty":
            name = form.get("pr_duty", "").strip()[:120]
            set_state(get_db(), "pr_duty", {"name": name, "shift": form.get("shift", "")[:60]} if name else None)
        elif step == "hub":
            url, token = form.get("hub.url", "").strip(), form.get("hub.token", "").strip()
            document["settings"]["hub"] = {"url": url, "token": token} if url else {"url": "", "token": ""}
            if form.get("go") == "try" and url:
                hub_answer = try_hub(url, token)
        where, problem = (None, None) if step == "station" and problem_at else drafts.check(document)
        field = _field_of(where, step) if where else None
        if not where and problem_at:
            (where, problem), field = problem_at, problem_at[0]
        if where:
            errors = {
                field: problem,
                "(summary)": f"{where}: {problem}",
            }
            status = 400
        elif hub_answer is None:
            if step not in done:
                done.append(step)
            drafts.save(document, f"setup step {step}")
            target = form.get("go", "next")
            if target == "finish":
                finish_document = drafts.current_draft()
                finish_document.setdefault("settings", {}).setdefault("station", {})["demo"] = False
                drafts.save(finish_document, "setup finished")
                drafts.publish("setup")
                return redirect(url_for("admin.setup", step="done"))
            index = STEP_NAMES.index(step)
            if target in STEP_NAMES:
                nxt = target
            elif target == "back":
                nxt = STEP_NAMES[max(0, index - 1)]
            else:
                nxt = STEP_NAMES[min(len(STEP_NAMES) - 1, index + 1)]
            return redirect(url_for("admin.setup", step=nxt))
        values = dict(values)
        values.update({k: v for k, v in form.items() if k not in ("csrf_token", "go", "station.languages")})
        if step == "station":
            values["station.languages"] = form.getlist("station.languages")
    else:
        values, files = _values(document)
    services = []
    for rel, data in sorted(files.items()):
        if rel.startswith("services/"):
            slug = rel.removeprefix("services/").removesuffix(".toml")
            hidden = data == {"disabled": True}
            shown = drafts.file_data({"settings": {}, "content": {}}, rel) if hidden else data
            services.append((slug, shown, hidden))
    locked = station.live().source.locked
    return render_admin(
        "admin/setup.html",
        status,
        step=step,
        steps=STEPS,
        done=done,
        values=values,
        errors=errors,
        locked=locked,
        units=UNITS,
        services=services,
        hub_answer=hub_answer,
        pr_duty=get_state(get_db(), "pr_duty"),
        qr_preview=lambda path, value: qr_preview(path, value, gettext),
        setting_help=setting_help,
        citizen_languages=CITIZEN_LANGUAGES,
        language_names=LANGUAGE_NAMES,
    )


def try_hub(url, token):
    """Send this kiosk's waiting events to the hub now; the answer in words."""
    from kiosk.config.settings import SettingsError
    from kiosk.sync.client import SyncClient, SyncError

    try:
        settings = station.live().source.settings({"settings": {"hub": {"url": url, "token": token}}})
    except SettingsError as error:
        return ("bad", str(error).split(": ", 1)[-1])
    try:
        result = SyncClient(get_db(), settings, current_app.config["DATA_DIR"]).push()
    except SyncError as error:
        return ("bad", f"{error.kind}: {error}")
    except OSError as error:
        return ("bad", f"could not reach the hub: {error}")
    return ("ok", f"the hub answered: {result}")
