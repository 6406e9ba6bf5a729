"""zhenwu register-load FILE.xlsx --org 示范镇"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from zhenwu.org.models import OrgKind, OrgUnit, User
from zhenwu.registers import definition as spec
from zhenwu.registers import services


class Command(BaseCommand):
    help = "载入台账定义(XLSForm)：新台账，或已有台账的新版本。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="XLSForm 文件(.xlsx)")
        parser.add_argument("--org", required=True, help="乡镇/街道的编码或名称")
        parser.add_argument("--user", help="以该乡镇管理员账号载入；不给则以系统身份载入")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        township = (
            OrgUnit.objects.filter(Q(code=options["org"]) | Q(name=options["org"]))
            .filter(kind=OrgKind.TOWNSHIP)
            .first()
        )
        if township is None:
            raise CommandError(f"没有乡镇/街道“{options['org']}”。")
        user = self._user(options["user"])
        try:
            version = services.load_definition(user, township, path.read_bytes(), path.name)
        except spec.DefinitionError as error:
            raise CommandError("台账定义有误，未作任何更改：\n" + "\n".join(error.messages)) from error
        register = version.register
        fields = len(version.parsed().fields)
        self.stdout.write(
            f"已载入台账“{register.title}”({register.form_id})：版本 {version.version}，"
            f"{register.get_kind_display()}，{fields} 个字段。"
        )

    def _user(self, username: str | None) -> User:
        if username is None:
            # The operator of the installation, as a superuser would; the version names no loader.
            return User(username="register-load", is_superuser=True, is_active=True)
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有账号“{username}”。")
        return user
