"""zhenwu report half-year --org 示范镇 --year 2026 --out report.docx
zhenwu report --from 2026-01 --to 2026-08 --org 示范镇 --out report.docx (any span of months or days)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhenwu.documents.docx import render
from zhenwu.documents.html import html
from zhenwu.documents.markdown import markdown
from zhenwu.org.models import User
from zhenwu.reports import services
from zhenwu.reports.kinds import KINDS, ReportSpec, SpanError, span_spec, spec_for


class Command(BaseCommand):
    help = (
        "写出工作总结：季度(q1…q4)、上半年(half-year)、年度(annual)或1—2月…1—11月(m2…m11)；"
        "或任意时段(--from 2026-01 --to 2026-08，可写到日：2026-03-15)。docx/md/html。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind", nargs="?", choices=list(KINDS), help="报告类型；或用 --from/--to 给出时段"
        )
        parser.add_argument("--org", required=True, help="乡镇/村的编码或名称")
        parser.add_argument("--year", type=int, help="报告类型的年度")
        parser.add_argument("--from", dest="start", help="时段开始：月份 2026-01 或日期 2026-01-15")
        parser.add_argument("--to", dest="end", help="时段结束：月份 2026-08 或日期 2026-08-20")
        parser.add_argument("--format", choices=["docx", "md", "html"], default=None)
        parser.add_argument("--out", help="输出文件；不给则 md/html 打印到屏幕")
        parser.add_argument("--user", help="以该账号的数据范围写报告；不给则读全部数据")

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options["user"])
        try:
            unit = services.find_unit(user, options["org"])
            spec = self._spec(options)
        except (LookupError, ValueError) as error:
            raise CommandError(str(error)) from error
        out = options["out"]
        kind = options["format"] or (Path(out).suffix.lstrip(".") if out else "md")
        if kind not in ("docx", "md", "html"):
            raise CommandError("输出格式应为 docx、md 或 html。")
        document = services.compiled_report(user, unit, spec)
        if kind == "docx":
            if not out:
                raise CommandError("docx 需要 --out 文件名。")
            Path(out).write_bytes(render(document))
        else:
            content = markdown(document) if kind == "md" else html(document)
            if out:
                Path(out).write_text(content, encoding="utf-8")
            else:
                self.stdout.write(content)
        if out:
            self.stdout.write(f"已写出 {out}：{document.title}")

    def _spec(self, options: dict[str, Any]) -> ReportSpec:
        """A named kind of a year, or the span --from … --to; one of the two, whole."""
        spanned = options["start"] is not None or options["end"] is not None
        if options["kind"] and spanned:
            raise CommandError("报告类型与 --from/--to 只能给出一种。")
        if spanned:
            if options["year"] is not None:
                raise CommandError("--from/--to 已含年份，不必再给 --year。")
            try:
                return span_spec(options["start"] or "", options["end"] or "")
            except SpanError as error:
                flag = {"from": "--from", "to": "--to"}[error.field]
                raise CommandError(f"{flag}：{error}") from error
        if not options["kind"]:
            raise CommandError("请给出报告类型(如 half-year)，或用 --from/--to 给出时段。")
        if options["year"] is None:
            raise CommandError("请用 --year 给出报告年度。")
        return spec_for(options["kind"], options["year"])

    def _user(self, username: str | None) -> User:
        if username is None:
            # the operator of the installation reads every unit, as a superuser would
            return User(username="report-cli", is_superuser=True, is_active=True)
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有账号“{username}”。")
        return user
