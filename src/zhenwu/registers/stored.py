"""A Definition as JSON, and back: a version keeps the definition it was loaded with, so its records are
read by their own fields even after the workbook changes."""

from __future__ import annotations

import dataclasses
from typing import Any


def definition_to_json(definition: Any) -> dict[str, Any]:
    return dataclasses.asdict(definition)


def definition_from_json(stored: dict[str, Any]) -> Any:
    from . import definition as spec

    def build(cls: type, values: dict[str, Any]) -> Any:
        # Keys a later Definition no longer has are left out; new ones take their defaults.
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{key: value for key, value in values.items() if key in names})

    def fields_of(items: Any) -> tuple[Any, ...]:
        return tuple(
            build(
                spec.Field, {**item, "choices": tuple(build(spec.Choice, c) for c in item.get("choices", ()))}
            )
            for item in items
        )

    fields = fields_of(stored.get("fields", ()))
    repeats = tuple(
        build(spec.Repeat, {**repeat, "fields": fields_of(repeat.get("fields", ()))})
        for repeat in stored.get("repeats", ())
    )
    figures = tuple(build(spec.FigureSpec, figure) for figure in stored.get("figures", ()))
    methods = tuple(build(spec.MethodSpec, method) for method in stored.get("methods", ()))
    tuples = {key: tuple(stored.get(key, ())) for key in ("readers", "writers", "offices")}
    made = {"fields": fields, "figures": figures, "repeats": repeats, "methods": methods}
    return build(spec.Definition, {**stored, **tuples, **made})
