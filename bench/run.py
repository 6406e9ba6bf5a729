"""`make bench` and `make bench-county`: every benchmark in one run, on a generated township or county.

    python bench/run.py quick    # one township on SQLite, a few minutes
    python bench/run.py county   # twenty townships on PostgreSQL (BENCH_DATABASE_URL)

Generates the data when the database is empty (`zhenwu bench-data`), then runs the server benchmark
(pages and case intake against gunicorn), the half-year report, the periodic jobs' scans, the
100,000-row import, the reader, hostile uploads and the registers (1,000,000 register records; the
import, onboarding and registers each on a database of its own), each of which writes
bench/results/*.json; `bench/summary.py` turns those into the README's table.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from httpload import ROOT, environment

PYTHON = str(ROOT / ".venv" / "bin" / "python")
ZHENWU = str(ROOT / ".venv" / "bin" / "zhenwu")
BENCH = ROOT / "bench"
COUNTY_URL = "postgres://postgres@127.0.0.1:5432/zhenwu_county"
IMPORT_URL = "postgres://postgres@127.0.0.1:5432/zhenwu_bench_import"
ONBOARDING_URL = "postgres://postgres@127.0.0.1:5432/zhenwu_bench_onboarding"
REGISTERS_URL = "postgres://postgres@127.0.0.1:5432/zhenwu_bench_registers"

PLANS = {
    "quick": {
        "townships": 1,
        "label": "township_sqlite",
        "http": ["--seconds", "3", "--page-requests", "20"],
        "import_rows": "20000",
        "reader_mb": "2",
        "onboarding_townships": "20",
        "registers": ["--records", "50000", "--import-rows", "20000", "--requests", "20", "--seconds", "3"],
    },
    "county": {
        "townships": 20,
        "label": "county_postgresql",
        "http": ["--seconds", "10", "--page-requests", "40"],
        "import_rows": "100000",
        "reader_mb": "10",
        "onboarding_townships": "20",
        "registers": ["--records", "1000000", "--import-rows", "100000", "--requests", "40"],
    },
}


def run(command: list[str], env: dict[str, str]) -> None:
    print("$", " ".join(command), flush=True)
    subprocess.run(command, env=env, check=True, cwd=ROOT)


def postgres_database(url: str, fresh: bool) -> None:
    """Create the database named by `url` on its server (dropping it first when `fresh`)."""
    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("select 1 from pg_database where datname = %s", [name]).fetchone()
        if exists and fresh:
            connection.execute(f'drop database "{name}" with (force)')
            exists = None
        if not exists:
            connection.execute(f'create database "{name}"')


def has_data(env: dict[str, str]) -> bool:
    probe = "from zhenwu.org.models import OrgUnit; print(OrgUnit.objects.exists())"
    out = subprocess.run([ZHENWU, "shell", "-c", probe], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip().endswith("True")


def prepare(plan: dict[str, object], url: str) -> dict[str, str]:
    env = environment(url)
    run([ZHENWU, "migrate", "--noinput", "-v0"], env)
    if not has_data(env):
        started = time.perf_counter()
        run([ZHENWU, "bench-data", "--townships", str(plan["townships"])], env)
        print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    return env


def main(mode: str) -> int:
    plan = PLANS[mode]
    started = time.perf_counter()
    if mode == "quick":
        database = ROOT / "var" / "bench" / "township.sqlite3"
        database.parent.mkdir(parents=True, exist_ok=True)
        for stale in database.parent.glob("township.sqlite3*"):
            stale.unlink()
        url, import_url, onboarding_url = f"sqlite:///{database}", "", ""
        registers_url = f"sqlite:///{database.parent / 'registers.sqlite3'}"
        for stale in database.parent.glob("registers.sqlite3*"):
            stale.unlink()
    else:
        url, import_url = os.environ.get("BENCH_DATABASE_URL", COUNTY_URL), IMPORT_URL
        onboarding_url, registers_url = ONBOARDING_URL, REGISTERS_URL
        postgres_database(url, fresh=False)
        postgres_database(import_url, fresh=True)
        postgres_database(onboarding_url, fresh=True)
        postgres_database(registers_url, fresh=True)
    env = prepare(plan, url)
    label = str(plan["label"])
    run([PYTHON, str(BENCH / "http_bench.py"), "--database-url", url, "--label", label, *plan["http"]], env)
    run([PYTHON, str(BENCH / "report_bench.py"), label], env)
    run([PYTHON, str(BENCH / "jobs_bench.py"), label], env)
    import_env = {k: v for k, v in env.items() if k != "DATABASE_URL"}
    if import_url:
        import_env["DATABASE_URL"] = import_url
    run([PYTHON, str(BENCH / "households_import.py"), str(plan["import_rows"]), label], import_env)
    onboarding_env = {k: v for k, v in env.items() if k != "DATABASE_URL"}
    if onboarding_url:
        onboarding_env["DATABASE_URL"] = onboarding_url
    run(
        [PYTHON, str(BENCH / "onboarding_bench.py"), str(plan["onboarding_townships"]), label], onboarding_env
    )
    run([PYTHON, str(BENCH / "reader_bench.py"), "--mb", str(plan["reader_mb"]), "--label", label], env)
    run([PYTHON, str(BENCH / "uploads_bench.py"), "--label", label], env)
    # The registers' county: the same tree, with register records in place of the other records.
    registers = [PYTHON, str(BENCH / "registers_bench.py"), "--database-url", registers_url, "--label", label]
    run([*registers, "--townships", str(plan["townships"]), *plan["registers"]], env)
    run([PYTHON, str(BENCH / "summary.py"), *(["--readme"] if mode == "county" else [])], env)
    print(f"bench {mode}: {time.perf_counter() - started:.0f} s in all")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in PLANS:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(PLANS)}}}")
    sys.exit(main(sys.argv[1]))
