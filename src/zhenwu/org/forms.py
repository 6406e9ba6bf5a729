from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from zhenwu.web import downloads
from zhenwu.web.forms import CheckedTextMixin, Form

from .models import OrgKind, OrgUnit, Role, User
from .widgets import UnitPicker, labelled, refusal


class UnitFilterForm(Form):
    kind = forms.ChoiceField(label="层级", required=False, choices=[("", "全部层级"), *OrgKind.choices])
    q = forms.CharField(label="名称或编码", required=False, max_length=64)

    def filter(self, units: QuerySet[OrgUnit]) -> QuerySet[OrgUnit]:
        if not self.is_valid():
            return units
        if kind := self.cleaned_data["kind"]:
            units = units.filter(kind=kind)
        if q := self.cleaned_data["q"].strip():
            units = units.filter(Q(name__contains=q) | Q(code__startswith=q))
        return units

    def query_string(self) -> str:
        """The filters as a query string, for the pager's links."""
        if not self.is_valid():
            return ""
        return urlencode({k: v for k, v in self.cleaned_data.items() if v})


class WorkbookForm(Form):
    """An .xlsx to import, refused by name and size before it is read."""

    file = forms.FileField(label="填好的 Excel 文件(.xlsx)")

    def __init__(self, *args: Any, upload_kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.upload_kind = upload_kind

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError("请上传 .xlsx 格式的 Excel 文件(可先下载模板)。")
        downloads.check_upload_size(upload, self.upload_kind)
        return upload


class AccountFilterForm(Form):
    unit = forms.ChoiceField(
        label="单位", required=False, widget=UnitPicker, error_messages={"invalid_choice": refusal("单位")}
    )
    role = forms.ChoiceField(label="角色", required=False, choices=[("", "全部角色"), *Role.choices])
    q = forms.CharField(label="姓名、用户名或手机号", required=False, max_length=64)

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部单位")] + [(u.code, label) for u, label in labelled(units)]  # type: ignore[attr-defined]

    def filter(self, users: QuerySet[User], units: list[OrgUnit]) -> QuerySet[User]:
        if not self.is_bound:
            return users
        if not self.is_valid():
            return users.none()  # a unit outside the scope, or a role that does not exist
        if code := self.cleaned_data["unit"]:
            unit = next(u for u in units if u.code == code)
            users = users.filter(org_unit__path__startswith=unit.path)
        if role := self.cleaned_data["role"]:
            users = users.filter(role=role)
        if q := self.cleaned_data["q"].strip():
            users = users.filter(Q(display_name__contains=q) | Q(username__contains=q) | Q(phone__contains=q))
        return users

    def query_string(self) -> str:
        if not self.is_valid():
            return ""
        return urlencode({k: v for k, v in self.cleaned_data.items() if v})


class FirstPasswordForm(CheckedTextMixin, SetPasswordForm):  # type: ignore[type-arg]
    """Django's set-password form: both fields and every configured password validator."""
