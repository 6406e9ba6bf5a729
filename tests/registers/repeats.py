"""A register with a repeat: a campaign (活动) and its outputs (产出: 名称, 数量, 单位), a row each."""

from __future__ import annotations

from .books import Sheets

HEADER = ["type", "name", "label", "required", "constraint", "constraint_message", "relevant", "calculation"]


def campaign(version: str = "1") -> Sheets:
    return {
        "survey": [
            HEADER,
            ["date", "day", "活动日期", "yes", ". <= today()", "日期不能晚于今天", "", ""],
            ["text", "title", "活动名称", "yes", "", "", "", ""],
            ["integer", "people", "出动人次", "", ". >= 0", "人次不能为负数", "", ""],
            ["begin_repeat", "outputs", "产出", "", "", "", "", ""],
            ["text", "what", "名称", "yes", "", "", "", ""],
            ["decimal", "qty", "数量", "yes", ". > 0", "数量须大于0", "", ""],
            ["select_one unit", "unit", "单位", "yes", "", "", "", ""],
            ["text", "remark", "清运去向", "", "", "", "${unit} = 'ton'", ""],
            ["calculate", "tons", "", "", "", "", "", "if(${unit} = 'ton', ${qty}, 0)"],
            ["end_repeat", "", "", "", "", "", "", ""],
            ["calculate", "total_tons", "", "", "", "", "", "sum(${tons})"],
            ["calculate", "output_count", "", "", "", "", "", "count(${outputs})"],
        ],
        "choices": [
            ["list_name", "name", "label"],
            ["unit", "ton", "吨"],
            ["unit", "copy", "份"],
            ["unit", "piece", "条"],
        ],
        "settings": [["form_id", "form_title", "version"], ["activities", "活动记录", version]],
        "zhenwu": [
            ["key", "value"],
            ["kind", "activity"],
            ["figure:campaigns", "开展活动 | count |  |  | 次"],
            ["figure:garbage", "清理垃圾 | sum | ${qty} | ${unit} = 'ton' | 吨"],
            ["figure:avg_qty", "平均每项数量 | avg | ${qty} |  | "],
        ],
    }


def outputs(*rows: tuple[str, str, str]) -> list[dict[str, str]]:
    """Rows of the repeat as a form sends them: (名称, 数量, 单位)."""
    return [{"what": what, "qty": qty, "unit": unit} for what, qty, unit in rows]
