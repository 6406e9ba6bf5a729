"""Reading a register's definition from its XLSForm workbook: what is kept, and what is refused and how."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import datetime
from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.registers.workbooks import lamps, numbered_lamps, patrol, workbook
from zhenwu.registers.definition import ROLE_CODES, Choice, DefinitionError, read_definition, workbook_hash


def read(sheets: dict[str, list[list[object]]]):  # type: ignore[no-untyped-def]
    return read_definition(workbook(sheets), "台账.xlsx")


def refusal(sheets: dict[str, list[list[object]]]) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        read(sheets)
    return caught.value.messages


def test_a_lamp_register_is_a_register_of_things_with_its_fields_in_survey_order() -> None:
    definition = read(lamps())
    assert (definition.form_id, definition.title, definition.version) == (
        "street_lamps",
        "路灯台账",
        "2026111801",
    )
    assert definition.kind == "thing"
    assert definition.entity_list == "street_lamps"
    assert definition.entity_label == "concat(${lamp_no}, ' ', ${road})"
    assert definition.identity_field == ""
    assert read(numbered_lamps()).identity_field == "lamp_no"  # what a patrol may name a lamp by
    assert [f.name for f in definition.fields] == ["lamp_no", "road", "status", "location", "photo"]
    status = definition.field("status")
    assert status.type == "select_one"
    assert status.choices == (Choice("ok", "正常"), Choice("broken", "损坏"))
    assert status.save_to == "status" and status.required and status.row == 4
    assert definition.field("lamp_no").constraint_message == "编号须是4位数字"
    assert definition.writers == ("township_admin", "department_staff", "grid_worker")
    assert definition.readers == ()
    assert [(f.name, f.aggregate, f.filter, f.unit) for f in definition.figures] == [
        ("lamps", "count", "", "盏"),
        ("broken", "count", "${status} = 'broken'", "盏"),
    ]
    assert "<h:html" in definition.xform and 'entities:saveto="status"' in definition.xform


def test_a_patrol_is_an_activity_updating_the_lamp_its_entity_id_names() -> None:
    definition = read(patrol())
    assert definition.kind == "activity"
    assert definition.entity_list == "street_lamps"
    assert definition.entity_id_field == "lamp"
    assert definition.figures[1].aggregate == "distinct" and definition.figures[1].field == "lamp"


def test_the_hash_is_the_md5_of_the_xform_and_the_same_for_the_same_workbook() -> None:
    first, second = read(lamps()), read(lamps())
    assert first.definition_hash == second.definition_hash
    assert first.definition_hash == "md5:" + hashlib.md5(first.xform.encode()).hexdigest()
    changed = lamps()
    changed["survey"][2][2] = "道路"
    assert read(changed).definition_hash != first.definition_hash


def test_the_workbook_hash_is_the_md5_of_its_bytes() -> None:
    data = workbook(lamps())
    assert workbook_hash(data) == "md5:" + hashlib.md5(data).hexdigest()


def test_a_duplicate_name_is_refused_with_its_row_and_column() -> None:
    sheets = lamps()
    sheets["survey"].append(["text", "road", "道路", "", "", "", "", ""])
    assert refusal(sheets) == ["survey表第7行「name」列：字段名重复：同一分组内的字段名不能相同。"]


def changed(change):  # type: ignore[no-untyped-def]
    sheets = lamps()
    change(sheets)
    return sheets


def with_settings(rows: list[list[object]]):  # type: ignore[no-untyped-def]
    return lambda sheets: sheets.__setitem__("settings", rows)


BAD = {
    "unknown type": (
        lambda s: s["survey"].append(["bogus", "x", "X"]),
        "survey表第7行「type」列：未知的题型“bogus”。",
    ),
    "a type XLSForm has and registers do not": (
        lambda s: s["survey"].append(["audio", "x", "X"]),
        "survey表第7行「type」列：台账暂不支持题型“audio”，可用的题型：text、integer、decimal、select_one、"
        "select_multiple、date、geopoint、image、note、calculate、begin_group、begin_repeat。",
    ),
    "duplicate name": (
        lambda s: s["survey"].append(["text", "road", "道路"]),
        "survey表第7行「name」列：字段名重复：同一分组内的字段名不能相同。",
    ),
    "invalid name": (
        lambda s: s["survey"].append(["text", "1road", "道路"]),
        "survey表第7行「name」列：名称无效：须以英文字母或下划线开头，其后只能是字母、数字、下划线、连字符或点。",
    ),
    "missing choice list": (
        lambda s: s["survey"].append(["select_one kinds", "x", "X"]),
        "survey表第7行「type」列：选项列表“kinds”在choices表中不存在。",
    ),
    "duplicate choice": (
        lambda s: s["choices"].append(["status", "ok", "好"]),
        "choices表第4行「name」列：选项名重复：同一选项列表中的选项名不能相同。",
    ),
    "unbalanced parentheses in a constraint": (
        lambda s: s["survey"].append(["integer", "x", "X", "", "", "", "(. > 3", ""]),
        "survey表第7行「constraint」列：表达式“(. > 3”语法有误，请检查括号、引号和运算符是否配对。",
    ),
    "a reference to a field that does not exist": (
        lambda s: s["survey"].append(["integer", "x", "X", "", "", "", "${height} > 3", ""]),
        "survey表第7行「constraint」列：引用的字段“height”在survey表中不存在。",
    ),
    "a function XLSForm does not have": (
        lambda s: s["survey"].append(["integer", "x", "X", "", "", "", "foo(.) > 3", ""]),
        "survey表第7行「constraint」列：表达式“foo(.) > 3”中的“foo”不是 XLSForm 可用的函数。",
    ),
    "a conditional required": (
        lambda s: s["survey"].append(["text", "x", "X", "", "${road} != ''"]),
        "survey表第7行「required」列：“${road} != ''”无效：请填 yes 或留空（台账暂不支持按条件必填）。",
    ),
    "a field without a label": (
        lambda s: s["survey"].append(["text", "x"]),
        "survey表第7行「label」列：字段“x”缺少标签（label）。",
    ),
    "a group not closed": (
        lambda s: s["survey"].append(["begin_group", "g", "分组"]),
        "survey表第7行「type」列：分组“g”的begin_group没有对应的结束行（end_group）。",
    ),
    "a repeat inside a repeat": (
        lambda s: s["survey"].extend(
            [
                ["begin_repeat", "outer", "外层"],
                ["begin_repeat", "inner", "内层"],
                ["text", "y", "Y"],
                ["end_repeat"],
                ["end_repeat"],
            ]
        ),
        "survey表第8行「type」列：台账暂不支持重复组嵌套：重复组“inner”在重复组“outer”之内，"
        "请把它移到外面，或改为普通分组（begin_group）。",
    ),
    "a repeat_count": (
        lambda s: (
            s["survey"][0].append("repeat_count"),
            s["survey"].extend(
                [["begin_repeat", "r", "R", "", "", "", "", "", "3"], ["text", "y", "Y"], ["end_repeat"]]
            ),
        ),
        "survey表第7行「repeat_count」列：台账暂不支持repeat_count（固定的重复次数）：请清空此格，由填报人逐项添加。",
    ),
    "a repeat not closed": (
        lambda s: s["survey"].extend([["begin_repeat", "r", "R"], ["text", "y", "Y"]]),
        "survey表第7行「type」列：重复组“r”的begin_repeat没有对应的结束行（end_repeat）。",
    ),
    "a photo in a repeat": (
        lambda s: s["survey"].extend([["begin_repeat", "r", "R"], ["image", "y", "Y"], ["end_repeat"]]),
        "survey表第8行「type」列：重复组“r”内暂不支持照片（image）：请把照片字段放在重复组外。",
    ),
    "save_to in a repeat": (
        lambda s: s["survey"].extend(
            [["begin_repeat", "r", "R"], ["text", "y", "Y", "", "", "height"], ["end_repeat"]]
        ),
        "survey表第8行「save_to」列：重复组“r”内的字段不能填写save_to：对象的属性只能来自重复组外的字段。",
    ),
    "a repeat named like a field": (
        lambda s: s["survey"].extend(
            [
                ["begin_group", "g", "分组"],
                ["begin_repeat", "photo", "照片"],
                ["text", "y", "Y"],
                ["end_repeat"],
                ["end_group"],
            ]
        ),
        "survey表第8行「name」列：字段名“photo”与第6行重复：台账的字段名须在整个survey表中唯一，分组不同也不行。",
    ),
    "a personal field in a repeat": (
        lambda s: (
            s["survey"].extend([["begin_repeat", "r", "R"], ["text", "phone", "电话"], ["end_repeat"]]),
            s["zhenwu"].append(["personal", "phone"]),
        ),
        "zhenwu表第6行「value」列：personal中的字段“phone”在重复组“r”内：须是重复组外的字段（每条记录只有一个值）。",
    ),
    "a count of a field in a repeat": (
        lambda s: (
            s["survey"].extend([["begin_repeat", "r", "R"], ["integer", "n", "数量"], ["end_repeat"]]),
            s["zhenwu"].append(["figure:n", "数量 | distinct | ${n} |  | 个"]),
        ),
        "zhenwu表第6行「value」列：指标“n”的字段“n”在重复组“r”内：重复组内的字段只能求和（sum）或平均（avg），按每一项计算。",
    ),
    "missing form_id": (
        with_settings([["form_title"], ["路灯台账"]]),
        "settings表第2行「form_id」列：缺少form_id。请填写台账的英文编号，如 street_lamps。",
    ),
    "a form_id that cannot be in a URL": (
        lambda s: (
            s.__setitem__("settings", [["form_id"], ["路灯"]]),
            s["entities"][1].__setitem__(0, "路灯"),
        ),
        "settings表第2行「form_id」列：form_id“路灯”无效：须以英文字母或下划线开头，"
        "只含字母、数字、下划线或连字符，至多64个字符。",
    ),
    "an unknown setting": (
        with_settings([["form_id", "form_tittle"], ["street_lamps", "路灯台账"]]),
        "settings表第1行「form_tittle」列：不支持的设置“form_tittle”，可用的设置：form_id、form_title、version、"
        "default_language、instance_name、style。",
    ),
    "a version with spaces": (
        with_settings([["form_id", "version"], ["street_lamps", "第 1 版"]]),
        "settings表第2行「version」列：版本号“第 1 版”无效："
        "只能含字母、数字、点、下划线或连字符，至多64个字符。",
    ),
    "an unknown zhenwu key": (
        lambda s: s["zhenwu"].append(["colour", "red"]),
        "zhenwu表第6行「key」列：未知的设置“colour”，可用的设置：kind、identity、readers、writers、offices、personal、"
        "points_at、points_at_field、opens_case、section、patrol_days、figure:指标名、methods:句式名。",
    ),
    "an identity field that does not exist": (
        lambda s: s["zhenwu"].append(["identity", "number"]),
        "zhenwu表第6行「value」列：identity中的字段“number”在survey表中不存在。",
    ),
    "an identity that is not required": (
        lambda s: (
            s["zhenwu"].__setitem__(2, ["identity", "road_note"])
            or s["survey"].append(["text", "road_note", "备注", "", "", "", "", ""])
        ),
        "zhenwu表第3行「value」列：identity字段“road_note”应为必填的text或integer字段：它是每个对象的编号。",
    ),
    "an unknown kind": (
        lambda s: s["zhenwu"].__setitem__(1, ["kind", "place"]),
        "zhenwu表第2行「value」列：kind“place”无效：请填 thing（物的台账）或 activity（工作记录）。",
    ),
    "an unknown role": (
        lambda s: s["zhenwu"].append(["readers", "boss"]),
        "zhenwu表第6行「value」列：readers中的角色“boss”不存在，可用的角色：county_viewer、township_admin、"
        "township_leader、department_staff、village_staff、grid_worker。",
    ),
    "a figure on a field that does not exist": (
        lambda s: s["zhenwu"].append(["figure:height", "灯高 | avg | height |  | 米"]),
        "zhenwu表第6行「value」列：指标“height”的字段“height”在survey表中不存在。",
    ),
    "a sum of a field that is not a number": (
        lambda s: s["zhenwu"].append(["figure:roads", "道路 | sum | ${road} |  | 条"]),
        "zhenwu表第6行「value」列：指标“roads”求和或平均的字段“road”须是数字（integer 或 decimal）。",
    ),
    "a figure with a broken filter": (
        lambda s: s["zhenwu"].append(["figure:ok", "正常 | count |  | ${status = 'ok' | 盏"]),
        "zhenwu表第6行「value」列：指标“ok”的筛选条件表达式“${status = 'ok'”语法有误，"
        "请检查括号、引号和运算符是否配对。",
    ),
    "a figure not in five parts": (
        lambda s: s["zhenwu"].append(["figure:ok", "正常 | count"]),
        "zhenwu表第6行「value」列：指标须写作“名称 | 统计方式 | 字段 | 筛选条件 | 单位”（共5段，可留空），"
        "零值也要报告的指标可加第6段“报零”。",
    ),
    "an unknown aggregate": (
        lambda s: s["zhenwu"].append(["figure:ok", "正常 | max | lamp_no |  | 盏"]),
        "zhenwu表第6行「value」列：统计方式“max”无效：可填 count、sum、avg、distinct 或 ratio。",
    ),
    "a personal field that does not exist": (
        lambda s: s["zhenwu"].append(["personal", "phone"]),
        "zhenwu表第6行「value」列：personal中的字段“phone”在survey表中不存在。",
    ),
    "points_at without its field": (
        lambda s: s["zhenwu"].append(["points_at", "household"]),
        "zhenwu表第6行「value」列：填写了points_at，还须填写points_at_field。",
    ),
    "a thing register without its entities sheet": (
        lambda s: (s.pop("entities"), [row.__setitem__(5, "") for row in s["survey"][1:]]),
        "entities表：物的台账（kind = thing）须有entities表，list_name填本台账的form_id，label填物的名称。",
    ),
    "a thing register whose list is another's": (
        lambda s: s["entities"].__setitem__(1, ["water_bodies", "${lamp_no}"]),
        "entities表第2行「list_name」列：物的台账的list_name须是本台账的form_id“street_lamps”。",
    ),
    "save_to without an entities sheet": (
        lambda s: s.pop("entities"),
        "survey表第2行「save_to」列：填写了save_to，但工作簿没有entities表。",
    ),
    "a calculate without its calculation": (
        lambda s: s["survey"].append(["calculate", "total", ""]),
        "survey表第7行「calculation」列：calculate字段缺少计算式（calculation）。",
    ),
    "a select without a choices sheet": (
        lambda s: s.pop("choices"),
        "工作簿缺少choices表：选择题的选项写在choices表中（list_name、name、label三列）。",
    ),
    "the same name in two groups": (
        lambda s: s["survey"].extend(
            [["begin_group", "g", "分组"], ["text", "photo", "照片"], ["end_group"]]
        ),
        "survey表第8行「name」列：字段名“photo”与第6行重复：台账的字段名须在整个survey表中唯一，分组不同也不行。",
    ),
    "a broken entity label": (
        lambda s: s["entities"].__setitem__(1, ["street_lamps", "concat(${lamp_no}"]),
        "entities表第2行「label」列：表达式“concat(${lamp_no}”语法有误，请检查括号、引号和运算符是否配对。",
    ),
    "a zhenwu sheet without its header": (
        lambda s: s.__setitem__("zhenwu", [["名称", "值"], ["kind", "thing"]]),
        "zhenwu表第1行：zhenwu表的第一行须是两列的列名：key 和 value。",
    ),
}


@pytest.mark.parametrize("kind", BAD)
def test_each_kind_of_bad_definition_is_refused_naming_sheet_row_and_column(kind: str) -> None:
    change, message = BAD[kind]
    assert refusal(changed(change)) == [message]


def test_an_activity_whose_entity_id_names_no_field_is_refused() -> None:
    sheets = patrol()
    sheets["entities"][1] = ["street_lamps", "${lamp_number}"]
    assert refusal(sheets) == ["entities表第2行「entity_id」列：引用的字段“lamp_number”在survey表中不存在。"]


def test_a_workbook_that_is_not_an_xlsx_is_refused_by_name() -> None:
    with pytest.raises(DefinitionError) as caught:
        read_definition(b"not a zip", "路灯.xlsx")
    assert caught.value.messages == [
        "无法打开该文件“路灯.xlsx”：它不是 .xlsx 文件(无法解压)，请上传用模板填写的 Excel 文件。"
    ]


def test_a_workbook_over_the_size_limit_is_refused_before_it_is_read() -> None:
    with pytest.raises(DefinitionError) as caught:
        read_definition(BytesIO(b"x" * (3 * 1024 * 1024)), "大.xlsx")
    assert caught.value.messages == ["文件“大.xlsx”超过2 MB，拒绝读取。"]


def test_every_fault_pyxform_lets_pass_is_listed_at_once() -> None:
    sheets = lamps()
    sheets["zhenwu"] += [["personal", "phone"], ["colour", "red"]]
    assert len(refusal(sheets)) == 2


def test_the_role_codes_are_those_of_the_org_app() -> None:
    from zhenwu.org.models import Role

    assert set(ROLE_CODES) == set(Role.values)


def test_a_survey_without_fields_is_refused() -> None:
    sheets = {"survey": [["type", "name", "label"]], "settings": [["form_id"], ["empty"]]}
    assert refusal(sheets) == ["survey表：没有字段。请在survey表中每行写一个字段（type、name、label）。"]


def test_pyxform_warnings_do_not_refuse_the_definition_and_are_kept_in_chinese() -> None:
    sheets = lamps()
    sheets["choices"].append(["status", "gone", ""])
    assert read(sheets).warnings == (
        "choices表第4行「label」列：选项缺少标签（label）。",
        "survey表第6行「parameters」列：建议为照片填写 max-pixels 参数（如 max-pixels=1600），"
        "可加快提交并节省存储空间。",
    )


def test_labels_are_taken_from_the_chinese_column_or_else_the_first() -> None:
    sheets = lamps()
    sheets["survey"][0][2] = "label::English (en)"
    for row, english in zip(sheets["survey"][1:], ["No.", "Road", "Status", "Place", "Photo"], strict=True):
        row.insert(3, row[2])
        row[2] = english
    sheets["survey"][0].insert(3, "label::中文 (zh)")
    assert read(sheets).field("road").label == "所在道路"
    sheets["survey"][0].pop(3)
    for row in sheets["survey"][1:]:
        row.pop(3)
    assert read(sheets).field("road").label == "Road"


def test_personal_fields_points_at_readers_and_offices_are_read_from_the_zhenwu_sheet() -> None:
    sheets = patrol()
    sheets["survey"].append(["text", "household_id", "农户", "", "", "", ""])
    sheets["survey"].append(["text", "phone", "联系电话", "", "", "", ""])
    sheets["zhenwu"] += [
        ["personal", "phone"],
        ["points_at", "household"],
        ["points_at_field", "${household_id}"],
        ["readers", "township_admin，township_leader"],
        ["offices", "safety, roads"],
    ]
    definition = read(sheets)
    assert definition.field("phone").personal and not definition.field("lamp").personal
    assert (definition.points_at, definition.points_at_field) == ("household", "household_id")
    assert definition.readers == ("township_admin", "township_leader")
    assert definition.offices == ("safety", "roads")


def test_a_choice_without_a_label_is_shown_by_its_name() -> None:
    sheets = lamps()
    sheets["choices"].append(["status", "gone", ""])
    assert read(sheets).field("status").choices[-1] == Choice("gone", "gone")


def test_a_default_typed_as_a_date_in_its_cell_is_read_as_an_iso_date() -> None:
    sheets = patrol()
    sheets["survey"][1][6] = datetime(2026, 11, 1)  # noqa: DTZ001 - a cell holds a naive date
    assert read(sheets).field("patrol_date").default == "2026-11-01"


cell_text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),  # what a cell can hold
    st.sampled_from(
        ["${", "${lamp_no}", "(", "select_one", "begin_group", "end_group", "figure:x", "|", "yes"]
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_cell_changed_gives_a_definition_or_a_definition_error_never_a_crash(data: st.DataObject) -> None:
    sheets = lamps()
    name = data.draw(st.sampled_from(sorted(sheets)))
    rows = sheets[name]
    row = data.draw(st.integers(0, len(rows) - 1))
    column = data.draw(st.integers(0, len(rows[row])))
    value = data.draw(cell_text)
    if column == len(rows[row]):
        rows[row].append(value)
    else:
        rows[row][column] = value
    try:
        read(sheets)
    except DefinitionError as error:
        assert error.messages and all(isinstance(m, str) and m for m in error.messages)


def test_read_only_is_kept() -> None:
    sheets = patrol()
    sheets["survey"][0].append("read_only")
    sheets["survey"][2].append("yes")
    definition = read(sheets)
    assert definition.field("lamp").read_only and not definition.field("status").read_only


def test_the_definition_and_expressions_modules_run_without_django() -> None:
    code = (
        "import sys, zhenwu.registers.definition, zhenwu.registers.expressions; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_a_repeat_is_read_with_its_fields_apart_from_the_records_own_and_kept_through_json() -> None:
    from tests.registers.repeats import campaign
    from zhenwu.registers.stored import definition_from_json, definition_to_json

    definition = read(campaign())
    assert [f.name for f in definition.fields] == ["day", "title", "people", "total_tons", "output_count"]
    (repeat,) = definition.repeats
    assert (repeat.name, repeat.label, repeat.row, repeat.path) == ("outputs", "产出", 5, "outputs")
    assert [f.name for f in repeat.fields] == ["what", "qty", "unit", "remark", "tons"]
    assert all(f.repeat == "outputs" for f in repeat.fields)
    assert [item.name for item in definition.items()] == [
        "day", "title", "people", "outputs", "total_tons", "output_count",
    ]  # fmt: skip
    assert definition.any_field["qty"].constraint_message == "数量须大于0"
    assert definition.repeat_place("outputs-1-qty") == (repeat, 1, definition.any_field["qty"])
    assert definition.repeat_place("outputs-x-qty") is None and definition.repeat_place("people") is None
    assert definition_from_json(definition_to_json(definition)) == definition


def test_a_repeat_inside_a_group_and_a_group_inside_a_repeat_keep_their_paths() -> None:
    sheets = {
        "survey": [
            ["type", "name", "label", "relevant"],
            ["integer", "n", "人数", ""],
            ["begin_group", "g", "分组", "${n} > 0"],
            ["begin_repeat", "r", "每人", ""],
            ["begin_group", "inner", "联系方式", ""],
            ["text", "phone", "电话", ""],
            ["end_group", "", "", ""],
            ["end_repeat", "", "", ""],
            ["text", "after", "之后", ""],
            ["end_group", "", "", ""],
        ],
        "settings": [["form_id"], ["nested_groups"]],
    }
    definition = read(sheets)
    (repeat,) = definition.repeats
    assert (repeat.group, repeat.path, repeat.relevant) == ("g", "g/r", "${n} > 0")
    assert (repeat.fields[0].group, repeat.fields[0].path) == ("inner", "inner/phone")
    assert definition.field("after").group == "g"
