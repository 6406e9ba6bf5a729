"""Throughput of the report reader against a plain digit scan, measured in the same run.

usage: python bench/reader_bench.py [--mb N]

Builds about N MB (UTF-8) of township-report text by repeating the corpus reports and varying their
numbers, times `analyse()` and `re.finditer(r"\\d+")` over the same text, prints MB/s for both and
their ratio, and writes bench/results/reader.json (reader_LABEL.json with --label).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from zhenwu.reader import analyse  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
RESULTS = ROOT / "bench" / "results" / "reader.json"

# Used when the corpus is not beside the repository: a few typical report paragraphs.
FALLBACK = """一、主要经济指标完成情况
固定资产投资完成4.9亿元，占全年任务的49.0%，同比增长28%；社会消费品零售总额2.55亿元，同比增长16.9%。
全镇共有在建项目30个，其中工业项目18个、农业项目12个，总投资3.6亿元。
全镇小麦播种面积3.2万亩，平均亩产450公斤，总产1440万公斤；发放耕地地力保护补贴60万元。
共排查隐患56处，已整改48处，整改率85.7%；受理市长热线工单1200余件，按期办结率98.5%。
"""


def _seed_texts() -> list[str]:
    if CORPUS.is_dir():
        texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
        if texts:
            return [*texts, FALLBACK]
    return [FALLBACK]


def _vary(text: str, rng: random.Random) -> str:
    """Change every number a little, so that repeated text is not the same text."""
    return re.sub(r"\d+", lambda m: str(max(1, int(m.group()) + rng.randint(-3, 3))), text)


def build_text(megabytes: float, seed: int = 7) -> str:
    rng = random.Random(seed)
    seeds = _seed_texts()
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    size = 0
    while size < target:
        chunk = _vary(rng.choice(seeds), rng)
        parts.append(chunk)
        size += len(chunk.encode("utf-8"))
    return "\n".join(parts)


def _time(func: Any, text: str) -> tuple[float, Any]:
    started = time.perf_counter()
    result = func(text)
    return time.perf_counter() - started, result


def _digit_scan(text: str) -> int:
    return sum(1 for _ in re.finditer(r"\d+", text))


def _memory_bytes() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def _peak_rss_kb() -> int | None:
    try:
        import resource

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    except ImportError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="megabytes of text to read (default 10)")
    parser.add_argument("--label", default="", help="writes bench/results/reader_LABEL.json")
    args = parser.parse_args(argv)
    text = build_text(args.mb)
    megabytes = len(text.encode("utf-8")) / 1_000_000
    scan_seconds, matches = _time(_digit_scan, text)
    reader_seconds, audit = _time(analyse, text)
    reader_rate = megabytes / reader_seconds
    scan_rate = megabytes / scan_seconds
    result = {
        "megabytes": round(megabytes, 3),
        "characters": len(text),
        "reader_seconds": round(reader_seconds, 3),
        "reader_mb_per_s": round(reader_rate, 3),
        "digit_scan_seconds": round(scan_seconds, 3),
        "digit_scan_mb_per_s": round(scan_rate, 3),
        "reader_over_scan_ratio": round(reader_seconds / scan_seconds, 1),
        "figures": len(audit.figures),
        "findings": len(audit.findings),
        "digit_runs": matches,
        "cpu_count": os.cpu_count(),
        "memory_bytes": _memory_bytes(),
        "peak_rss_kb": _peak_rss_kb(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    print(f"text:        {megabytes:.2f} MB, {len(text)} characters")
    print(f"reader:      {reader_rate:8.2f} MB/s ({reader_seconds:.2f} s, {len(audit.figures)} figures)")
    print(f"digit scan:  {scan_rate:8.2f} MB/s ({scan_seconds:.2f} s)")
    print(f"ratio:       reader takes {reader_seconds / scan_seconds:.1f}x the time of a plain \\d+ scan")
    out = RESULTS.with_name(f"reader_{args.label}.json") if args.label else RESULTS
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
