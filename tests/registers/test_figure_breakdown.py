"""A register's page reads its figures with their village breakdown from one grouped query: each
village's figures and the township's are what each unit's own figures are, also for distinct counts
with a filter (in the database and in Python) and for more than one distinct count."""

from __future__ import annotations

from datetime import date

from tests.conftest import Cast
from zhenwu.registers import figures, services

from .helpers import register_in

YEAR = figures.Span(date(2026, 1, 1), date(2026, 12, 31))


def visits() -> dict[str, list[list[str]]]:
    return {
        "survey": [
            ["type", "name", "label", "required"],
            ["text", "enterprise", "企业", "yes"],
            ["text", "officer", "走访干部", "yes"],
            ["select_one outcome", "outcome", "结果", "yes"],
            ["integer", "minutes", "用时", ""],
        ],
        "choices": [
            ["list_name", "name", "label"],
            ["outcome", "solved", "已解决"],
            ["outcome", "open", "未解决"],
        ],
        "settings": [["form_id", "form_title", "version"], ["visits_counted", "走访", "1"]],
        "zhenwu": [
            ["key", "value"],
            ["kind", "activity"],
            ["figure:visits", "走访 | count |  |  | 次"],
            # The first distinct count (with a filter) is the grouped query's; the others have their own.
            ["figure:solved", "解决诉求的企业 | distinct | enterprise | ${outcome} = 'solved' | 家"],
            ["figure:enterprises", "走访企业 | distinct | enterprise |  | 家"],
            [
                "figure:long",
                "长时走访的干部 | distinct | officer | ${minutes} > 30 or ${outcome} = 'open' | 人",
            ],
            ["figure:minutes", "平均用时 | avg | minutes | ${outcome} = 'solved' | 分钟"],
        ],
    }


def test_the_breakdown_is_each_units_own_figures(cast: Cast) -> None:
    register = register_in(cast, cast.township, visits())
    admin = cast.user("admin")
    entered = [
        (cast.village01, "甲厂", "王", "solved", 40),
        (cast.grid0101, "甲厂", "李", "open", 10),
        (cast.village01, "乙厂", "王", "solved", 20),
        (cast.village02, "甲厂", "赵", "solved", 35),  # the same enterprise in another village
        (cast.village02, "丙厂", "赵", "open", None),
        (cast.township, "丁厂", "钱", "solved", 50),  # the township's own: in the total only
    ]
    for unit, enterprise, officer, outcome, minutes in entered:
        values = {"enterprise": enterprise, "officer": officer, "outcome": outcome}
        services.create_record(
            admin, register, {**values, **({"minutes": minutes} if minutes else {})}, unit=unit
        )
    found = figures.breakdown(admin, register, cast.township, YEAR)
    own = figures.figures_for(admin, register, cast.township, YEAR)
    assert [c.value for c in found.total] == [c.value for c in own]
    assert {c.spec.name: c.value for c in found.total} == {
        "visits": 6, "enterprises": 4, "solved": 3, "long": 4, "minutes": 36.25,
    }  # fmt: skip
    for unit, computed in found.rows:
        alone = figures.figures_for(admin, register, unit, YEAR)
        assert [c.value for c in computed] == [c.value for c in alone], unit.name
        assert [sorted(c.rows.values_list("pk", flat=True)) for c in computed] == [
            sorted(c.rows.values_list("pk", flat=True)) for c in alone
        ]
    village01 = {c.spec.name: c.value for c in dict(found.rows)[cast.village01]}
    assert village01 == {"visits": 3, "enterprises": 2, "solved": 2, "long": 2, "minutes": 30}
