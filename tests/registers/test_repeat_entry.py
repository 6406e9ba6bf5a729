"""The web form of a register with a repeat: the repeat a fieldset of rows named as a Django formset's
("outputs-0-what"), rows added and deleted (by the page's script, or by the server without it), every
row checked on the server and its errors shown on the row they belong to."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from zhenwu.registers.models import RegisterRecord

from .helpers import load
from .repeats import campaign

URL = reverse("registers:record-create", kwargs={"form_id": "activities"})


def posted(*rows: tuple[str, str, str], **extra: str) -> dict[str, Any]:
    """The form as the browser sends it: the record's fields, then each row under its prefix."""
    sent: dict[str, Any] = {"day": "2026-11-01", "title": "集中清洁日", "people": "40"}
    sent |= {"outputs-TOTAL_FORMS": str(len(rows)), "outputs-INITIAL_FORMS": "0"}
    sent |= {"outputs-MIN_NUM_FORMS": "0", "outputs-MAX_NUM_FORMS": "200"}
    for index, (what, qty, unit) in enumerate(rows):
        sent |= {f"outputs-{index}-what": what, f"outputs-{index}-qty": qty, f"outputs-{index}-unit": unit}
    return sent | extra


def rows_of(page: str) -> list[str]:
    """The page's rows of the repeat (the empty row of its <template> aside), as HTML."""
    rows = page[page.index("data-repeat-rows>") : page.index("<template data-repeat-empty>")]
    return rows.split("data-repeat-row>")[1:]


def test_the_repeat_is_a_fieldset_with_one_empty_row_an_add_button_and_a_row_to_copy(
    cast: Cast, client: Client
) -> None:
    load(cast, campaign())
    client.force_login(cast.user("wangge01"))
    page = client.get(URL).content.decode()
    assert '<fieldset class="repeat" data-repeat="outputs"' in page and "<legend>产出</legend>" in page
    assert 'name="outputs-TOTAL_FORMS" value="1"' in page
    (row,) = rows_of(page)
    assert "产出 第<span data-row-number>1</span>项" in row
    assert 'name="outputs-0-what"' in row and 'name="outputs-0-qty"' in row and 'inputmode="decimal"' in row
    assert 'type="radio" name="outputs-0-unit" value="ton"' in row  # three units: buttons
    assert 'data-relevant-field="outputs-0-unit" data-relevant-value="ton"' in row  # 清运去向, same row
    assert 'value="outputs-0" data-repeat-delete' in row and "删除" in row
    template = page[page.index("<template data-repeat-empty>") : page.index("</template>")]
    assert 'name="outputs-__prefix__-qty"' in template
    assert 'name="_repeat_add" value="outputs" data-repeat-add' in page and "添加一项" in page


def test_two_rows_are_saved_as_the_records_list(cast: Cast, client: Client) -> None:
    load(cast, campaign())
    client.force_login(cast.user("wangge01"))
    response = client.post(URL, posted(("垃圾", "3.5", "ton"), ("宣传单", "200", "copy")))
    record = RegisterRecord.objects.get(register__form_id="activities")
    assert response.status_code == 302, response.content.decode()
    assert [(row["what"], row["qty"], row["unit"]) for row in record.data["outputs"]] == [
        ("垃圾", "3.5", "ton"),
        ("宣传单", "200", "copy"),
    ]
    assert record.data["total_tons"] == "3.5"


def test_a_broken_constraint_in_the_second_row_is_shown_on_that_row_and_nothing_is_saved(
    cast: Cast, client: Client
) -> None:
    load(cast, campaign())
    client.force_login(cast.user("wangge01"))
    response = client.post(URL, posted(("垃圾", "3.5", "ton"), ("宣传单", "0", "copy")))
    assert response.status_code == 200 and not RegisterRecord.objects.exists()
    page = response.content.decode()
    first, second = rows_of(page)
    assert "数量须大于0" not in first
    assert '<p class="field-error">产出第2项「数量」：数量须大于0</p>' in second
    assert 'value="宣传单"' in second and 'value="0"' in second  # what was typed is kept
    assert "有 1 处需要修改" in page


def test_a_row_left_blank_is_not_sent_and_an_error_still_finds_its_row(cast: Cast, client: Client) -> None:
    load(cast, campaign())
    client.force_login(cast.user("wangge01"))
    response = client.post(URL, posted(("", "", ""), ("宣传单", "-1", "copy")))
    blank, second = rows_of(response.content.decode())
    assert "field-error" not in blank
    assert "产出第1项「数量」：数量须大于0" in second  # the first row sent is the page's second
    response = client.post(URL, posted(("", "", ""), ("宣传单", "5", "copy")))
    assert response.status_code == 302
    assert len(RegisterRecord.objects.get().data["outputs"]) == 1


def test_without_javascript_the_buttons_add_and_delete_a_row_and_save_nothing(
    cast: Cast, client: Client
) -> None:
    load(cast, campaign())
    client.force_login(cast.user("wangge01"))
    added = client.post(URL, posted(("垃圾", "3.5", "ton"), _repeat_add="outputs")).content.decode()
    assert len(rows_of(added)) == 2 and 'name="outputs-TOTAL_FORMS" value="2"' in added
    assert 'name="outputs-1-what"' in added and "有 " not in added.split("<form", 1)[1][:400]
    three = posted(("垃圾", "3.5", "ton"), ("宣传单", "200", "copy"), ("标语", "12", "piece"))
    deleted = client.post(URL, {**three, "_repeat_delete": "outputs-1"}).content.decode()
    first, second = rows_of(deleted)
    assert 'value="垃圾"' in first and 'name="outputs-1-what"' in second and 'value="标语"' in second
    assert "宣传单" not in deleted
    assert not RegisterRecord.objects.exists()


def test_a_form_without_the_rows_management_data_is_refused_not_saved(cast: Cast, client: Client) -> None:
    load(cast, campaign())
    client.force_login(cast.user("wangge01"))
    response = client.post(URL, {"day": "2026-11-01", "title": "集中清洁日"})
    assert response.status_code == 200 and not RegisterRecord.objects.exists()


def test_a_repeat_asked_only_on_a_condition_is_hidden_by_the_page_until_it_holds(
    cast: Cast, client: Client
) -> None:
    sheets = campaign()
    sheets["survey"].insert(4, ["select_one unit", "main_unit", "主要单位", "", "", "", "", ""])
    sheets["survey"][5][6] = "${main_unit} = 'ton'"  # the begin_repeat row
    load(cast, sheets)
    client.force_login(cast.user("wangge01"))
    page = client.get(URL).content.decode()
    assert (
        'data-repeat="outputs" data-max-rows="200" data-relevant-field="main_unit" data-relevant-value="ton"'
        in page
    )


def test_the_activity_log_entry_of_a_record_with_a_repeat_is_readable(cast: Cast, client: Client) -> None:
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    load(cast, campaign())
    client.force_login(cast.user("wangge01"))
    client.post(URL, posted(("垃圾", "3.5", "ton"), ("宣传单", "200", "copy")))
    record = RegisterRecord.objects.get(register__form_id="activities")
    entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(RegisterRecord), object_pk=str(record.pk)
    ).latest("pk")
    client.force_login(cast.user("admin"))
    page = client.get(reverse("activity:entry-detail", args=[entry.pk])).content.decode()
    assert "产出：2项" in page and "集中清洁日" in page
