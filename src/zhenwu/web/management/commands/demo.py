"""`zhenwu demo`: load the demo township, then every app's demo records, and print the logins."""

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from zhenwu.org.demo import ACCOUNTS, DEMO_PASSWORD
from zhenwu.remembered import forget_everything


def demo_notes() -> list[str]:
    """Lines an app's demo module offers (its `NOTES`), printed with the logins, e.g. an API key."""
    notes: list[str] = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.demo"
        if config.name.startswith("zhenwu.") and find_spec(module_name) is not None:
            notes.extend(getattr(import_module(module_name), "NOTES", []))
    return notes


def demo_loaders() -> list[Any]:
    """Each zhenwu app's `demo.load`, in INSTALLED_APPS order (org first: the others hang on its tree)."""
    loaders = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.demo"
        if config.name.startswith("zhenwu.") and find_spec(module_name) is not None:
            loaders.append(import_module(module_name).load)
    return loaders


class Command(BaseCommand):
    help = "载入示范县示范镇的演示数据(可重复运行，不会重复写入)。"

    def handle(self, *args: Any, **options: Any) -> None:
        for load in demo_loaders():
            with transaction.atomic():
                load()
        forget_everything()
        self.stdout.write(self.style.SUCCESS("演示数据已载入：示范县 · 示范镇"))
        self.stdout.write(f"演示账户(密码均为 {DEMO_PASSWORD}):")
        for account in ACCOUNTS:
            self.stdout.write(f"  {account.username:<10} {account.role.label}")
        for note in demo_notes():
            self.stdout.write(note)
