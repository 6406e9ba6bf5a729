"""A register's Excel 台账 brought in: every row checked as a record entered by hand, all or nothing.

`workbook.read_rows` reads the cells into their types; each row is then checked by
`services.RecordChecks`, the checks of `services.create_record` (the rows' lookups made once for all of
them), and the rows are kept by `bulk.store_records` (the same things made and updated, written in
batches) inside one transaction that a dry run, or any refused row, rolls back. A thing register's row
whose number (编号) is already registered updates that thing instead of making a second one. Every
error names its row and column as the clerk sees them ("第5行「状态」列：…").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from zhenwu.core import uploads
from zhenwu.org.models import OrgUnit
from zhenwu.web import downloads
from zhenwu.web.forms import Form

from . import bulk, services
from .models import Register, RegisterRecord
from .workbook import KIND, UNIT_LABEL, ImportRow, repeat_error

SIGNING_SALT = "zhenwu.registers.import"


@dataclass
class ImportReport:
    """What an import did, or would do in a dry run: records made, things new and things updated."""

    rows: int = 0
    created_things: int = 0
    updated_things: int = 0
    errors: list[str] = field(default_factory=list)
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class _RollBack(Exception):
    """Leaves the import's transaction without keeping anything."""


class UploadForm(Form):
    file = forms.FileField(label="填好的Excel文件(.xlsx)")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        downloads.check_upload_size(upload, KIND)
        return upload


def plain(value: Any) -> Any:
    """A cell as read by `workbook.convert` written as an XForm submission writes it (a repeat's rows
    each so)."""
    if isinstance(value, list) and all(isinstance(row, dict) for row in value):
        return [{k: plain(v) for k, v in row.items()} for row in value]
    if isinstance(value, tuple | list):
        return " ".join(str(part) for part in value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def plain_rows(rows: list[ImportRow]) -> list[ImportRow]:
    """Rows with text values only: what is signed for the confirmation and what create_record is given."""
    return [
        ImportRow(row.row, row.unit, {k: plain(v) for k, v in row.values.items()}, row.sources)
        for row in rows
    ]


def import_records(user: Any, register: Register, rows: list[ImportRow], *, dry_run: bool) -> ImportReport:
    """Save every row as a record of `register`'s current version, or none: a dry run, or any error,
    leaves nothing behind."""
    report = ImportReport(rows=len(rows))
    version = register.current_version
    if version is None or not services.may_write(user, register):
        report.errors.append("无权填报该台账。")
        return report
    checks = services.RecordChecks(user, register, version)
    try:
        with transaction.atomic():
            checked = _checked(checks, _units_by_name(user, register), plain_rows(rows), report)
            if not report.errors:
                stored = bulk.store_records(checks, [record for _, record in checked])
                for n, error in stored.refused.items():
                    report.errors += _messages(checks.definition, checked[n][0], error)
                report.created_things, report.updated_things = stored.created_things, stored.updated_things
            if dry_run or report.errors:
                raise _RollBack
    except _RollBack:
        return report
    report.saved = True
    return report


def _units_by_name(user: Any, register: Register) -> dict[str, OrgUnit]:
    # The template's unit column lists units by name; the first of a name (by path) is meant.
    found: dict[str, OrgUnit] = {}
    for unit in services.entry_units(user, register):
        found.setdefault(unit.name, unit)
    return found


def _checked(
    checks: services.RecordChecks, units: dict[str, OrgUnit], rows: list[ImportRow], report: ImportReport
) -> list[tuple[ImportRow, RegisterRecord]]:
    """The rows' records, checked as create_record checks them: the values of every row first, then
    what the rows name, looked up once for all of them. Errors go to the report in the order of the rows,
    until there are as many as a page lists."""
    faults: dict[int, list[str]] = {}
    valued: list[tuple[ImportRow, OrgUnit, dict[str, Any]]] = []
    listed = 0
    for row in rows:
        unit = units.get(row.unit) if row.unit else None
        if row.unit and unit is None:
            faults[row.row] = [f"第{row.row}行「{UNIT_LABEL}」列：“{row.unit}”不是您可以填报的单位。"]
        else:
            try:
                valued.append((row, *checks.values(row.values, unit)))
            except ValidationError as error:
                faults[row.row] = _messages(checks.definition, row, error)
        listed += len(faults.get(row.row, ()))
        if listed >= uploads.MAX_LISTED_ERRORS:
            break  # enough to show: what the other rows name is not looked up
    else:
        checks.prefetch(data for _, _, data in valued)
        checked = []
        for row, unit, data in valued:
            try:
                checked.append((row, checks.completed(unit, data)))
            except ValidationError as error:
                faults[row.row] = _messages(checks.definition, row, error)
        if not faults:
            return checked
    for number in sorted(faults):
        report.errors += faults[number]
        if downloads.enough_errors(report.errors):
            break
    return []


def _messages(definition: Any, row: ImportRow, error: ValidationError) -> list[str]:
    named = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    # A repeat's row is named by its own sheet, row and column (「产出」表第5行「数量」列：…).
    return [
        repeat_error(definition, row, name, message)
        or f"第{row.row}行「{_column(definition, name)}」列：{message}"
        for name, messages in named.items()
        for message in messages
    ]


def _column(definition: Any, name: str) -> str:
    if name in ("unit", ""):
        return UNIT_LABEL
    found = definition.fields_by_name.get(name)
    return (found.label or found.name) if found is not None else name


def pending_token(user: Any, register: Register, rows: list[ImportRow]) -> str:
    """The checked rows, signed, so that the confirmation saves exactly what the user was shown."""
    payload = {
        "user": user.pk,
        "register": register.pk,
        "version": register.current_version_id,
        "rows": [[row.row, row.unit, row.values, row.sources] for row in plain_rows(rows)],
    }
    return downloads.sign_pending(payload, SIGNING_SALT)


def pending_rows(user: Any, register: Register, token: str) -> list[ImportRow]:
    """The rows of a signed confirmation; a token of another user, register or version is refused."""
    payload = downloads.unsign_pending(token, SIGNING_SALT)
    if (payload.get("user"), payload.get("register"), payload.get("version")) != (
        user.pk,
        register.pk,
        register.current_version_id,
    ):
        raise ValidationError("台账定义已更新或导入已过期，请重新上传文件。")
    return [
        ImportRow(int(number), str(unit), dict(values), dict(sources[0]) if sources else {})
        for number, unit, values, *sources in payload["rows"]
    ]
