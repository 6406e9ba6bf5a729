"""A project's page says what was just done to which project, not "已保存"."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from tests.projects.conftest import make_project


def last_message(response: HttpResponse) -> str:
    return [str(m) for m in get_messages(response.wsgi_request)][-1]  # type: ignore[attr-defined]


def test_each_action_names_the_project(cast: Cast, client: Client) -> None:
    project = make_project(cast)
    client.force_login(cast.user("jingfa"))
    name = project.name
    stage = client.post(
        reverse("projects:project-stage", args=[project.pk]), {"to_stage": "started", "date": "2026-05-01"}
    )
    assert last_message(stage) == f"项目“{name}”已进入“开工”阶段。"
    invested = client.post(
        reverse("projects:project-investment", args=[project.pk]), {"period": "2026-08", "amount": "600"}
    )
    assert last_message(invested) == f"已登记项目“{name}”2026年1-8月累计完成投资600万元。"
    note = client.post(
        reverse("projects:project-progress", args=[project.pk]),
        {"this_week": "完成基础开挖", "next_week": "浇筑"},
    )
    assert last_message(note) == f"已保存项目“{name}”本周进展。"
