"""The content editor: forms made from the models, a draft, a preview, publish, history.

The same views serve a station's admin (/admin/content) and the province's hub
(/hub/content, kiosk.hub.kiosks): `add_editor` registers them on a blueprint with its
sign-in check and page renderer; links and redirects are relative to that blueprint. On a
kiosk the editor also shows which files come from the province and refuses to edit a
locked one; on the hub, publishing also sends a package (app.extensions
"content_published", "content_publish_form").
"""

from flask import abort, current_app, redirect, request, url_for
from flask_babel import gettext

from kiosk.admin import bp, drafts, forms
from kiosk.admin.routes import admin_required, render_admin
from kiosk.admin.translations import translation_summary
from kiosk.content.loader import FILE_MODELS
from kiosk.content.model import Service
from kiosk.core.i18n import LANGUAGE_NAMES
from kiosk.store import station as store
from kiosk.web.database import get_db

RENDERERS = {}  # blueprint name -> its page renderer


def _render(template, status=200, **context):
    return RENDERERS[request.blueprint](template, status, **context)


def _province():
    """(version, {file: locked}) of the province package this kiosk shows (0, {} on the hub)."""
    source = drafts.station.live().source
    package = getattr(source, "province", None) or {"version": 0, "content": {}, "locked": []}
    return package["version"], {rel: rel in package["locked"] for rel in package["content"]}


def _refuse_locked(rel):
    _version, files = _province()
    if files.get(rel):
        message = gettext("The province has locked this file: a station cannot change it.")
        return _render("admin/message.html", 403, message=f"{rel}: {message}")
    return None


PREVIEW_SCREENS = ("/home", "/manual", "/policy", "/eservices", "/about", "/case-progress", "/eit")


def _model_for(rel):
    if rel in FILE_MODELS:
        return FILE_MODELS[rel]
    if rel.startswith("services/") and rel.endswith(".toml") and rel.count("/") == 1:
        return Service
    abort(404)


def content_index():
    """Every content file: edit, hide a service, preview, publish the draft."""
    document = drafts.current_draft()
    files = drafts.effective_files(document)
    services = [
        (
            rel,
            data.get("name", {}).get("th", rel) if isinstance(data.get("name"), dict) else rel,
            data == {"disabled": True},
        )
        for rel, data in sorted(files.items())
        if rel.startswith("services/")
    ]
    where, problem = drafts.check(document)
    province_version, province_files = _province()
    return _render(
        "admin/content.html",
        province_version=province_version,
        province_files=province_files,
        publish_form=current_app.extensions.get("content_publish_form"),
        stations=_hub_stations(),
        services=services,
        others=sorted(FILE_MODELS),
        has_draft=store.has_draft(get_db()),
        draft_error=f"{where}: {problem}" if where else None,
        screens=PREVIEW_SCREENS,
        translations=translation_summary(document),
        language_names=LANGUAGE_NAMES,
    )


def content_edit(rel):
    """One file's form; Save checks the whole content and keeps the draft, or names the field."""
    model = _model_for(rel)
    locked = _refuse_locked(rel)
    if locked:
        return locked
    document = drafts.current_draft()
    errors, status = {}, 200
    if request.method == "GET":
        data = drafts.file_data(document, rel)
        if data == {"disabled": True}:
            data = drafts.file_data({"settings": {}, "content": {}}, rel)
    else:
        data = forms.parse(model, request.form)
        op = request.form.get("op", "")
        if op and op != "save":
            try:
                data = forms.apply_op(data, op, model)
            except (ValueError, KeyError, IndexError):
                abort(400)
        else:
            trial = {**document, "content": {**document["content"], rel: data}}
            where, problem = drafts.check(trial)
            if where is None:
                drafts.save(trial, f"edited {rel}")
                return redirect(url_for(".content_index", saved=rel))
            file_part, _, field = where.partition(": ")
            path = forms.where_to_path(field) if file_part == rel else ""
            errors = {path or "(file)": problem}
            errors["(summary)"] = f"{where}: {problem}"
            status = 400
    form_html = forms.render(model, data, errors, gettext)
    return _render("admin/edit.html", status, rel=rel, form_html=form_html, errors=errors)


def content_hide(rel):
    """Hide a service from the manual (or show it again)."""
    _model_for(rel)
    locked = _refuse_locked(rel)
    if locked:
        return locked
    document = drafts.current_draft()
    hidden = drafts.file_data(document, rel) == {"disabled": True}
    if hidden:
        document["content"].pop(rel, None)
    else:
        document["content"][rel] = {"disabled": True}
    drafts.save(document, f"{'shown' if hidden else 'hidden'} {rel}")
    return redirect(url_for(".content_index"))


def content_publish():
    """Make the draft live now, as a new version."""
    document = drafts.current_draft()
    where, problem = drafts.check(document)
    if where:
        return _render("admin/message.html", 400, message=f"{where}: {problem}")
    version_id = drafts.publish(request.form.get("note", "")[:200])
    after = current_app.extensions.get("content_published")
    if after is not None:  # the hub: the version goes out as a package too
        try:
            after(version_id, request.form)
        except ValueError as error:
            return _render("admin/message.html", 400, message=str(error))
    return redirect(url_for(".content_history"))


def content_discard():
    """Forget the unpublished edits."""
    store.discard_draft(get_db(), drafts.ACTOR)
    return redirect(url_for(".content_index"))


def content_preview():
    """The draft as the citizen will see it: landscape and portrait, Thai and English."""
    screen = request.args.get("screen", "/home")
    if not screen.startswith("/") or screen.startswith(("//", "/admin", "/duty", "/api")):
        abort(400)
    return _render("admin/preview.html", screen=screen, screens=PREVIEW_SCREENS)


def content_preview_frame():
    """One citizen screen rendered from the draft (shown in the preview's frames)."""
    screen = request.args.get("screen", "/home")
    lang = request.args.get("lang", "th")
    if not screen.startswith("/") or screen.startswith(("//", "/admin", "/duty", "/api")) or lang not in ("th", "en"):
        abort(400)
    return drafts.preview_response(drafts.current_draft(), screen, lang)


def content_history():
    """Every published version, who and when, with what changed from the one before."""
    versions = store.versions(get_db())
    rows = []
    for i, version in enumerate(versions):
        before = versions[i + 1].document if i + 1 < len(versions) else {"settings": {}, "content": {}}
        rows.append((version, drafts.diff(before, version.document)))
    return _render("admin/history.html", rows=rows)


def content_restore(version_id):
    """Publish a copy of an old version as a new version."""
    from kiosk.web import station

    version = store.get_version(get_db(), version_id)
    if version is None:
        abort(404)
    station.publish(version.document, drafts.ACTOR, f"restored version {version_id}")
    return redirect(url_for(".content_history"))


def content_new_service():
    """Add the station's own service: a copy of a shipped one under a new slug, to edit."""
    from kiosk.content.fields import SLUG_RE

    slug = request.form.get("slug", "").strip()
    document = drafts.current_draft()
    rel = f"services/{slug}.toml"
    if not SLUG_RE.match(slug) or len(slug) > 60:
        message = gettext("The service code may hold only lowercase letters, digits and hyphens.")
        return _render("admin/message.html", 400, message=f"slug: {message}")
    if rel in drafts.effective_files(document):
        message = gettext("A service with this code exists.")  # outside the f-string, where pybabel finds it
        return _render("admin/message.html", 400, message=f"slug: {message}")
    data = drafts.file_data(document, "services/lost-documents.toml")
    data["slug"] = slug
    document["content"][rel] = data
    drafts.save(document, f"added {rel}")
    return redirect(url_for(".content_edit", rel=rel))


def _hub_stations():
    """The stations a hub knows (for the publish form); empty on a kiosk."""
    if not current_app.config.get("HUB"):
        return []
    from kiosk.web.database import get_db

    return [row[0] for row in get_db().execute("SELECT DISTINCT station FROM hub_kiosks ORDER BY station")]


ROUTES = (
    ("/content", content_index, ("GET",)),
    ("/content/edit/<path:rel>", content_edit, ("GET", "POST")),
    ("/content/hide/<path:rel>", content_hide, ("POST",)),
    ("/content/publish", content_publish, ("POST",)),
    ("/content/discard", content_discard, ("POST",)),
    ("/content/preview", content_preview, ("GET",)),
    ("/content/preview/frame", content_preview_frame, ("GET",)),
    ("/content/history", content_history, ("GET",)),
    ("/content/restore/<int:version_id>", content_restore, ("POST",)),
    ("/content/new-service", content_new_service, ("POST",)),
)


def add_editor(blueprint, required, render):
    """Register the editor's views on `blueprint`, behind `required`, drawn by `render`."""
    RENDERERS[blueprint.name] = render
    for rule, view, methods in ROUTES:
        blueprint.add_url_rule(rule, view.__name__, required(view), methods=list(methods))


add_editor(bp, admin_required, render_admin)
