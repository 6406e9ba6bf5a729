"""`zhenwu check FILE [--json]`: read a report and print what its figures say about each other."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from typing import TextIO

from zhenwu.core.uploads import UploadRefused
from zhenwu.reader.audit import analyse, to_json
from zhenwu.reader.files import read_file
from zhenwu.reader.model import SEVERITY_LABELS, Audit, Finding

_QUOTE_WIDTH = 120


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhenwu check", description="核对报告中的数字：占比、合计、乘积、增减、占位符。"
    )
    parser.add_argument("file", help="报告文件（.txt UTF-8 或 .docx）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出全部数字与核对结果")
    parser.add_argument(
        "--date",
        type=_iso_date,
        default=None,
        help="报告日期 YYYY-MM-DD，用于核对“已逾期N天”等；不给则取文中落款日期",
    )
    return parser


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写作 YYYY-MM-DD，例如 2026-12-02，而不是“{text}”") from None


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when the report was read (whatever it contains), 2 when the file cannot be read."""
    args = build_parser().parse_args(argv)
    try:
        text = read_file(args.file)
    except OSError as exc:
        sys.stderr.write(f"无法读取文件 {args.file}：{exc.strerror or exc}\n")
        return 2
    except UploadRefused as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    audit = analyse(text, dated=args.date)
    try:
        if args.json:
            sys.stdout.write(json.dumps(to_json(audit), ensure_ascii=False) + "\n")
        else:
            write_report(audit, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader of our output (head, less) went away: not an error of the check.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def write_report(audit: Audit, out: TextIO) -> None:
    """Findings for a person: each with its sentence, then a summary line."""
    for number, finding in enumerate(audit.findings, start=1):
        out.write(f"{number}. [{finding.severity_label}] {finding.message}\n")
        if finding.relation:
            out.write(f"   核对的关系：{finding.relation}（配对：{finding.pairing_label}）\n")
        sentence = _sentence(audit, finding)
        if sentence:
            out.write(f"   原文：{sentence}\n")
    out.write(_summary(audit) + "\n")


def _sentence(audit: Audit, finding: Finding) -> str:
    sentence = " ".join(audit.sentence_of_finding(finding).split())
    return sentence if len(sentence) <= _QUOTE_WIDTH else sentence[: _QUOTE_WIDTH - 1] + "…"


def _summary(audit: Audit) -> str:
    counts = {level: sum(1 for f in audit.findings if f.severity == level) for level in SEVERITY_LABELS}
    holes = sum(1 for f in audit.figures if f.placeholder)
    return (
        f"共识别数字{len(audit.figures)}个（其中占位符{holes}个）；"
        f"错误{counts['error']}条，警告{counts['warning']}条，提示{counts['info']}条。"
    )
