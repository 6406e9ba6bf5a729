from urllib.parse import urlencode

from django import forms
from django.db.models import Q, QuerySet

from zhenwu.web.forms import Form

from .models import OrgKind, OrgUnit


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
