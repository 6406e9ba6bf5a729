"""`zhenwu serve [ADDRPORT]`: the development server with DEBUG on, gunicorn otherwise, and beside it the
task queue's worker and scheduler (`zhenwu worker`) unless --no-jobs says they run elsewhere."""

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from zhenwu.households.keycheck import check_field_key
from zhenwu.web.setup import setup_line

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Run in a child before it starts: Linux stops it when `zhenwu serve` dies, even by SIGKILL."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _child(command: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, preexec_fn=_die_with_parent)


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Command(BaseCommand):
    help = "启动镇务网站(默认 http://127.0.0.1:8000)，并在旁边启动定时任务(提醒、升级、通报)。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
        parser.add_argument(
            "--threads", type=int, default=1, help="每个进程的线程数；大于 1 时保持连接(keep-alive)"
        )
        parser.add_argument(
            "--no-jobs",
            action="store_true",
            help="不在本机启动任务队列(定时任务由别处的 zhenwu worker 运行)",
        )

    def handle(
        self, *args: Any, addrport: str, workers: int, threads: int, no_jobs: bool, **options: Any
    ) -> None:
        try:
            check_field_key()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"镇务已启动：http://{addrport}/  (按 Ctrl+C 停止)")
        line = setup_line(addrport)
        if line:
            self.stdout.write(self.style.WARNING(line))
        worker = None
        if not no_jobs:
            worker = _child([sys.executable, "-m", "zhenwu.manage", "worker", "--quiet"])
            self.stdout.write("定时任务已在旁边启动(zhenwu worker)。")
        try:
            self._serve(addrport, workers, threads)
        finally:
            _stop(worker)

    def _serve(self, addrport: str, workers: int, threads: int) -> None:
        if settings.DEBUG:
            call_command("runserver", addrport, use_reloader=False)
            return
        gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
        if not os.path.exists(gunicorn):
            raise CommandError("找不到 gunicorn：请先运行 make install。")
        # --preload: the application is loaded before the port is opened, so a server that is starting
        # again refuses connections (a load balancer sends them elsewhere) rather than holding them
        # until its workers have loaded zhenwu.
        command = [gunicorn, "zhenwu.wsgi", "--preload", "--bind", addrport, "--workers", str(workers)]
        server = _child([*command, "--threads", str(threads)])

        def stop(signum: int, frame: FrameType | None) -> None:
            server.send_signal(signum)

        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, stop)
        server.wait()
