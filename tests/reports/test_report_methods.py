"""主要做法 says what was done with numbers, from the activity registers; 存在问题 and 下步计划 name what is
late: the demo's half-year report against figures counted here from the records themselves."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from zhenwu.cases.models import CaseType
from zhenwu.cases.services import case_figures, end_of_day
from zhenwu.documents.model import Document, Figure, Style
from zhenwu.org.models import OrgUnit, User
from zhenwu.registers import figures as register_figures
from zhenwu.registers.figures import RegisterLine
from zhenwu.registers.models import Register, RegisterRecord
from zhenwu.reports import services
from zhenwu.reports.compose import ReportFigures, compose
from zhenwu.reports.compose import chinese_ordinal as ordinal
from zhenwu.reports.kinds import spec_for

pytestmark = pytest.mark.usefixtures("full_demo")
START, END = date(2026, 1, 1), date(2026, 6, 30)


@pytest.fixture
def report(db: None) -> Document:
    admin = User.objects.get(username="admin")
    return services.compiled_report(admin, services.find_unit(admin, "示范镇"), spec_for("half-year", 2026))


def section(document: Document, heading: str) -> str:
    texts = [(p.style, p.text) for p in document.paragraphs]
    start = next(
        i for i, (style, text) in enumerate(texts) if style == Style.HEADING1 and text.endswith(heading)
    )
    end = next((i for i in range(start + 1, len(texts)) if texts[i][0] == Style.HEADING1), len(texts))
    return "\n".join(text for _, text in texts[start + 1 : end])


def records(form_id: str, date_field: str) -> list[dict[str, Any]]:
    """The township's records of a register dated in the half-year, read straight from the table."""
    found = RegisterRecord.objects.filter(register__form_id=form_id, register__township__code="990101001")
    return [r.data for r in found if START.isoformat() <= r.data.get(date_field, "") <= END.isoformat()]


def figure(document: Document, key: str) -> Figure:
    found = [f for f in document.figures if f.key == key]
    assert found, key
    return found[0]


def test_the_campaigns_read_as_counted_sentences_equal_to_their_records(report: Document) -> None:
    sanitation = [r for r in records("campaign", "start_date") if r["campaign_type"] == "sanitation"]
    people = sum(int(r["people"]) for r in sanitation)
    tons = sum(
        (
            Decimal(o["output_quantity"])
            for r in sanitation
            for o in r["outputs"]
            if o["output_unit"] == "ton"
        ),
        Decimal(0),
    )
    assert sanitation and people and tons
    assert figure(report, "methods:campaign:campaigns/sanitation").value == len(sanitation)
    assert figure(report, "methods:campaign:people/sanitation").value == people
    assert figure(report, "methods:campaign:garbage/sanitation").value == tons
    methods = section(report, "主要做法")
    assert f"开展爱国卫生活动{len(sanitation)}次，出动人员{people}人次" in methods
    assert f"清理垃圾杂物{tons.normalize():f}吨" in methods


def test_inspections_and_enterprise_visits_read_as_counted_sentences(report: Document) -> None:
    inspections = records("place_inspection", "inspect_date")
    hazchem = [r for r in inspections if r["place_type"] == "hazchem"]
    hazards = sum(int(r.get("hazard_count") or 0) for r in inspections)
    visits = records("enterprise_visit", "visit_date")
    solved = [r for r in visits if r.get("solved") == "solved"]
    methods = section(report, "主要做法")
    assert f"在安全生产方面，检查各类场所{len(inspections)}家次，其中危化场所{len(hazchem)}家次，" in methods
    assert f"排查事故隐患{hazards}项" in methods
    assert f"走访企业及项目{len(visits)}次" in methods
    assert f"帮助解决诉求难题{len(solved)}个" in methods
    # the registers' sentences first, by work, then the offices' entries
    paragraphs = methods.split("\n")
    assert paragraphs[0].startswith("一是在项目建设与招商引资方面，走访企业及项目")
    assert any(p.startswith(f"{ordinal(len(paragraphs))}是") for p in paragraphs[-1:])


def test_a_sentence_figure_links_to_exactly_the_records_it_counted(report: Document) -> None:
    admin = User.objects.get(username="admin")
    counted = figure(report, "methods:campaign:campaigns/sanitation")
    (source,) = counted.sources
    assert source.route == "registers:record-list" and dict(source.query)["sentence"] == "sanitation"
    register = Register.objects.get(form_id="campaign")
    listed = register_figures.listed(admin, register, dict(source.query), register.records.all())
    assert {r.data["campaign_type"] for r in listed} == {"sanitation"}
    assert listed.count() == counted.value
    assert counted.how.endswith("中符合“${campaign_type} = 'sanitation'”的记录的数量")


def test_the_problems_name_the_hazards_past_their_rectification_deadline(report: Document) -> None:
    township = OrgUnit.objects.get(code="990101001")
    # as the hazards stood at the end of the span: one rectified since then was overdue on 30 June
    june = case_figures(
        User.objects.get(username="admin"), township, date(2026, 1, 1), date(2026, 6, 30),
        now=end_of_day(date(2026, 6, 30)),
    )  # fmt: skip
    hazard = CaseType.objects.get(code="hazard").name
    overdue = next(figures.overdue for name, figures in june.by_type if name == hazard)
    assert overdue
    assert f"{overdue}处隐患已过整改时限仍未整改销号" in section(report, "存在问题")
    assert f"督促{overdue}处逾期隐患限期整改" in section(report, "工作计划")


def test_nothing_to_state_says_why(db: None) -> None:
    empty = compose(ReportFigures(spec=spec_for("half-year", 2026), unit_name="空白镇", unit_code="X"))
    assert section(empty, "主要做法") == "（本单位的台账未设置主要做法句式，各站所也尚未填报本期主要做法。）"
    assert section(empty, "存在问题") == (
        "本期没有按序时进度考核的指标。经对照项目月研判、事件办理期限、隐患整改时限和监测户走访情况，"
        "没有需要列出的问题，各站所也未填报存在问题。"
    )
    assert section(empty, "工作计划").startswith("（各站所尚未填报下阶段工作计划，本期也没有需要跟进的")


def test_registers_with_sentences_but_no_records_in_the_span_say_so(db: None) -> None:
    quiet = RegisterLine("活动与宣传记录", "campaign", [], [], declares_methods=True)
    spec = spec_for("half-year", 2026)
    empty = compose(ReportFigures(spec=spec, unit_name="空白镇", unit_code="X", registers=[quiet]))
    assert (
        section(empty, "主要做法") == "（上半年各活动台账没有登记开展的工作，各站所也尚未填报本期主要做法。）"
    )


def test_paragraphs_are_counted_past_ten() -> None:
    assert [ordinal(n) for n in (1, 10, 11, 20, 23)] == ["一", "十", "十一", "二十", "二十三"]
