"""A case ledger's faults are listed in the order of its columns within a row, and a header with a
renamed or added column names it."""

from __future__ import annotations

import pytest

from tests.cases.test_ledger_import import HEAD, hazard, run, sheet
from tests.hekou import Hekou, build
from zhenwu.cases.models import CaseType


@pytest.fixture
def hekou(types: dict[str, CaseType]) -> Hekou:
    return build()


def test_the_faults_of_a_row_are_listed_in_the_order_of_its_columns(hekou: Hekou) -> None:
    report = run(hekou, "hazard", sheet(hazard("AQ-1", 联系电话="12345", 受理单位="宣传办")), dry_run=True)
    assert [e.split("：")[0] for e in report.errors] == ["第2行「联系电话」", "第2行「受理单位」"]


def test_a_renamed_and_an_added_column_are_named(hekou: Hekou) -> None:
    head = [{"收到日期": "收到时间"}.get(c, c) for c in HEAD] + ["序号"]
    row = [*hazard(), 1]
    report = run(hekou, "hazard", sheet(row, head=head), dry_run=True)
    assert report.errors == [
        "缺少列「收到日期」，请使用下载的模板。",
        "第1行K列：表头「收到时间」不是模板中的列，请使用下载的模板或删除该列。",
        "第1行Q列：表头「序号」不是模板中的列，请使用下载的模板或删除该列。",
    ]
