"""`zhenwu serve [ADDRPORT]`: the development server with DEBUG on, gunicorn otherwise."""

import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from zhenwu.households.keycheck import check_field_key
from zhenwu.web.setup import setup_line


class Command(BaseCommand):
    help = "启动镇务网站(默认 http://127.0.0.1:8000)。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
        parser.add_argument(
            "--threads", type=int, default=1, help="每个进程的线程数；大于 1 时保持连接(keep-alive)"
        )

    def handle(self, *args: Any, addrport: str, workers: int, threads: int, **options: Any) -> None:
        try:
            check_field_key()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"镇务已启动：http://{addrport}/  (按 Ctrl+C 停止)")
        line = setup_line(addrport)
        if line:
            self.stdout.write(self.style.WARNING(line))
        if settings.DEBUG:
            call_command("runserver", addrport, use_reloader=False)
            return
        gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
        if not os.path.exists(gunicorn):
            raise CommandError("找不到 gunicorn：请先运行 make install。")
        command = [gunicorn, "zhenwu.wsgi", "--bind", addrport, "--workers", str(workers)]
        os.execv(gunicorn, [*command, "--threads", str(threads)])
