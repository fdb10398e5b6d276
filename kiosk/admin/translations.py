"""The content editor's translations: per language, every translated text beside its English,
whether it is current or stale (its English changed), and whether the station has reviewed
it; the admin corrects a text and marks it reviewed, into the draft like any content edit."""

from flask import abort, redirect, request, url_for

from kiosk.admin import bp, drafts
from kiosk.admin.routes import admin_required, render_admin
from kiosk.content.translations import PREFIX, TRANSLATED_LANGUAGES, find_text, lay_over, parse, status
from kiosk.core.i18n import LANGUAGE_NAMES


def translation_summary(document):
    """{lang: {"texts", "translated", "reviewed", "stale"}} of the draft, for the content page."""
    return status(drafts.effective_files(document))


def _rows(files, lang):
    """(index, entry, current) of every entry of the language's file, in file order."""
    rel = f"{PREFIX}{lang}.toml"
    entries = parse(rel, files.get(rel, {"language": lang}))
    _, stale = lay_over({rel: files.get(rel, {"language": lang}), **{r: d for r, d in files.items() if r != rel}})
    stale_keys = {(e.file, e.path) for e in stale if e.lang == lang}
    return [(i, entry, (entry.file, entry.path) not in stale_keys) for i, entry in enumerate(entries)]


@bp.route("/content/translations/<lang>", methods=["GET", "POST"])
@admin_required
def content_translations(lang):
    """Every translated text of one language: its English, the text, stale or current, reviewed."""
    if lang not in TRANSLATED_LANGUAGES:
        abort(404)
    document = drafts.current_draft()
    files = drafts.effective_files(document)
    rows = _rows(files, lang)
    error = None
    if request.method == "POST":
        rel = f"{PREFIX}{lang}.toml"
        data = drafts.file_data(document, rel) or {"language": lang}
        for i, entry, _current in rows:
            text = request.form.get(f"text.{i}", entry.text).strip()
            fresh = request.form.get(f"fresh.{i}") == "on"
            table = data.setdefault(entry.file, {})
            en = entry.en
            if fresh:  # the admin checked it against today's English: it is current again
                target = find_text(files.get(entry.file, {}), entry.path)
                en = target["en"] if target else en
            table[entry.path] = {"en": en, "text": text, "reviewed": request.form.get(f"reviewed.{i}") == "on"}
        trial = {**document, "content": {**document["content"], rel: data}}
        where, problem = drafts.check(trial)
        if where is None:
            drafts.save(trial, f"reviewed translations {lang}")
            return redirect(url_for("admin.content_translations", lang=lang, saved=1))
        error = f"{where}: {problem}"
    return render_admin(
        "admin/translations.html",
        400 if error else 200,
        lang=lang,
        language_name=LANGUAGE_NAMES[lang],
        rows=rows,
        summary=status(files)[lang],
        error=error,
    )
