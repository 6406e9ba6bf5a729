"""A county's worth of townships starting at once: for each, `zhenwu init`, its first admin, and the
imports of its files (org tree and offices, accounts, the indicator workbook, three case ledgers, the
household register, the monitoring list and the 低保 grants), all checked first and then written.

The files are the onboarding fixtures' (tests/fixtures/township/make_*.py), written for each township
of a generated county (its own names, 12-digit codes, phones and identity numbers). The floor, measured
in the same run: openpyxl alone reading every row of the same files in read-only mode.

Run with `.venv/bin/python bench/onboarding_bench.py [TOWNSHIPS] [LABEL]` (a throw-away SQLite database,
or DATABASE_URL for an empty PostgreSQL one); writes bench/results/onboarding_LABEL.json.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
import time
import types
from pathlib import Path

from _setup import machine, setup_django, write_result

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "township"
TOWNSHIPS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
COUNTY = ("清源县", "990102000000")
TARGET_SECONDS_PER_TOWNSHIP = 60


def township_spec(n: int) -> types.ModuleType:
    """The n-th township of the county, shaped like the fixtures' township.py."""
    spec = _load("township", FIXTURES / "township.py")
    code = f"990102{100 + n:03d}000"
    spec.COUNTY = COUNTY
    spec.TOWNSHIP = (f"第{n}镇", code)
    spec.VILLAGES = [(f"{name[:-1]}{n}{name[-1]}", f"{code[:9]}{vcode[-3:]}", kind)
                     for name, vcode, kind in spec.VILLAGES]  # fmt: skip
    spec.PEOPLE = [(name, f"1{n + 30:02d}{phone[3:]}", _renamed(unit, spec, n), office, role)
                   for name, phone, unit, office, role in spec.PEOPLE]  # fmt: skip
    return spec


def _renamed(unit: str, spec: types.ModuleType, n: int) -> str:
    if unit == "河口镇":
        return str(spec.TOWNSHIP[0])
    for village in ("河口社区", "新街社区", "李家村", "王庄村", "柳湾村", "石桥村", "东坡村", "白杨村"):
        if unit.startswith(village):
            return unit.replace(village, f"{village[:-1]}{n}{village[-1]}", 1)
    return unit


def _load(name: str, path: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_files(n: int, folder: Path) -> None:
    """The township's files, by the fixture scripts run against its spec instead of 河口镇's."""
    sys.modules["township"] = township_spec(n)
    make_org = _load("make_org", FIXTURES / "make_org.py")
    make_org.write_org(folder / "组织机构.xlsx")
    make_org.write_accounts(folder / "人员账号.xlsx")
    _load("make_indicators", FIXTURES / "make_indicators.py").write(folder / "指标台账.xlsx")
    make_history = _load("make_history", FIXTURES / "make_history.py")
    make_history.HERE = folder
    make_history.REGION = f"99{n:02d}01"  # identity numbers and 户编号 differ from township to township
    make_history.HOUSEHOLD_PREFIX = f"T{n:02d}HK"
    make_history.main()


def floor(folders: list[Path]) -> tuple[float, int]:
    from openpyxl import load_workbook

    start, rows = time.perf_counter(), 0
    for folder in folders:
        for path in sorted(folder.glob("*.xlsx")):
            book = load_workbook(path, read_only=True, data_only=True)
            rows += sum(1 for sheet in book.worksheets for _ in sheet.iter_rows(values_only=True))
            book.close()
    return time.perf_counter() - start, rows


def main() -> None:
    setup_django()
    sys.path.insert(0, str(ROOT))
    from django.db import connection
    from tests.fixtures.township.onboard import import_history, import_indicators, import_org_and_people

    from zhenwu.cases.models import Case
    from zhenwu.onboarding import prepare_township
    from zhenwu.org import services
    from zhenwu.org.models import OrgUnit, Role, User

    base = Path(tempfile.mkdtemp())
    folders = []
    for n in range(1, TOWNSHIPS + 1):
        folders.append(base / f"t{n:02d}")
        folders[-1].mkdir()
        write_files(n, folders[-1])
    floor_time, rows = floor(folders)
    steps = {"init": 0.0, "org and people": 0.0, "indicators": 0.0, "history": 0.0}
    start = time.perf_counter()
    for n, folder in enumerate(folders, start=1):
        spec = sys.modules["township"] = township_spec(n)
        began = time.perf_counter()
        prepare_township(
            township=spec.TOWNSHIP[0], code=spec.TOWNSHIP[1], county=COUNTY[0], county_code=COUNTY[1]
        )
        township = OrgUnit.objects.get(code=spec.TOWNSHIP[1])
        admin = services.create_user(username=f"admin{n}", password=None, role=Role.TOWNSHIP_ADMIN,
                                     org_unit=township)  # fmt: skip
        steps["init"] += time.perf_counter() - began
        for step, run in [("org and people", import_org_and_people), ("indicators", import_indicators),
                          ("history", import_history)]:  # fmt: skip
            began = time.perf_counter()
            run(admin, folder)
            steps[step] += time.perf_counter() - began
    total = time.perf_counter() - start
    units = OrgUnit.objects.count()
    print(f"onboarding a county of {TOWNSHIPS} townships on {connection.vendor}")
    print(f"  {rows} rows in {len(folders) * 9} files; {units} units, {User.objects.count()} accounts, "
          f"{Case.objects.count()} cases")  # fmt: skip
    print(f"  floor (openpyxl read-only, every row of every file): {floor_time:.2f} s")
    for step, seconds in steps.items():
        print(f"  {step}: {seconds:.2f} s")
    per_township = total / TOWNSHIPS
    print(
        f"  all: {total:.2f} s ({per_township:.2f} s a township), ratio {total / floor_time:.1f} to the floor"
    )
    label = sys.argv[2] if len(sys.argv) > 2 else connection.vendor
    write_result(f"onboarding_{label}", {
        "townships": TOWNSHIPS, "files": len(folders) * 9, "rows": rows, "database": connection.vendor,
        "units": units, "accounts": User.objects.count(), "cases": Case.objects.count(),
        "floor_seconds": round(floor_time, 2), "steps_seconds": {k: round(v, 2) for k, v in steps.items()},
        "onboarding_seconds": round(total, 1), "ratio": round(total / floor_time, 1),
        "seconds_per_township": round(per_township, 2),
        "target_seconds_per_township": TARGET_SECONDS_PER_TOWNSHIP,
        "met": per_township < TARGET_SECONDS_PER_TOWNSHIP, "machine": machine(),
    })  # fmt: skip


if __name__ == "__main__":
    main()
