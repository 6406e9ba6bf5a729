"""Case types, the holiday table, and a helper to make cases the way the app does."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from zhenwu.cases import services
from zhenwu.cases.models import Case, CaseCategory, CaseType
from zhenwu.org.models import OrgUnit, User


def category(type_code: str, name: str) -> CaseCategory:
    return CaseCategory.objects.get(case_type__code=type_code, name=name)


def make_case(
    user: User | None,
    unit: OrgUnit,
    type_code: str = "grid_event",
    category_name: str = "环境卫生",
    **extra: Any,
) -> Case:
    case_type = CaseType.objects.get(code=type_code)
    fields: dict[str, Any] = {
        "title": "路口垃圾堆放",
        "description": "村口路口垃圾堆放两天未清运",
        "case_type": case_type,
        "category": category(type_code, category_name) if category_name else case_type.categories.first(),
        "org_unit": unit,
    }
    fields.update(extra)
    return services.create_case(user, **fields)


def act(user: User, case: Case, action: str, **data: Any) -> Case:
    fresh = Case.objects.get(pk=case.pk)
    return services.transition(user, case.pk, action, fresh.version, services.TransitionInput(**data))


def image_upload(fmt: str = "PNG", name: str | None = None) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=fmt)
    content_type = "image/png" if fmt == "PNG" else "image/jpeg"
    return SimpleUploadedFile(name or f"photo.{fmt.lower()}", buffer.getvalue(), content_type=content_type)
