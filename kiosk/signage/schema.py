"""The poster definitions (signage/posters.toml) as written, before any "@"
reference is looked up: one pydantic model per kind of block and one per
poster, frozen, unknown keys refused. ``read_definitions`` validates the
[[posters]] tables and words the first mistake as PosterError
("<file>: posters[<i>] (<name>): <field>: <problem>").
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, TypeAdapter, ValidationError

from kiosk.content.fields import PROBLEM, problem

EACH = {"section", "unit"}


class PosterError(ValueError):
    """A mistake in the poster definitions."""


def _text_value(value: Any, *at: str | int) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        return value
    if (
        not isinstance(value, dict)
        or set(value) != {"th", "en"}
        or not all(isinstance(v, str) and v.strip() for v in value.values())
    ):
        raise problem('must be { th = "...", en = "..." } or an "@" reference', *at)
    return value


def _items_value(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        return value
    if not isinstance(value, list):
        raise problem("must be a list or an @ reference")
    return [_text_value(v, i) for i, v in enumerate(value)]


def _choice(*choices: str) -> BeforeValidator:
    def check(value: Any) -> Any:
        if value not in choices:
            raise problem("must be " + " or ".join(f'"{c}"' for c in choices))
        return value

    return BeforeValidator(check)


def _qr_url(value: Any) -> Any:
    if not (isinstance(value, str) and value.startswith(("@", "https://"))):
        raise problem("must be an https address or an @ reference to one")
    return value


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise problem("missing")
    return value


def _each(value: Any) -> Any:
    if value is not None and value not in EACH:
        raise problem(f"must be one of {', '.join(sorted(EACH))}")
    return value


def _blocks(value: Any) -> Any:
    if not isinstance(value, list) or not value:
        raise problem("missing ([[posters.blocks]] tables)")
    return value


TextValue = Annotated[Any, BeforeValidator(_text_value)]  # { th, en } or "@reference"
ItemsValue = Annotated[Any, BeforeValidator(_items_value)]  # a list of TextValue or "@reference"
Truthy = Annotated[bool, BeforeValidator(bool)]


class _Definition(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _BlockDefinition(_Definition):
    optional: StrictBool = False  # may be left out when the poster is full


class LeadBlock(_BlockDefinition):
    kind: Literal["lead"]
    text: TextValue


class TextBlock(_BlockDefinition):
    kind: Literal["text"]
    text: TextValue | None = None
    items: ItemsValue | None = None
    style: Annotated[str, _choice("normal", "small")] = "normal"


class BulletsBlock(_BlockDefinition):
    kind: Literal["bullets"]
    items: ItemsValue
    heading: TextValue | None = None
    numbered: Truthy = False


class CardsBlock(_BlockDefinition):
    kind: Literal["cards"]
    items: ItemsValue
    heading: TextValue | None = None
    only: Annotated[str | None, _choice(None, "with_url", "without_url")] = None
    keys: Any = None  # checked against the items' keys once they are looked up
    compact: Truthy = False


class QrBlock(_BlockDefinition):
    kind: Literal["qr"]
    url: Annotated[str, BeforeValidator(_qr_url)]
    caption: TextValue | None = None


class IndexBlock(_BlockDefinition):
    kind: Literal["index"]
    heading: TextValue | None = None


class BannerBlock(_BlockDefinition):
    kind: Literal["banner"]
    text: TextValue


class _ListBlock(_BlockDefinition):
    items: ItemsValue
    heading: TextValue | None = None


class PledgesBlock(_ListBlock):
    kind: Literal["pledges"]


class FacilitiesBlock(_ListBlock):
    kind: Literal["facilities"]


class HoursBlock(_ListBlock):
    kind: Literal["hours"]


class FiguresBlock(_ListBlock):
    kind: Literal["figures"]


class ShiftsBlock(_BlockDefinition):
    kind: Literal["shifts"]
    shifts: Any  # "@about.shifts"
    heading: TextValue | None = None


class DutyBoxBlock(_BlockDefinition):
    kind: Literal["duty_box"]
    label: TextValue
    date_label: TextValue | None = None


BLOCK_KINDS = {
    "lead": LeadBlock,
    "text": TextBlock,
    "bullets": BulletsBlock,
    "cards": CardsBlock,
    "qr": QrBlock,
    "index": IndexBlock,
    "banner": BannerBlock,
    "pledges": PledgesBlock,
    "facilities": FacilitiesBlock,
    "hours": HoursBlock,
    "shifts": ShiftsBlock,
    "duty_box": DutyBoxBlock,
    "figures": FiguresBlock,
}
BlockDefinition = Annotated[Union[tuple(BLOCK_KINDS.values())], Field(discriminator="kind")]  # noqa: UP007


class PosterDefinition(_Definition):
    """One [[posters]] table."""

    name: Annotated[str, BeforeValidator(_name)]
    each: Annotated[str | None, BeforeValidator(_each)] = None
    title: TextValue
    subtitle: TextValue | None = None
    blocks: Annotated[tuple[BlockDefinition, ...], BeforeValidator(_blocks)] = Field(
        default=None, validate_default=True
    )


_POSTERS = TypeAdapter(tuple[PosterDefinition, ...])


def read_definitions(posters: Any, source: str) -> tuple[PosterDefinition, ...]:
    """The [[posters]] tables validated; the first mistake raises PosterError."""
    if not isinstance(posters, list) or not posters:
        raise PosterError(f"{source}: posters: missing ([[posters]] tables)")
    try:
        return _POSTERS.validate_python(posters)
    except ValidationError as exc:
        errors = sorted(exc.errors(), key=_checking_order)
        raise PosterError(f"{source}: {_wording(errors[0], posters)}") from None


def _checking_order(error: dict) -> tuple:
    """Poster by poster: its unknown fields (alphabetically), its name, then the rest in field order."""
    index, *rest = error["loc"]
    if len(rest) == 1 and error["type"] == "extra_forbidden":
        return (index, 0, rest[0])
    return (index, 1 if rest == ["name"] else 2, "")


def _wording(error: dict, posters: list) -> str:
    """ "<where>: <problem>" of one pydantic error, as PosterError words it."""
    index, *rest = error["loc"]
    kind, ctx, message = None, error.get("ctx") or {}, None
    if len(rest) >= 3 and rest[0] == "blocks" and rest[2] in BLOCK_KINDS:
        kind = rest.pop(2)
    if error["type"] == PROBLEM:
        rest += ctx["at"]
        message = ctx["message"]
    elif error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        rest.append("kind")
        message = f"must be one of {', '.join(BLOCK_KINDS)}"
    elif error["type"] == "extra_forbidden":
        message = f"unknown field for a {kind} block" if kind else "unknown field"
    else:
        message = _PROBLEMS.get(error["type"], "must be a table")
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest).lstrip(".")
    name = posters[index].get("name") if isinstance(posters[index], dict) else None
    if not rest or rest == ["name"] or (len(rest) == 1 and error["type"] == "extra_forbidden"):
        return f"posters[{index}]{'.' + where if where else ''}: {message}"
    if rest[0] == "each":
        return f"posters[{index}] ({name}).{where}: {message}"
    return f"posters[{index}] ({name}): {where}: {message}"


_PROBLEMS = {"missing": "missing", "bool_type": "must be true or false"}
