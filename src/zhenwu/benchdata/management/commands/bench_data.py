"""`zhenwu bench-data`: generate a county for benchmarks into an empty, migrated database."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhenwu.benchdata.generate import NotEmpty, Outcome, generate, refuse_unless_empty
from zhenwu.benchdata.scale import Scale

DEFAULTS = Scale()


class Command(BaseCommand):
    help = (
        "生成基准测试用的县级数据(默认 20 个乡镇、400 个村、4000 个网格、100 万件事件、三年指标数据、"
        "2000 个项目、20 万户)，只写入空的、已迁移的数据库。同一 --seed 与 --until 生成相同数据。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--townships", type=int, default=DEFAULTS.townships, help="乡镇数")
        parser.add_argument(
            "--counties",
            type=int,
            default=1,
            help="县的数量(默认 1)。多于 1 个时各县并列，编码 970101、970102 …，"
            "第 2 个县起账户名带县序号前缀(c02county、c02t01admin …)",
        )
        parser.add_argument("--seed", type=int, default=1, help="随机种子")
        parser.add_argument(
            "--until", type=date.fromisoformat, default=None, help="数据截止日期 YYYY-MM-DD，默认今天"
        )
        parser.add_argument("--years", type=int, default=DEFAULTS.years, help="向前生成的年数")
        for name, value in (
            ("villages-per-township", DEFAULTS.villages_per_township),
            ("grids-per-village", DEFAULTS.grids_per_village),
            ("cases-per-township", DEFAULTS.cases_per_township),
            ("indicators-per-township", DEFAULTS.indicators_per_township),
            ("projects-per-township", DEFAULTS.projects_per_township),
            ("households-per-township", DEFAULTS.households_per_township),
        ):
            parser.add_argument(f"--{name}", type=int, default=value)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            scale = Scale(
                townships=options["townships"],
                villages_per_township=options["villages_per_township"],
                grids_per_village=options["grids_per_village"],
                cases_per_township=options["cases_per_township"],
                indicators_per_township=options["indicators_per_township"],
                projects_per_township=options["projects_per_township"],
                households_per_township=options["households_per_township"],
                years=options["years"],
            )
            if options["counties"] < 1:
                raise ValueError("县的数量至少为1。")
            refuse_unless_empty()
        except (ValueError, NotEmpty) as error:
            raise CommandError(str(error)) from None
        until = options["until"] or timezone.localdate()
        outcome = generate(
            scale, seed=options["seed"], until=until, counties=options["counties"], progress=self.stdout.write
        )
        self._report(outcome, until, options["seed"])

    def _report(self, outcome: Outcome, until: date, seed: int) -> None:
        county = outcome.county
        names = "、".join(c.unit.name for c in outcome.counties)
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成 {names}(种子 {seed}，截止 {until:%Y-%m-%d})，用时 {outcome.seconds:.1f} 秒"
            )
        )
        if len(outcome.counties) > 1:
            for c, seconds in zip(outcome.counties, outcome.county_seconds, strict=True):
                self.stdout.write(f"  {c.unit.name}({c.unit.code})：{seconds:.1f} 秒")
        for table, count in sorted(outcome.counts.items()):
            self.stdout.write(f"  {table:<32} {count:>10,}")
        self.stdout.write(f"账户(密码均为 {outcome.password})：")
        first = county.townships[0]
        prefix = f"t{first.number:02d}"
        shown = [a for a in county.accounts if a[0] == "county" or a[0].startswith(prefix)]
        for username, role in shown:
            self.stdout.write(f"  {username:<14} {role}")
        if len(county.townships) > 1:
            self.stdout.write(
                f"  其余乡镇同样命名：t02admin … t{len(county.townships):02d}admin，"
                f"共 {len(county.accounts)} 个账户"
            )
        if len(outcome.counties) > 1:
            self.stdout.write(
                "  其余各县同样命名，带县序号前缀："
                f"c02county、c02t01admin … c{len(outcome.counties):02d}county"
            )
        self.stdout.write(f"Open311 API key：{county.open311_keys[0]}(每个乡镇一个：bench-<乡镇编码>)")
