"""Outputs know records, records do not know outputs: read from every module's imports with `ast`.

`zhenwu.documents` renders documents and imports no records app and not `reports`; no records package
imports `reports` (a report reads the records' services, never the other way round).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import zhenwu

SOURCE = Path(zhenwu.__file__).resolve().parent
# The apps that keep records: every top-level package of zhenwu except the outputs, the pure cores and
# the site's shell. A new package is a records package until it is named here.
NOT_RECORDS = {"documents", "reports", "core", "reader", "web", "benchdata", "management"}
RECORDS = sorted(
    p.name
    for p in SOURCE.iterdir()
    if p.is_dir() and (p / "__init__.py").exists() and p.name not in NOT_RECORDS
)


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module `path` imports, absolute, including imports inside functions and TYPE_CHECKING."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            found.add(stem)
            found.update(f"{stem}.{alias.name}" for alias in node.names)  # `from zhenwu import reports`
    return found


def modules_under(package: str) -> list[Path]:
    return sorted((SOURCE / package).rglob("*.py"))


def imported(path: Path, packages: list[str]) -> list[str]:
    return sorted(
        module
        for module in imports_of(path)
        for package in packages
        if module == f"zhenwu.{package}" or module.startswith(f"zhenwu.{package}.")
    )


def test_the_walk_sees_the_packages_and_the_imports_it_must_judge() -> None:
    assert {"cases", "households", "projects", "indicators", "registers", "org"} <= set(RECORDS)
    assert {"workcalendar", "activity"} <= set(RECORDS)
    assert modules_under("documents") and modules_under("reports")
    services = SOURCE / "reports" / "services.py"
    assert "zhenwu.cases.services" in imports_of(services)  # `from zhenwu.cases import services`
    assert "zhenwu.reports.compose" in imports_of(services)  # `from .compose import ...`


def test_the_document_renderer_imports_no_records_app_and_not_reports() -> None:
    found = {
        module_name(path): imported(path, [*RECORDS, "reports", "web"]) for path in modules_under("documents")
    }
    assert {name: modules for name, modules in found.items() if modules} == {}


@pytest.mark.parametrize("package", RECORDS)
def test_a_records_package_does_not_import_reports(package: str) -> None:
    found = {module_name(path): imported(path, ["reports"]) for path in modules_under(package)}
    assert {name: modules for name, modules in found.items() if modules} == {}
