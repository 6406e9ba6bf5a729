"""The `zhenwu` console script: Django's management commands, and the report checker.

`zhenwu check FILE` checks a report's numbers; `zhenwu check` without a file runs Django's system checks.
`zhenwu bench-data` is the `bench_data` command (zhenwu.benchdata); `zhenwu register-load` and
`zhenwu register-clean-parts` are `register_load` and `register_clean_parts` (zhenwu.registers);
`zhenwu worker` is huey's `run_huey`, the task queue's worker and scheduler.
"""

import os
import sys

DASHED = {
    "bench-data": "bench_data",
    "register-load": "register_load",
    "register-clean-parts": "register_clean_parts",
    "worker": "run_huey",  # the task queue's worker and scheduler (docs/jobs.md)
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "check" and _names_a_file(args[2:]):
        from zhenwu.reader.cli import main as check_report

        sys.exit(check_report(args[2:]))
    if len(args) > 1 and args[1] in DASHED:
        args[1] = DASHED[args[1]]  # a Django command's name is its module's, and a module has no dash
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenwu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


def _names_a_file(rest: list[str]) -> bool:
    return any(not arg.startswith("-") for arg in rest)


if __name__ == "__main__":
    main()
