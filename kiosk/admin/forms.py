"""Forms made from the content models: each field with its Thai and English label, help
and limits, Thai and English side by side; lists that add, move and remove entries.

Field names are dotted paths into the file's table ("steps.0.text.th"). `parse` reads a
posted form back into the table, keeping whatever was typed (a number that is not one
stays text, for the model to refuse by name); `render` draws a table as inputs, with the
error of the field that failed beside it. All text is escaped: nothing is HTML."""

import dataclasses
import types
import typing
from typing import Annotated, Literal, Union

from markupsafe import Markup

from kiosk.content.fields import TEXT_MAX_CHARS, Text
from kiosk.core.qr import qr_svg

URL_FIELDS = {"url", "online_url", "public_url"}


@dataclasses.dataclass(frozen=True)
class Kind:
    """What a field holds: text (th/en), line, int, flag, choice, list of `item`, or model."""

    name: str
    optional: bool = False
    item: "Kind | None" = None
    model: type | None = None
    choices: tuple = ()
    ge: int | None = None
    min_items: int = 0


def kind_of(tp, optional=False, min_items=0):
    """The Kind of a type annotation of the content models."""
    ge = None
    if typing.get_origin(tp) is Annotated:
        for meta in tp.__metadata__:
            ge = getattr(meta, "ge", ge)
            for inner in getattr(meta, "metadata", ()):
                ge = getattr(inner, "ge", ge)
        tp = tp.__origin__
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return kind_of(args[0], optional=True, min_items=min_items)
    if tp is Text:
        return Kind("text", optional)
    if origin is tuple:
        return Kind("list", optional, item=kind_of(typing.get_args(tp)[0]), min_items=min_items)
    if origin is Literal:
        return Kind("choice", optional, choices=typing.get_args(tp))
    if dataclasses.is_dataclass(tp):
        return Kind("model", optional, model=tp)
    if tp is bool:
        return Kind("flag", optional)
    if tp is int:
        return Kind("int", optional, ge=ge)
    return Kind("line", optional)


def fields_of(model):
    """(name, Kind, th label, en label, help) of each field of a content model; the help is
    its English msgid, which the form shows in the admin's language."""
    hints = typing.get_type_hints(model, include_extras=True)
    out = []
    for name, info in model.__pydantic_fields__.items():
        extra = info.json_schema_extra or {}
        min_items = next((m.min_length for m in info.metadata if getattr(m, "min_length", None)), 0)
        kind = kind_of(hints[name], min_items=min_items)
        label = extra.get("label", {"th": name, "en": name})
        out.append((name, kind, label["th"], label["en"], extra.get("help", "")))
    return out


def empty(kind):
    """A new entry of a list, to fill in."""
    if kind.name == "text":
        return {"th": "", "en": ""}
    if kind.name == "model":
        return {}
    if kind.name == "int":
        return 0
    return ""


# --------------------------------------------------------------------------
# Reading a posted form.


def _number(value):
    text = value.strip()
    try:
        return int(text)
    except ValueError:
        return text  # the model refuses it by name: "must be an integer"


def parse(model, form, prefix=""):
    """The table a form posts for `model` (a content model)."""
    data = {}
    for name, kind, *_ in fields_of(model):
        value = _parse_value(kind, form, f"{prefix}{name}")
        if value is not None:
            data[name] = value
    return data


def _indices(form, path):
    found = set()
    start = path + "."
    for key in form:
        if key.startswith(start):
            head = key[len(start) :].split(".", 1)[0]
            if head.isdigit():
                found.add(int(head))
    return sorted(found)


def _text(value):
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _parse_value(kind, form, path):
    if kind.name == "text":
        th, en = _text(form.get(f"{path}.th", "")), _text(form.get(f"{path}.en", ""))
        if kind.optional and not th.strip() and not en.strip():
            return None
        return {"th": th, "en": en}
    if kind.name == "list":
        if path not in form and not _indices(form, path):
            return [] if not kind.optional else None
        return [_parse_value(kind.item, form, f"{path}.{i}") for i in _indices(form, path)]
    if kind.name == "model":
        return parse(kind.model, form, path + ".")
    if kind.name == "flag":
        return form.get(path) == "on"
    raw = form.get(path, "")
    if kind.optional and not raw.strip():
        return None
    return _number(raw) if kind.name == "int" else raw


def apply_op(data, op, model):
    """Add, move or remove a list entry: "add:steps", "up:steps.2", "down:...", "remove:..."."""
    action, _, path = op.partition(":")
    parts = path.split(".")
    if action == "add":
        target, kind = _locate(data, model, parts)
        target.append(empty(kind.item))
        return data
    index = int(parts[-1])
    target, _kind = _locate(data, model, parts[:-1])
    if not 0 <= index < len(target):
        return data
    if action == "remove":
        target.pop(index)
    elif action == "up" and index > 0:
        target[index - 1], target[index] = target[index], target[index - 1]
    elif action == "down" and index < len(target) - 1:
        target[index + 1], target[index] = target[index], target[index + 1]
    return data


def _locate(data, model, parts):
    """The list at `parts` in `data` (created when missing) and its Kind."""
    kind, node = Kind("model", model=model), data
    for i, part in enumerate(parts):
        if kind.name == "model":
            kind = {n: k for n, k, *_ in fields_of(kind.model)}[part]
            if i == len(parts) - 1:
                return node.setdefault(part, []), kind
            node = node.setdefault(part, [] if kind.name == "list" else {})
        else:  # a list: the part is an index
            node, kind = node[int(part)], kind.item
    raise ValueError(f"no list at {'.'.join(parts)}")


# --------------------------------------------------------------------------
# Drawing a form.


def where_to_path(where):
    """ "documents[2].kind" -> "documents.2.kind" (the ContentError's field, as a form name)."""
    return where.replace("[", ".").replace("]", "")


def _limits(kind):
    if kind.name == "int" and kind.ge is not None:
        return f"≥ {kind.ge}"
    if kind.name == "text":
        return f"≤ {TEXT_MAX_CHARS:,}"
    if kind.name == "list" and kind.min_items:
        return f"≥ {kind.min_items}"
    return ""


def render(model, data, errors, gettext, prefix=""):
    """The inputs of `model` filled with `data`; `errors` maps a dotted path to its problem."""
    parts = []
    for name, kind, th, en, help_text in fields_of(model):
        if name == "demo":
            continue
        path = f"{prefix}{name}"
        parts.append(_field(kind, path, (data or {}).get(name), th, en, help_text, errors, gettext))
    return Markup("").join(parts)


def _error_for(path, errors):
    found = [problem for where, problem in errors.items() if where == path or where.startswith(path + ".")]
    return found[0] if found else None


def _field(kind, path, value, th, en, help_text, errors, gettext):
    error = errors.get(path) or (_error_for(path, errors) if kind.name in ("text", "line", "int") else None)
    limits = _limits(kind)
    head = Markup(
        '<div class="field-head"><span class="label" lang="th">{}</span> <span class="label" lang="en">{}</span>'
        '{}</div><p class="help">{}{}</p>'
    ).format(
        th,
        en,
        Markup(' <span class="optional">({})</span>').format(gettext("optional")) if kind.optional else "",
        gettext(help_text) if help_text else "",
        Markup(' <span class="limits">[{}]</span>').format(limits) if limits else "",
    )
    err = Markup('<p class="field-error" role="alert">{}</p>').format(error) if error else ""
    css = "field" + (" has-error" if error else "")
    body = _input(kind, path, value, th, en, errors, gettext)
    return Markup('<div class="{}" id="f-{}">{}{}{}</div>').format(css, path, head, err, body)


def _input(kind, path, value, th, en, errors, gettext):
    if kind.name == "text":
        value = value if isinstance(value, dict) else {}
        boxes = []
        # The same height for both languages, enough for the longer (Thai runs narrower).
        rows = min(
            8, max(len(str(t)) // 50 + 1 + str(t).count("\n") for t in (value.get("th", ""), value.get("en", "")))
        )
        for code, label in (("th", "ไทย"), ("en", "English")):
            text = value.get(code, "")
            boxes.append(
                Markup(
                    '<label class="lang-box"><span class="lang-tag">{}</span><textarea name="{}.{}" rows="{}" lang="{}">{}</textarea></label>'
                ).format(label, path, code, rows, code, text)
            )
        return Markup('<div class="side-by-side">{}</div>').format(Markup("").join(boxes))
    if kind.name == "list":
        items = value if isinstance(value, list) else []
        rows = []
        for i, item in enumerate(items):
            inner = _item(kind.item, f"{path}.{i}", item, th, en, errors, gettext)
            buttons = Markup(
                '<div class="item-tools">'
                '<button type="submit" name="op" value="up:{p}" class="small-button" aria-label="{up}">↑</button>'
                '<button type="submit" name="op" value="down:{p}" class="small-button" aria-label="{down}">↓</button>'
                '<button type="submit" name="op" value="remove:{p}" class="small-button danger">{remove}</button>'
                "</div>"
            ).format(p=f"{path}.{i}", up=gettext("Move up"), down=gettext("Move down"), remove=gettext("Remove"))
            rows.append(Markup('<li class="list-item">{}{}</li>').format(inner, buttons))
        add = Markup('<button type="submit" name="op" value="add:{}" class="small-button">+ {}</button>').format(
            path, gettext("Add")
        )
        marker = Markup('<input type="hidden" name="{}" value="">').format(path)
        return Markup('{}<ol class="item-list">{}</ol>{}').format(marker, Markup("").join(rows), add)
    if kind.name == "model":
        return Markup('<fieldset class="sub">{}</fieldset>').format(
            render(kind.model, value if isinstance(value, dict) else {}, errors, gettext, prefix=path + ".")
        )
    if kind.name == "flag":
        checked = Markup(" checked") if value else ""
        return Markup('<label class="check"><input type="checkbox" name="{}"{}> {}</label>').format(
            path, checked, gettext("Yes")
        )
    if kind.name == "choice":
        options = Markup("").join(
            Markup('<option value="{}"{}>{}</option>').format(c, Markup(" selected") if c == value else "", c)
            for c in ("", *kind.choices)
            if c or kind.optional
        )
        return Markup(
            '<label class="choice-box"><span class="visually-hidden">{} / {}</span><select name="{}">{}</select></label>'
        ).format(th, en, path, options)
    text = "" if value is None else value
    input_type = "number" if kind.name == "int" else "text"
    extra = Markup(' inputmode="numeric"') if kind.name == "int" else ""
    # Named by its field's heading (a list's items by the list's), for screen readers.
    out = Markup('<input type="{}" name="{}" value="{}" aria-label="{} / {}"{}>').format(
        "text" if input_type == "number" else input_type, path, text, th, en, extra
    )
    return out + qr_preview(path, text, gettext)


def _item(kind, path, item, th, en, errors, gettext):
    if kind.name == "model":
        return render(kind.model, item if isinstance(item, dict) else {}, errors, gettext, prefix=path + ".")
    error = _error_for(path, errors)
    err = Markup('<p class="field-error" role="alert">{}</p>').format(error) if error else ""
    return err + _input(kind, path, item, th, en, errors, gettext)


def qr_target(path, value):
    """The address a QR code would carry for this field, or None: https:// as it is, a phone as tel:."""
    name = path.rsplit(".", 1)[-1]
    value = str(value or "").strip()
    if name in URL_FIELDS and value.startswith("https://"):
        return value
    if name in ("phone", "head_phone") and value and value != "station":
        digits = "".join(c for c in value if c.isdigit() or c == "+")
        return f"tel:{digits}" if len(digits) >= 3 else None
    return None


def qr_preview(path, value, gettext):
    """The QR code the field's address will make, drawn beside it."""
    target = qr_target(path, value)
    if not target:
        return Markup("")
    return Markup('<figure class="qr-preview">{}<figcaption>{} <code>{}</code></figcaption></figure>').format(
        Markup(qr_svg(target)), gettext("QR code:"), target
    )
