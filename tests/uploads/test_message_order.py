"""The shared helpers every Excel import names its faults with: the header row, and the order of a
file's messages (by sheet, row and column, whichever check found them)."""

from zhenwu.web.downloads import STOPPED, header_problems, in_sheet_order


def test_messages_are_ordered_by_sheet_row_and_column() -> None:
    messages = [
        "「户」表第9行「姓名」列：不能为空。",
        STOPPED,
        "第12行「电话」：格式不对。",
        "第3行H列：表头「本月值」应为「本月数值」。",
        "第12行「姓名」：不能为空。",
        "缺少列「姓名」，请使用下载的模板。",
        "站所表第2行B列：未知。",
        "工作表“组织机构”第4行「编码」：重复。",
    ]
    ordered = in_sheet_order(
        messages, sheets=["组织机构", "站所", "户"], headers={"": ["姓名", "电话"], "户": ["姓名"]}
    )
    assert ordered == [
        "缺少列「姓名」，请使用下载的模板。",
        "第3行H列：表头「本月值」应为「本月数值」。",
        "第12行「姓名」：不能为空。",
        "第12行「电话」：格式不对。",
        "工作表“组织机构”第4行「编码」：重复。",
        "站所表第2行B列：未知。",
        "「户」表第9行「姓名」列：不能为空。",
        STOPPED,
    ]


def test_a_header_row_names_missing_renamed_added_and_repeated_columns() -> None:
    found = ["编号", "名字", "电话", "电话", "微信"]
    assert header_problems(found, ["编号", "姓名", "电话"], row=1, in_order=True) == [
        "第1行B列：表头「名字」应为「姓名」，请使用下载的模板。",
        "第1行D列：表头「电话」与C列重复。",
        "第1行E列：表头「微信」不是模板中的列，请使用下载的模板或删除该列。",
    ]
    assert header_problems(["编号"], ["编号", "姓名"], row=2, place="「户」表") == [
        "「户」表缺少列「姓名」，请使用下载的模板。"
    ]
    assert header_problems(["事项"], ["标题"], row=1, aliases={"事项": "标题"}) == []
