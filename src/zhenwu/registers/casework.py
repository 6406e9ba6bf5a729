"""A record that finds something to follow up opens a case in the case engine (no second ledger).

A definition says so with the zhenwu-sheet key `opens_case` = a case type code (hazard). A record with a
value in `<code>_case_description` then opens a case of that type, in the record's unit, reported by the
user who entered the record, from the record's `<code>_case_*` fields:

    <code>_case_title        the case's title (else the start of the description)
    <code>_case_category     a category code of the type (else the type's category `other`, else its first)
    <code>_case_description  the case's content
    <code>_case_deadline     a date: the case's deadline in days from today (else the type's own)

The record keeps the case (`RegisterRecord.case`); the case's source names the record. A live record's
case is received when the record is entered: the case engine's clock starts when the hazard reaches it.
Only a loader of records of past days (the demo's year of inspections) gives the time its record was
made, and the case is received then, its deadline counted from that day.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import RegisterRecord

TITLE_LENGTH = 80  # Case.title


def open_case(
    user: Any, record: RegisterRecord, definition: Any, received_at: datetime | None = None
) -> None:
    """Open the record's case when its definition asks for one and the record found something; it is
    received now, or at `received_at` for a record of a past day."""
    code = definition.opens_case
    if not code:
        return
    values = _case_values(record, code)
    description = str(values.get("description") or "").strip()
    if not description:
        return
    from zhenwu.cases import services as cases

    case_type = cases.case_type_by_code(code)
    if case_type is None:
        raise ValidationError({f"{code}_case_description": f"事件类型“{code}”不存在，无法开立事件。"})
    title = str(values.get("title") or "").strip() or description
    case = cases.create_case(
        user,
        case_type=case_type,
        category=_category(case_type, str(values.get("category") or "")),
        title=title[:TITLE_LENGTH],
        description=description,
        org_unit=record.unit,
        deadline_days=_days_until(values.get("deadline"), timezone.localdate(received_at)),
        source=f"{record.register.title[:30]}#{record.pk}",
        received_at=received_at,
    )
    record.case = case
    record.save(update_fields=["case"])


def _category(case_type: Any, code: str) -> Any:
    # Category codes are unique across types: the standard ones carry the type's code (hazard-fire).
    categories = {
        category.code.removeprefix(f"{case_type.code}-"): category for category in case_type.categories.all()
    }
    found = categories.get(code) or categories.get("other") or next(iter(categories.values()), None)
    if found is None:
        raise ValidationError({"case": f"事件类型“{case_type.name}”没有类别，无法开立事件。"})
    return found


def _case_values(record: RegisterRecord, code: str) -> dict[str, Any]:
    return {key.removeprefix(f"{code}_case_"): value for key, value in record.data.items()}


def _days_until(deadline: Any, day: date) -> int | None:
    """The days from `day` to the deadline the record set; none (the type's own) when unset or past."""
    try:
        days = (date.fromisoformat(str(deadline)) - day).days
    except ValueError:
        return None
    return days if days > 0 else None
