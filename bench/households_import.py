"""Importing a register of 100,000 member rows (about 31,000 households across the 12 demo villages).

Prints the time of the whole import (read, validate every identity number, encrypt, index, check
duplicates against the database, bulk-write, all in one transaction) against a floor measured in the
same run: openpyxl alone reading the same file in read-only mode. The target is under a minute in all.
Run with `.venv/bin/python bench/households_import.py [ROWS] [LABEL]` (a throw-away SQLite database, or
DATABASE_URL for an empty PostgreSQL one); writes bench/results/households_import_LABEL.json.
"""

from __future__ import annotations

import platform
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from _setup import machine, setup_django, write_result

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000


def write_register(path: Path, rows: int) -> int:
    """A register in the import template's layout; returns the number of households."""
    from openpyxl import Workbook

    from zhenwu.core import idcard
    from zhenwu.households.excel import REGISTER_COLUMNS
    from zhenwu.org import demo

    rng = random.Random(11)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("名册")
    sheet.append(REGISTER_COLUMNS)
    used: set[str] = set()
    household, written = 0, 0
    relations = ["户主", "配偶", "子女", "子女", "父母"]
    while written < rows:
        household += 1
        village = (household % len(demo.VILLAGES)) + 1
        for k in range(min(rng.randint(1, 5), rows - written)):
            while True:
                birth = date(1940, 1, 1) + timedelta(days=rng.randint(0, 30_000))
                number = idcard.compose(f"99{village:04d}", birth, rng.randint(0, 999))
                if number not in used:
                    used.add(number)
                    break
            sheet.append(
                [demo.VILLAGES[village - 1], f"{demo.VILLAGES[village - 1]}第{household % 5 + 1}网格",
                 f"B{household:07d}", "一组", "", f"成员{written}", relations[k], number,
                 "13800001111" if k == 0 else "", "否"]
            )  # fmt: skip
            written += 1
    book.save(path)
    return household


def floor(path: Path) -> float:
    from openpyxl import load_workbook

    start = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert count == ROWS + 1
    return time.perf_counter() - start


def main() -> None:
    setup_django()
    from zhenwu.households import excel
    from zhenwu.households.models import Household, Member
    from zhenwu.org import demo
    from zhenwu.org.models import User

    demo.load()
    Member.objects.all().delete()
    Household.objects.all().delete()
    user = User.objects.get(username="minzheng")
    path = Path(tempfile.mkdtemp()) / "register.xlsx"
    households = write_register(path, ROWS)
    floor_time = floor(path)
    start = time.perf_counter()
    with path.open("rb") as source:
        report = excel.import_register(user, source, path.name, dry_run=False)
    import_time = time.perf_counter() - start
    assert report.ok and report.written, report.errors[:5]
    assert Member.objects.count() == ROWS and Household.objects.count() == households
    from django.db import connection

    print(f"households import on {connection.vendor}, Python {platform.python_version()}")
    print(f"  {ROWS} member rows, {households} households")
    print(f"  floor (openpyxl read-only, reading every row): {floor_time:.2f} s")
    print(f"  import (validate, encrypt, index, check, write):  {import_time:.2f} s")
    verdict = "met" if import_time < 60 else "NOT met"
    print(f"  ratio {import_time / floor_time:.2f}; target under 60 s: {verdict}")
    label = sys.argv[2] if len(sys.argv) > 2 else connection.vendor
    result = {
        "rows": ROWS,
        "households": households,
        "database": connection.vendor,
        "import_seconds": round(import_time, 1),
        "floor_seconds": round(floor_time, 1),
        "ratio": round(import_time / floor_time, 2),
        "target_seconds": 60,
        "met": import_time < 60,
        "machine": machine(),
    }
    write_result(f"households_import_{label}", result)


if __name__ == "__main__":
    main()
