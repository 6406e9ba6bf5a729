"""Text fields of the REST API, checked at the door as the web forms check theirs (`web.forms`)."""

from __future__ import annotations

from typing import Any

from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination

from zhenwu.core.text import text_problem


class TextField(serializers.CharField):
    """A CharField that refuses control characters, bidirectional overrides and invisible-only values;
    `multiline` allows tabs and line breaks."""

    def __init__(self, *, multiline: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.multiline = multiline
        for validator in self.validators:
            if isinstance(validator, ProhibitNullCharactersValidator):
                validator.message = "含有空字符(NUL)，请删除后重新提交。"

    def to_internal_value(self, data: Any) -> str:
        value: str = super().to_internal_value(data)
        if problem := text_problem(value, multiline=self.multiline):
            raise serializers.ValidationError(f"{problem}。")
        return value


class SlugField(serializers.SlugRelatedField[Any]):
    """A record named by a text key (a unit's code, a username): a key no record can have — one with a NUL,
    which PostgreSQL cannot even compare — is "not found" without a query."""

    def to_internal_value(self, data: Any) -> Any:
        if "\x00" in str(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data).replace("\x00", ""))
        return super().to_internal_value(data)


class Pages(LimitOffsetPagination):
    """`limit` and `offset` as DRF has them, kept to what a database can count to: a limit beyond the
    maximum is the maximum, and an offset beyond any table's size gives an empty page, not an error."""

    max_limit = 1000
    max_offset = 10**12

    def get_offset(self, request: Any) -> int:
        return min(super().get_offset(request), self.max_offset)
