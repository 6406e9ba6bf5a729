"""The number-check page (核数): a report pasted or uploaded, shown back with its figures marked and the
reader's findings beside the sentences they come from."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from zhenwu.core.uploads import LIMITS, UploadRefused, check_text, read_capped
from zhenwu.reader import SEVERITY_LABELS, Audit, Figure, Finding, analyse, read_bytes
from zhenwu.reader.model import Severity
from zhenwu.web import downloads
from zhenwu.web.forms import Form

UPLOAD_KIND = "number_check"  # its limits, for a file and for pasted text: zhenwu.core.uploads.LIMITS
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
KIND_WORDS = {
    "amount": "数量",
    "count": "计数",
    "percent": "百分比",
    "growth": "增减",
    "share": "占比",
    "rate": "比率",
}


class NumberCheckForm(Form):
    text = forms.CharField(label="粘贴报告全文", required=False, widget=forms.Textarea(attrs={"rows": 12}))
    upload = forms.FileField(label="或上传文件(.txt 或 .docx)", required=False)

    def clean_upload(self) -> object:
        upload = self.cleaned_data.get("upload")
        if upload is None:
            return None
        if not upload.name.lower().endswith((".txt", ".docx")):
            raise ValidationError("只能上传 .txt(UTF-8)或 .docx 文件。")
        downloads.check_upload_size(upload, UPLOAD_KIND)
        return upload

    def report_text(self) -> str:
        """The text to check: the uploaded file if any, else what was pasted; either within the limits
        of the number check, or a ValidationError that says which."""
        limit = LIMITS[UPLOAD_KIND]
        upload = self.cleaned_data.get("upload")
        try:
            if upload is not None:
                return read_bytes(read_capped(upload, upload.name, limit), upload.name, limit)
            text = str(self.cleaned_data.get("text") or "")
            check_text(text, "粘贴的文字", limit)
        except UploadRefused as error:
            raise ValidationError(str(error)) from None
        return text

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("upload") and not str(cleaned.get("text") or "").strip():
            raise ValidationError("请粘贴报告全文或上传文件。")
        return cleaned


@dataclass(frozen=True)
class FindingView:
    finding: Finding
    severity_word: str
    sentence: str
    figures: list[Figure]


def _figure_title(figure: Figure) -> str:
    if figure.placeholder:
        return "占位符：待填数字"
    value = "" if figure.value is None else f"{figure.value.normalize():f}{figure.unit or ''}"
    subject = f"{figure.subject}：" if figure.subject else ""
    approx = "(约数)" if figure.approx else ""
    return f"{subject}{value}{approx} · {KIND_WORDS.get(figure.kind, figure.kind)}"


def highlighted(audit: Audit) -> SafeString:
    """The text with every figure wrapped in a mark that names its value and its worst finding."""
    worst: dict[int, Severity] = {}
    for finding in audit.findings:
        for fid in finding.figures:
            if SEVERITY_ORDER[finding.severity] < SEVERITY_ORDER.get(worst.get(fid, "none"), 9):
                worst[fid] = finding.severity
    parts, cursor = [], 0
    for figure in sorted(audit.figures, key=lambda f: f.start):
        if figure.start < cursor:
            continue  # figures never overlap, but a bad span must not garble the page
        parts.append(escape(audit.text[cursor : figure.start]))
        severity = worst.get(figure.id)
        css = f"fig {severity}" if severity else "fig"
        title = _figure_title(figure) + (f" · {SEVERITY_LABELS[severity]}" if severity else "")
        parts.append(
            f'<mark class="{css}" id="fig-{figure.id}" title="{escape(title)}">{escape(figure.text)}</mark>'
        )
        cursor = figure.end
    parts.append(escape(audit.text[cursor:]))
    return mark_safe("".join(parts))  # every piece above is escaped


def finding_views(audit: Audit) -> list[FindingView]:
    views = [
        FindingView(
            finding=f,
            severity_word=f.severity_label,
            sentence=audit.sentence_of_finding(f),
            figures=[audit.figures[i] for i in f.figures],
        )
        for f in audit.findings
    ]
    return sorted(views, key=lambda v: SEVERITY_ORDER[v.finding.severity])


def check(text: str) -> dict[str, object]:
    audit = analyse(text)
    findings = finding_views(audit)
    counts = {word: sum(1 for v in findings if v.severity_word == word) for word in SEVERITY_LABELS.values()}
    return {"audit": audit, "marked": highlighted(audit), "findings": findings, "counts": counts}
