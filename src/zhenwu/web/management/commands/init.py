"""`zhenwu init --township 河口镇 --code 990102101000 --county 清源县 --county-code 990102000000`: prepare a
new township (its units, offices, case types, holiday table and indicator library); running it again
changes nothing."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zhenwu.onboarding import prepare_township
from zhenwu.org.models import User

OPTIONS = {"township": "--township", "code": "--code", "county": "--county", "county_code": "--county-code"}


class Command(BaseCommand):
    help = "为新乡镇准备基础数据：县/区与乡镇、标准站所、案件类型、节假日表、常用指标库(可重复运行)。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--township", required=True, help="乡镇/街道名称，如 河口镇")
        parser.add_argument("--code", required=True, help="乡镇/街道的12位统计用区划代码")
        parser.add_argument("--county", required=True, help="县/区名称，如 清源县")
        parser.add_argument("--county-code", required=True, help="县/区的12位统计用区划代码")

    def handle(
        self, *args: Any, township: str, code: str, county: str, county_code: str, **options: Any
    ) -> None:
        try:
            done = prepare_township(township=township, code=code, county=county, county_code=county_code)
        except ValidationError as error:
            raise CommandError("\n".join(self.messages(error))) from error
        self.stdout.write(self.style.SUCCESS(f"{done.county.name} · {done.township.name}"))
        for line in done.lines():
            self.stdout.write(f"  {line}")
        if not User.objects.exists():
            self.stdout.write(
                "下一步：运行 zhenwu serve，打开它打印的一次性初始化链接，创建第一个乡镇管理员账户。"
            )

    @staticmethod
    def messages(error: ValidationError) -> list[str]:
        if not hasattr(error, "error_dict"):
            return list(error.messages)
        return [f"{OPTIONS.get(name, name)}：{m}" for name, ms in error.message_dict.items() for m in ms]
