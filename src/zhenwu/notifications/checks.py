"""Settings of the channels that can be wrong, said at start (`zhenwu check`, the server) rather than by
the first delivery."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from . import quiet

WEBHOOK_STYLES = ("wecom", "dingtalk")


@register()
def check_channel_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    if settings.NOTIFY_WEBHOOK_STYLE not in WEBHOOK_STYLES:
        errors.append(
            Error(
                f"NOTIFY_WEBHOOK_STYLE={settings.NOTIFY_WEBHOOK_STYLE!r}："
                "应为 wecom(企业微信)或 dingtalk(钉钉)。",
                id="notifications.E001",
            )
        )
    try:
        quiet.parse(settings.NOTIFY_QUIET_HOURS)
    except quiet.BadQuietHours as error:
        errors.append(Error(f"NOTIFY_QUIET_HOURS：{error}", id="notifications.E002"))
    return errors
