"""The first-run page's form: the township and its county by official code, and the first admin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from zhenwu.onboarding import LABELS
from zhenwu.org.models import OrgKind, OrgUnit, User
from zhenwu.web.forms import Form


class SetupForm(Form):
    township = forms.CharField(label=LABELS["township"], max_length=64, help_text="如：河口镇")
    code = forms.CharField(
        label=LABELS["code"], max_length=12, help_text="12位统计用区划代码，如 990102101000"
    )
    county = forms.CharField(label=LABELS["county"], max_length=64, help_text="如：清源县")
    county_code = forms.CharField(
        label=LABELS["county_code"], max_length=12, help_text="12位统计用区划代码，如 990102000000"
    )
    display_name = forms.CharField(label="管理员姓名", max_length=32)
    username = forms.CharField(
        label="登录用户名", max_length=150, help_text="字母、数字或 @ . + - _，如 zhouht"
    )
    password1 = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput(render_value=False))
    password2 = forms.CharField(label="再次输入密码", strip=False, widget=forms.PasswordInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.error_messages["required"] = f"请填写「{field.label}」。"
            field.error_messages["max_length"] = f"「{field.label}」最多 %(limit_value)d 个字符。"
            field.widget.attrs.setdefault("autocomplete", "off" if "password" not in name else "new-password")
        self.fields["code"].widget.attrs["inputmode"] = "numeric"
        self.fields["county_code"].widget.attrs["inputmode"] = "numeric"
        if not self.is_bound:
            self.initial.update(_township_already_there())

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        try:
            User.username_validator(username)
        except ValidationError:
            raise ValidationError("「登录用户名」只能包含字母、数字和 @ . + - _ 。") from None
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "两次输入的密码不一致。")
        elif first:
            candidate = User(
                username=cleaned.get("username", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def _township_already_there() -> dict[str, str]:
    """When `zhenwu init` has run, the page starts filled with what it prepared."""
    townships = list(OrgUnit.objects.filter(kind=OrgKind.TOWNSHIP).select_related("parent")[:2])
    if len(townships) != 1 or townships[0].parent is None:
        return {}
    township = townships[0]
    assert township.parent is not None
    return {
        "township": township.name,
        "code": township.code,
        "county": township.parent.name,
        "county_code": township.parent.code,
    }
