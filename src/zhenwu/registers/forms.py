from __future__ import annotations

from typing import Any

from django import forms

from zhenwu.org.models import OrgUnit
from zhenwu.web.forms import Form

# A definition workbook is a few sheets of text; anything larger is not one.
MAX_DEFINITION_BYTES = 5 * 1024 * 1024


class LoadForm(Form):
    township = forms.ModelChoiceField(label="乡镇/街道", queryset=OrgUnit.objects.none(), empty_label=None)
    file = forms.FileField(label="XLSForm 文件(.xlsx)")

    def __init__(self, *args: Any, townships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 格式的 XLSForm 文件。")
        if upload.size > MAX_DEFINITION_BYTES:
            raise forms.ValidationError("文件过大：台账定义不应超过 5MB。")
        return upload
