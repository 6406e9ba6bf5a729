"""The README's table of the latest results, from bench/results/*.json.

    python bench/summary.py [--readme]

Prints one table per scale (the labels `bench/run.py` gives: township_sqlite, county_postgresql);
with --readme, replaces the block between the bench markers in README.md with them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from _setup import RESULTS

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
LABELS = {
    "county_postgresql": "county, PostgreSQL (`make bench-county`)",
    "township_sqlite": "one township, SQLite (`make bench`; the targets are the county's on PostgreSQL, and "
    "SQLite writes one transaction at a time)",
}


def read(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def verdict(met: bool | None) -> str:
    return "—" if met is None else ("met" if met else "**not met**")


def http_rows(result: dict[str, Any]) -> list[str]:
    floor = result["floor"]["pages"]
    rows = [
        f"| floor: `/healthz` (constant, same server) | p50 {floor['p50_ms']} ms, p95 {floor['p95_ms']} ms "
        "| — | 1 | — |"
    ]
    for page in result["pages"]:
        rows.append(
            f"| {page['page']} | p50 {page['p50_ms']} ms, p95 {page['p95_ms']} ms | p95 < 200 ms "
            f"| {page['p95_ratio_to_floor']} | {verdict(page['met'])} |"
        )
    for intake in result["intake"]:
        floor_rate = result["floor"][f"clients_{intake['clients']}"]["per_second"]
        target = "≥ 300/s, p95 < 50 ms, none lost" if intake["clients"] == 8 else "none lost"
        met = intake.get("met", intake["lost"] == 0)
        rows.append(
            f"| case intake, {intake['channel']}, {intake['clients']} clients | {intake['per_second']}/s, "
            f"p95 {intake['p95_ms']} ms, p99 {intake['p99_ms']} ms, {intake['acknowledged']} acknowledged, "
            f"{intake['lost']} lost | {target} | {round(floor_rate / intake['per_second'], 1)} "
            f"| {verdict(met)} |"
        )
    return rows


def other_rows(label: str) -> list[str]:
    rows = []
    if report := read(f"report_{label}"):
        rows.append(
            f"| half-year report of {report.get('township', 'a township')} as .docx | "
            f"{report['report_seconds']} s, {report['queries']} queries | < 2 s | {report['ratio']} "
            f"| {verdict(report['report_seconds'] < 2)} |"
        )
    if reader := read(f"reader_{label}"):
        rows.append(
            f"| reader, {reader['megabytes']:.0f} MB of report text | {reader['reader_mb_per_s']:.1f} MB/s "
            f"| ≥ 1 MB/s | {reader['reader_over_scan_ratio']} | {verdict(reader['reader_mb_per_s'] >= 1)} |"
        )
    if imported := read(f"households_import_{label}"):
        rows.append(
            f"| Excel import, {imported['rows']:,} member rows | {imported['import_seconds']} s "
            f"| < 60 s | {imported['ratio']} | {verdict(imported['met'])} |"
        )
    if onboarding := read(f"onboarding_{label}"):
        rows.append(
            f"| onboarding {onboarding['townships']} townships (init and {onboarding['files']} files, "
            f"{onboarding['rows']:,} rows) | {onboarding['seconds_per_township']} s a township "
            f"| < {onboarding['target_seconds_per_township']} s | {onboarding['ratio']} "
            f"| {verdict(onboarding['met'])} |"
        )
    if uploads := read(f"uploads_{label}"):
        rows += upload_rows(uploads)
    if registers := read(f"registers_{label}"):
        rows += register_rows(registers)
    return rows


def register_rows(result: dict[str, Any]) -> list[str]:
    """The registers on a county of their own: figures and lists against a plain SELECT of the same
    rows, pages and ODK Collect against the same server's `/healthz`, the import against reading the
    file and COPYing its records."""
    scale, register = result["scale"], result["register"]
    floor = result["floor"]["pages"]
    rows = [
        f"| registers' floor: `/healthz` (constant, same server); {scale['townships']} townships' "
        f"{scale['records']:,} register records, {register['form_id']} of {register['township']} "
        f"{register['records']:,} | p50 {floor['p50_ms']} ms, p95 {floor['p95_ms']} ms | — | 1 | — |"
    ]
    for query in result["queries"]:
        rows.append(
            f"| register {query['what']} | p50 {query['p50_ms']} ms, p95 {query['p95_ms']} ms "
            f"| p95 < {query['target_p95_ms']} ms | {query['p95_ratio_to_floor']} | {verdict(query['met'])} |"
        )
    for page in result["pages"]:
        rows.append(
            f"| {page['page']} | p50 {page['p50_ms']} ms, p95 {page['p95_ms']} ms | p95 < "
            f"{page['target_p95_ms']} ms | {page['p95_ratio_to_floor']} | {verdict(page['met'])} |"
        )
    sent = result["submissions"]
    rows.append(
        f"| {sent['what']} | {sent['per_second']}/s, p95 {sent['p95_ms']} ms, p99 {sent['p99_ms']} ms, "
        f"{sent['acknowledged']} acknowledged, {sent['lost']} lost | {sent['target']} "
        f"| {sent['throughput_ratio_to_floor']} | {verdict(sent['met'])} |"
    )
    imported = result["import"]
    rows.append(
        f"| {imported['what']} (beside {scale['records']:,} records) | {imported['import_seconds']} s "
        f"(reading {imported['read_seconds']} s) | < {imported['target_seconds']} s | {imported['ratio']} "
        f"| {verdict(imported['met'])} |"
    )
    return rows


def upload_rows(result: dict[str, Any]) -> list[str]:
    """Hostile uploads: each one's time to refusal and the worker's peak memory, against a right file."""
    rows = [
        f"| upload floor: {floor['what'].removeprefix('floor: ')} | {floor['seconds']} s, "
        f"worker peak {floor['peak_rss_mb']:.0f} MB | — | 1 | — |"
        for floor in result["floors"].values()
    ]
    rows += [
        f"| upload, for comparison: {right['what']} | {right['seconds']} s, worker peak "
        f"{right['peak_rss_mb']:.0f} MB | — | — | — |"
        for right in result.get("references", [])
    ]
    target = f"a message, peak < {result['target_peak_mb']} MB"
    for upload in result["uploads"]:
        rows.append(
            f"| upload: {upload['what']} | {upload['status']} in {upload['seconds']} s, worker peak "
            f"{upload['peak_rss_mb']:.0f} MB | {target} | {upload['peak_ratio_to_floor']} (memory), "
            f"{upload['time_ratio_to_floor']} (time) | {verdict(upload['met'])} |"
        )
    return rows


def table(label: str) -> list[str]:
    http = read(f"http_{label}")
    if http is None:
        return []
    scale = http["scale"]
    machine = http["machine"]
    lines = [
        f"**{LABELS.get(label, label)}**: {scale['townships']} townships, {scale['villages']} villages, "
        f"{scale['cases']:,} cases, {scale['indicator_values']:,} indicator values, "
        f"{scale['projects']:,} projects, {scale['households']:,} households; gunicorn "
        f"{http['server']['workers']} workers, {machine['cores']} cores, {machine['memory_gib']} GiB, "
        f"run {machine['run_at'][:10]}.",
        "",
        "| what | result | target | ratio to its floor | met |",
        "|---|---|---|---|---|",
        *http_rows(http),
        *other_rows(label),
    ]
    return lines


def summary() -> str:
    parts = [table(label) for label in LABELS]
    lines: list[str] = []
    for part in parts:
        if part:
            lines += [*part, ""]
    lines.append(
        "Ratios: a page's p95 over the floor's p95; intake, the floor's requests per second over the "
        "intake's at the same number of clients; the report, over python-docx writing the same paragraphs; "
        "the import, over openpyxl reading the same file; the reader, over a plain `\\d+` pass over the same "
        "text; an upload, its worker's peak memory and its time over those of a right file of the same kind "
        "(docs/uploads.md); a register's figures or list, over a plain SELECT of the same rows from the same "
        "index; an ODK Collect submission, the floor's requests per second over the submissions' at 8 "
        "clients; the register import, over openpyxl reading the same file and COPY writing its records."
    )
    return "\n".join(lines)


def main() -> int:
    text = summary()
    print(text)
    if "--readme" in sys.argv:
        readme = README.read_text()
        if START not in readme or END not in readme:
            sys.exit(f"README.md has no {START} … {END} block")
        head, rest = readme.split(START, 1)
        tail = rest.split(END, 1)[1]
        README.write_text(f"{head}{START}\n{text}\n{END}{tail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
