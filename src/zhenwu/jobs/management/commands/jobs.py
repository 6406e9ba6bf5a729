"""`zhenwu jobs`: the periodic jobs with their schedule, last run and next run; `zhenwu jobs run NAME` runs
one now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhenwu.jobs import services
from zhenwu.jobs.registry import job
from zhenwu.jobs.tasks import run_now


def _at(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


class Command(BaseCommand):
    help = "列出定时任务(时间表、上次与下次运行、上次结果)；jobs run 名称：立即运行一个任务。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", nargs="?", choices=["run"], help="run：立即运行")
        parser.add_argument("name", nargs="?", help="任务名称")
        parser.add_argument("--queue", action="store_true", help="交给任务队列的 worker 运行，不在本进程运行")

    def handle(self, *args: Any, action: str | None, name: str | None, queue: bool, **options: Any) -> None:
        if action == "run":
            self._run(name, queue)
            return
        for state in services.job_states():
            last = state.last
            self.stdout.write(
                f"{state.job.name}\t{state.job.title}\t{state.job.schedule.describe()}\t"
                f"上次 {_at(last.started_at if last else None)}\t"
                f"结果 {last.result_label if last else '尚未运行'}\t下次 {_at(state.next_run)}"
            )

    def _run(self, name: str | None, queue: bool) -> None:
        if not name:
            raise CommandError("请给出任务名称：zhenwu jobs run 名称(zhenwu jobs 列出全部任务)。")
        if queue:
            if job(name) is None:
                raise CommandError(str(services.UnknownJob(name)))
            run_now(name)
            self.stdout.write(f"{name}：已交给任务队列。")
            return
        try:
            run = services.run_job(name)
        except services.UnknownJob as error:
            raise CommandError(str(error)) from error
        except Exception as error:
            raise CommandError(f"任务 {name} 失败：{error}") from error
        self.stdout.write(f"{name}：{run.summary}")
