from __future__ import annotations

from typing import Any

from django import forms

from zhenwu.web.forms import Form

from .models import Channel, Kind


def _name(kind: str, channel: str) -> str:
    return f"{kind}__{channel}"


class ChoicesForm(Form):
    """One box for each kind by each push channel the installation has: ticked, the user gets it."""

    def __init__(
        self, *args: Any, channels: list[str], current: dict[tuple[str, str], bool], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.channels = channels
        for kind in Kind:
            for channel in channels:
                label = f"{kind.label}：{Channel(channel).label}"
                self.fields[_name(kind.value, channel)] = forms.BooleanField(
                    label=label,
                    required=False,
                    initial=current.get((kind.value, channel), False),
                    widget=forms.CheckboxInput(attrs={"aria-label": label}),
                )

    def rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        """(kind's name, its boxes in the order of the channels) for the table."""
        return [(kind.label, [self[_name(kind.value, c)] for c in self.channels]) for kind in Kind]

    def ticked(self) -> set[tuple[str, str]]:
        return {
            (kind.value, channel)
            for kind in Kind
            for channel in self.channels
            if self.cleaned_data.get(_name(kind.value, channel))
        }
