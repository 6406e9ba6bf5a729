"""The compiler's outline: figures chosen, ordered and dropped per sub-section, lead sentences and the
places of offices' entries are kept per township and report kind, and regenerating gives the same
document; a figure new to the catalogue is offered, not printed, until the compiler adds it."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client

from tests.conftest import Cast
from zhenwu.documents.model import Document, Style
from zhenwu.org.models import OrgUnit, User
from zhenwu.reports import outline as outlines
from zhenwu.reports import services
from zhenwu.reports.kinds import KINDS, spec_for
from zhenwu.reports.models import ReportOutline

pytestmark = pytest.mark.usefixtures("full_demo")
SPEC = spec_for("half-year", 2026)
LEAD = "今年以来，我镇坚持稳中求进，主要经济指标总体平稳"


@pytest.fixture
def admin(db: None) -> User:
    return User.objects.get(username="admin")


@pytest.fixture
def township(admin: User) -> OrgUnit:
    return services.find_unit(admin, "示范镇")


def section_of(document: Document, title: str) -> list[str]:
    """The paragraphs under one sub-section heading of 工作成效 ([] when it has none)."""
    texts = [(p.style, p.text) for p in document.paragraphs]
    starts = [i for i, (style, text) in enumerate(texts) if style == Style.HEADING2 and text.endswith(title)]
    if not starts:
        return []
    end = next(i for i in range(starts[0] + 1, len(texts)) if texts[i][0] != Style.BODY)
    return [text for _, text in texts[starts[0] + 1 : end]]


def arranged(admin: User, township: OrgUnit) -> tuple[outlines.Arrangement, list[outlines.Placement]]:
    found = services.catalogue_entries(admin, township, SPEC)
    arrangement, _ = services.arrangement_for(admin, township, SPEC, found)
    return arrangement, arrangement.placement


def test_order_drop_lead_and_entry_placement_survive_regeneration(admin: User, township: OrgUnit) -> None:
    arrangement, placement = arranged(admin, township)
    economy = arrangement.sections["economy"]
    assert len(economy) >= 3 and placement
    economy.reverse()
    dropped = arrangement.sections["projects"].pop(0)
    arrangement.dismissed.append(dropped)
    arrangement.leads["economy"] = LEAD
    moved = placement[0]
    arrangement.placement = [outlines.Placement(moved.entry, "highlights", "livelihood"), *placement[1:]]
    services.save_outline(admin, township, SPEC, arrangement)

    first = services.compiled_report(admin, township, SPEC)
    again = services.compiled_report(admin, township, SPEC)
    assert first.text == again.text

    economy_text = section_of(first, "经济指标")
    assert economy_text[0].startswith(LEAD + "。")
    keys = [f.key.split(":")[1] for f in first.figures if f.key.startswith("indicator:")]
    reversed_codes = [key.split(":")[1] for key in economy]
    shown = [code for code in dict.fromkeys(keys) if code in reversed_codes]
    assert shown == [code for code in reversed_codes if code in shown]  # in the compiler's order
    assert dropped not in {f.key.rsplit(":", 1)[0] for f in first.figures} | {f.key for f in first.figures}
    entry = next(e for e in services.chosen_entries(admin, township, SPEC) if e.id == moved.entry)
    assert entry.text.strip() in "".join(section_of(first, "民生保障"))


def test_the_outline_is_kept_per_township_and_kind_not_per_year(admin: User, township: OrgUnit) -> None:
    arrangement, _ = arranged(admin, township)
    arrangement.leads["safety"] = "安全生产形势总体平稳。"
    services.save_outline(admin, township, SPEC, arrangement)
    last_year = spec_for("half-year", 2025, date(2026, 11, 18))
    assert services.outline_for(township, last_year) == services.outline_for(township, SPEC)
    assert services.outline_for(township, spec_for("q1", 2026)) is None
    village = OrgUnit.objects.filter(path__startswith=township.path, kind="village").first()
    assert village is not None
    assert services.outline_for(village, SPEC) == services.outline_for(township, SPEC)


def test_a_custom_span_takes_the_outline_of_the_kind_of_its_months() -> None:
    months = {code: (kind.first_month, kind.last_month) for code, kind in KINDS.items()}
    assert outlines.outline_kind("span", date(2026, 1, 1), date(2026, 6, 30), months) == "half-year"
    assert outlines.outline_kind("span", date(2026, 1, 1), date(2026, 8, 31), months) == "m8"
    assert outlines.outline_kind("span", date(2026, 3, 1), date(2026, 8, 31), months) == "span:3-8"
    assert outlines.outline_kind("q2", date(2026, 4, 1), date(2026, 6, 30), months) == "q2"


def test_a_new_figure_is_offered_not_printed_until_added(
    admin: User, township: OrgUnit, client: Client
) -> None:
    arrangement, _ = arranged(admin, township)
    new = arrangement.sections["safety"].pop()  # as if the catalogue gained it after the outline was saved
    services.save_outline(admin, township, SPEC, arrangement)
    assert ReportOutline.objects.get(org_unit=township, kind="half-year").dismissed == []

    document = services.compiled_report(admin, township, SPEC)
    assert new not in {f.key for f in document.figures}
    found = services.catalogue_entries(admin, township, SPEC)
    assert [
        item.key
        for item in outlines.offered(services.arrangement_of(services.outline_for(township, SPEC)), found)
    ] == [new]  # type: ignore[arg-type]

    client.force_login(admin)
    url = f"/reports/units/{township.pk}/outline/?kind=half-year&year=2026"
    page = client.get(url).content.decode()
    assert "新增可选指标" in page and f'value="add|{new}"' in page
    saved = services.outline_for(township, SPEC)
    assert saved is not None
    form = _form_of(saved) | {"action": f"add|{new}"}
    assert client.post(url, form).status_code == 302
    assert new in services.outline_for(township, SPEC).sections["safety"]  # type: ignore[union-attr]
    assert "新增可选指标" not in client.get(url).content.decode()
    after = services.compiled_report(admin, township, SPEC)
    assert any(f.key.startswith(new) for f in after.figures) or len(after.text) > len(document.text)


def test_removing_a_figure_sets_it_aside_and_the_page_shows_a_figure_without_value(
    admin: User, township: OrgUnit, client: Client
) -> None:
    arrangement, _ = arranged(admin, township)
    arrangement.sections["economy"].append("indicator:no-value-this-span")
    arrangement.labels["indicator:no-value-this-span"] = "某指标"
    saved = ReportOutline.objects.create(
        org_unit=township, kind="half-year", sections=arrangement.sections, labels=arrangement.labels,
        placement=outlines.placement_json(arrangement.placement), updated_by=admin,
    )  # fmt: skip
    client.force_login(admin)
    url = f"/reports/units/{township.pk}/outline/?kind=half-year&year=2026"
    page = client.get(url).content.decode()
    assert '某指标 <small class="hint">本期无数值，不写入报告</small>' in page
    first = arrangement.sections["economy"][0]
    assert client.post(url, _form_of(saved) | {"action": f"remove|economy|{first}"}).status_code == 302
    saved.refresh_from_db()
    assert first not in saved.sections["economy"] and first in saved.dismissed
    assert "indicator:no-value-this-span" in saved.sections["economy"]  # kept though it has no value now


def test_an_unknown_key_is_refused_with_its_name(admin: User, township: OrgUnit) -> None:
    arrangement, _ = arranged(admin, township)
    arrangement.sections["economy"].append("indicator:nonesuch")
    with pytest.raises(ValidationError, match="indicator:nonesuch"):
        services.save_outline(admin, township, SPEC, arrangement)
    assert not ReportOutline.objects.exists()


def test_a_lead_sentence_is_checked_like_any_typed_text(admin: User, township: OrgUnit) -> None:
    arrangement, _ = arranged(admin, township)
    arrangement.leads["economy"] = "经济\u202e平稳"
    with pytest.raises(ValidationError, match=r"经济指标.*引导语.*改变文字方向"):
        services.save_outline(admin, township, SPEC, arrangement)


def test_only_the_compiler_arranges_and_another_township_is_404(
    cast: Cast, township: OrgUnit, client: Client
) -> None:
    leader = User.objects.get(username="leader")
    arrangement, _ = arranged(User.objects.get(username="admin"), township)
    with pytest.raises(PermissionDenied):
        services.save_outline(leader, township, SPEC, arrangement)
    client.force_login(leader)
    refused = client.get(f"/reports/units/{township.pk}/outline/?kind=half-year&year=2026")
    assert refused.status_code == 403 and "无权访问" in refused.content.decode()
    client.force_login(User.objects.get(username="admin"))
    assert client.get(f"/reports/units/{cast.other_township.pk}/outline/").status_code == 404


def test_the_command_writes_the_report_as_the_outline_arranges_it(admin: User, township: OrgUnit) -> None:
    arrangement, _ = arranged(admin, township)
    arrangement.leads["economy"] = LEAD
    services.save_outline(admin, township, SPEC, arrangement)
    out = StringIO()
    call_command("report", "half-year", "--org", "示范镇", "--year", "2026", "--format", "md", stdout=out)
    assert LEAD + "。" in out.getvalue()


def _form_of(saved: ReportOutline) -> dict[str, object]:
    """The page's form as a browser posts it for this outline."""
    form: dict[str, object] = {f"key_{s}": keys for s, keys in saved.sections.items()}
    form |= {f"lead_{s}": text for s, text in saved.leads.items()}
    form["dismissed"] = saved.dismissed
    form["entry"] = [p["entry"] for p in saved.placement]
    for p in saved.placement:
        form[f"place_{p['entry']}"] = f"highlights:{p['section']}" if p["part"] == "highlights" else p["part"]
    return form
