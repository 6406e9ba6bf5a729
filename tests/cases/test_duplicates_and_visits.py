"""A receiver sees similar open cases and merges a duplicate; a grid worker logs visits fast."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.cases.conftest import act, make_case
from tests.conftest import Cast
from zhenwu.cases import services
from zhenwu.cases.models import Case, Visit
from zhenwu.cases.states import State


def test_a_new_report_of_the_same_problem_finds_the_open_original(cast: Cast, types: dict) -> None:
    wangge = cast.user("wangge01")
    original = make_case(wangge, cast.grid0101, description="东岗村村口垃圾堆放多日无人清运")
    make_case(wangge, cast.grid0101, "grid_event", "矛盾纠纷", description="邻里纠纷")
    make_case(cast.user("cun01"), cast.grid0102, description="村口垃圾堆放多日无人清运")
    again = make_case(wangge, cast.grid0101, description="村口垃圾堆放好几天了没人清运")
    similar = services.similar_open_cases(cast.user("cun01"), again)
    assert [s.case for s in similar] == [original]
    assert similar[0].similar_text


def test_merging_a_duplicate_closes_it_into_its_original(cast: Cast, types: dict, client: Client) -> None:
    wangge = cast.user("wangge01")
    original = make_case(wangge, cast.grid0101)
    again = make_case(wangge, cast.grid0101)
    client.force_login(wangge)
    page = client.get(reverse("cases:case-detail", kwargs={"pk": again.pk})).content.decode()
    assert "相似的未办结事件" in page and "合并到此事件" in page
    client.post(
        reverse("cases:case-detail", kwargs={"pk": again.pk}),
        {"action": "merge", "version": again.version, "duplicate_of": original.pk},
    )
    again.refresh_from_db()
    assert again.state == State.MERGED and again.duplicate_of == original and not again.is_open
    assert original in [c for c in Case.objects.open()]


def test_a_grid_worker_reports_from_the_phone_page_with_their_grid_filled_in(
    cast: Cast, types: dict, client: Client
) -> None:
    client.force_login(cast.user("wangge01"))
    category = types["grid_event"].categories.get(name="占道经营")
    response = client.post(
        reverse("cases:report"), {"category": category.pk, "description": "早餐摊占道"}, follow=True
    )
    case = Case.objects.get()
    assert case.org_unit == cast.grid0101 and case.reported_by == cast.user("wangge01")
    assert case.number in response.content.decode()


def test_a_grid_worker_logs_a_visit_and_the_bulletin_counts_it(
    cast: Cast, types: dict, client: Client
) -> None:
    client.force_login(cast.user("wangge01"))
    client.post(
        reverse("cases:visit-list"), {"target_kind": "household", "target": "王建国户", "note": "正常"}
    )
    empty = client.post(reverse("cases:visit-list"), {"target_kind": "household", "target": ""})
    assert "这个字段是必填项" in empty.content.decode() or "必填" in empty.content.decode()
    assert Visit.objects.get().grid == cast.grid0101
    from django.utils import timezone

    bulletin = services.weekly_bulletin(cast.user("leader"), cast.township, timezone.localdate())
    assert [(v.label, v.count) for v in bulletin.visits_by_grid] == [(cast.grid0101.name, 1)]
    client.force_login(cast.user("cun02"))
    assert "王建国户" not in client.get(reverse("cases:visit-list")).content.decode()


def test_village_staff_cannot_log_visits(cast: Cast, types: dict, client: Client) -> None:
    client.force_login(cast.user("cun01"))
    assert (
        client.post(reverse("cases:visit-list"), {"target_kind": "household", "target": "x"}).status_code
        == 404
    )


def test_the_case_list_is_a_fixed_number_of_queries(
    cast: Cast, types: dict, client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for n in range(30):
        make_case(cast.user("wangge01"), cast.grid0101, title=f"事件{n}")
    client.force_login(cast.user("leader"))
    with django_assert_max_num_queries(9):  # one of them the unit picker's, whatever the rows
        response = client.get(reverse("cases:case-list"))
    assert response.content.decode().count("/cases/") >= 30
    act(cast.user("wangge01"), Case.objects.first(), "accept")
