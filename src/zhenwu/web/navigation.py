"""The modules in the top navigation.

Each app adds its own entry when it lands (in its AppConfig.ready), so the menu lists what exists and
a newcomer finds a module's entry beside its code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


def _everyone(user: Any) -> bool:
    return True


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int
    visible: Callable[[Any], bool] = _everyone

    def url(self) -> str:
        return reverse(self.url_name)


_items: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _items[item.url_name] = item


def items_for(user: Any) -> list[NavItem]:
    return sorted((item for item in _items.values() if item.visible(user)), key=lambda item: item.order)
