"""Hostile uploads against the server as a township runs it: each one's peak worker memory and time to
refusal, against a floor measured the same way in the same run (a small right file of the same kind).

    python bench/uploads_bench.py [--label LABEL]

The files come from bench/bombs.py (generated into var/bench/bombs on first use). The server is
`zhenwu serve` (gunicorn, DEBUG off) on a throw-away SQLite database holding the demo township, with one
worker, started afresh for each file: it is warmed by posting the floor file of the same kind twice,
then the worker's peak RSS is reset (/proc/PID/clear_refs) and the file posted once. Kept per file: the
HTTP status, the message the page shows, the worker's RSS before and its peak during the request
(VmHWM), and the request's wall time. Workbooks go to the household register import (as 民政办, a dry
run), documents to the number check (核数). Results go to bench/results/uploads_LABEL.json.
"""

from __future__ import annotations

import argparse
import http.client
import re
import subprocess
import sys
import time
import uuid
from html import unescape
from pathlib import Path
from typing import Any

from _setup import machine, write_result
from bombs import BOMBS, DEFAULT_DIR, FLOORS, REFERENCES, generate, unpacked_size
from httpload import ROOT, ZHENWU, Server, environment, log_in

MB = 1024 * 1024
DEMO_PASSWORD = "zhenwu-demo"
# What each kind of file is posted to, as whom, in which field, and its floor.
TARGETS = {
    ".xlsx": ("/households/import/register/", "minzheng", "file", "register_small.xlsx"),
    ".docx": ("/check/", "cun01", "upload", "report_small.docx"),
}
# The target: a refusal on the page, and the worker's peak under this. A worker idles at about 100 MB;
# 512 MB leaves room for the heaviest right request (a 100,000-row register) and none for a bomb.
TARGET_PEAK_MB = 512


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="local")
    parser.add_argument("--files", default=str(DEFAULT_DIR))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    files = generate(Path(args.files))
    env = database()
    floors = {floor: measure(env, files, floor) for floor in FLOORS}
    rows = []
    for name, (what, _) in BOMBS.items():
        row = measure(env, files, name)
        floor = floors[TARGETS[Path(name).suffix][3]]
        row |= {
            "what": what,
            "peak_ratio_to_floor": round(row["peak_rss_mb"] / floor["peak_rss_mb"], 2),
            "time_ratio_to_floor": round(row["seconds"] / floor["seconds"], 1),
            "met": row["status"] == 200 and row["peak_rss_mb"] < TARGET_PEAK_MB and bool(row["message"]),
        }
        rows.append(row)
        shown = f"{row['status']} in {row['seconds']} s, peak {row['peak_rss_mb']} MB"
        print(f"{what}: {shown} — {row['message']}")
    for name, floor in floors.items():
        floor["what"] = FLOORS[name][0]
    references = [measure(env, files, name) | {"what": what} for name, (what, _) in REFERENCES.items()]
    result = {
        "label": args.label,
        "server": {"workers": 1, "threads": 1, "debug": False, "database": "sqlite"},
        "floors": floors,
        "uploads": rows,
        "references": references,
        "target_peak_mb": TARGET_PEAK_MB,
        "machine": machine(),
    }
    path = write_result(f"uploads_{args.label}", result)
    print(f"written to {path}")
    return 0


def database() -> dict[str, str]:
    """A fresh SQLite database with the demo tree and its accounts."""
    path = ROOT / "var" / "bench" / "uploads.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob("uploads.sqlite3*"):
        stale.unlink()
    env = environment(f"sqlite:///{path}")
    subprocess.run([str(ZHENWU), "migrate", "--noinput", "-v0"], env=env, check=True)
    load = "from zhenwu.org import demo; demo.load_tree(); demo.load_accounts()"
    subprocess.run([str(ZHENWU), "shell", "-c", load], env=env, check=True)
    return env


def measure(env: dict[str, str], files: dict[str, Path], name: str) -> dict[str, Any]:
    path, floor = files[name], files[TARGETS[Path(name).suffix][3]]
    url, user, field, _ = TARGETS[path.suffix]
    with Server(env, workers=1, threads=1) as server:
        assert server.process is not None
        cookie = log_in(server.port, user, DEMO_PASSWORD)
        for _ in range(2):
            post(server.port, url, cookie, field, floor)
        worker = only_worker(server.process.pid)
        before = status_kb(worker, "VmRSS")
        Path(f"/proc/{worker}/clear_refs").write_text("5")  # VmHWM back to the RSS of now
        status, seconds, page = post(server.port, url, cookie, field, path)
        peak = status_kb(worker, "VmHWM")
    return {
        "file": name,
        "sent_mb": round(path.stat().st_size / MB, 2),
        "unpacked_mb": round(unpacked_size(path) / MB, 1),
        "status": status,
        "seconds": round(seconds, 3),
        "rss_before_mb": round(before / 1024, 1),
        "peak_rss_mb": round(peak / 1024, 1),
        "message": message(page),
    }


def post(port: int, url: str, cookie: str, field: str, path: Path) -> tuple[int, float, str]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{path.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    token = cookie.split("csrftoken=", 1)[1].split(";", 1)[0]
    headers = {
        "Cookie": cookie,
        "X-CSRFToken": token,
        "Referer": f"http://127.0.0.1:{port}{url}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.perf_counter()
    connection.request("POST", url, body=body, headers=headers)
    response = connection.getresponse()
    page = response.read().decode("utf-8", "replace")
    elapsed = time.perf_counter() - started
    connection.close()
    return response.status, elapsed, page


def only_worker(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    if len(children) != 1:
        raise RuntimeError(f"expected one gunicorn worker under {master}, found {children}")
    return int(children[0])


def status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {key} for process {pid}")


_SHOWN = [
    r'<ul class="import-errors"><li>([^<]+)</li>',
    r'<p class="field-error">([^<]+)</p>',
    r'<p class="error"[^>]*>([^<]+)</p>',
    r'<section class="card" id="import-report">\s*<h2>([^<]+)</h2>',
    r'<section class="card" id="check-summary">\s*<h2>[^<]*</h2>\s*<p>(.+?)</p>',
]


def message(page: str) -> str:
    """What the page tells the user: the first error, or the outcome of a clean read."""
    for pattern in _SHOWN:
        if found := re.search(pattern, page, re.S):
            return re.sub(r"<[^>]+>", "", unescape(found[1])).strip()
    return ""


if __name__ == "__main__":
    sys.exit(main())
