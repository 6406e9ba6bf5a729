"""Every record of zhenwu has a name in Chinese, as staff would say it: the activity log and the admin
show it, and none reads "CasePhoto object (5)" or carries an English code."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from tests.conftest import Cast
from zhenwu.cases.models import Case, CaseEvent, CasePhoto, RectificationNotice
from zhenwu.households.models import (
    FieldKeyCheck,
    Household,
    Member,
    Move,
    PersonalDataAccess,
    RegisterImport,
)
from zhenwu.indicators.models import IndicatorSettings
from zhenwu.jobs.models import JobRun
from zhenwu.notifications.models import ChannelChoice, Delivery, Notification
from zhenwu.registers.models import DeviceKey, EarlierInstance, RecordImport, RegisterRecord
from zhenwu.reports.models import ReportDraft, ReportOutline
from zhenwu.web.models import SubmissionKey

CHINESE = re.compile(r"[\u4e00-\u9fff]")
UNSAVED_PK = 10**9


def zhenwu_models() -> list[type[models.Model]]:
    return [
        m
        for config in apps.get_app_configs()
        if config.name.startswith("zhenwu.")
        for m in config.get_models()
        if not m._meta.abstract and not m._meta.proxy
    ]


def _built(cast: Cast) -> dict[type[models.Model], Callable[[], models.Model]]:
    """A record of each model the demo leaves empty, made from the demo's records around it."""
    admin, unit = cast.user("admin"), cast.township
    record = RegisterRecord.objects.select_related("register", "version").first
    now = timezone.now()
    return {
        SubmissionKey: lambda: SubmissionKey(user=admin, key="3f2b-offline", created_at=now),
        CasePhoto: lambda: CasePhoto(case=Case.objects.first()),
        RectificationNotice: lambda: RectificationNotice(
            case=Case.objects.first(), township=unit, year=2026, serial=3
        ),
        IndicatorSettings: lambda: IndicatorSettings(township=unit),
        PersonalDataAccess: lambda: PersonalDataAccess(
            actor=admin, member=Member.objects.first(), org_unit=unit, what="身份证号", at=now
        ),
        RegisterImport: lambda: RegisterImport(
            actor=admin, org_unit=unit, kind=RegisterImport.Kind.REGISTER, file_name="东岗村名册.xlsx"
        ),
        FieldKeyCheck: lambda: FieldKeyCheck(fingerprint="a1b2c3d4e5f6a7b8"),
        EarlierInstance: lambda: EarlierInstance(record=record(), instance_id="uuid:7d1c"),
        DeviceKey: lambda: DeviceKey(user=admin, prefix="k3Jd"),
        RecordImport: lambda: RecordImport(
            register=record().register,
            version=record().version,
            actor=admin,
            unit=unit,
            rows=3,  # type: ignore[union-attr]
        ),
        ReportDraft: lambda: ReportDraft(org_unit=unit, year=2026, kind="half-year", updated_by=admin),
        ReportOutline: lambda: ReportOutline(org_unit=unit, kind="span:3-8", updated_by=admin),
        Delivery: lambda: Delivery(notification=Notification.objects.first(), channel="email"),
        ChannelChoice: lambda: ChannelChoice(user=admin, kind="deadline", channel="email"),
        Move: lambda: Move(
            from_household=Household.objects.order_by("pk").first(),
            to_household=Household.objects.order_by("pk").last(),
            from_unit=cast.grid0101,
            to_unit=cast.grid0102,
            moved_on=date(2026, 11, 2),
            reason="整户搬迁",
        ),
    }


def _a_record(model: type[models.Model], cast: Cast) -> models.Model:
    stored = model._default_manager.order_by("pk").last()
    if stored is not None:
        return stored
    built = _built(cast).get(model)
    assert built is not None, f"{model.__name__}: no demo record and no way here to make one"
    record = built()
    record.pk = UNSAVED_PK
    return record


@pytest.mark.parametrize("model", zhenwu_models(), ids=lambda m: f"{m._meta.app_label}.{m.__name__}")
def test_a_record_is_named_in_chinese(full_demo: None, cast: Cast, model: type[models.Model]) -> None:
    name = str(_a_record(model, cast))
    assert "object (" not in name and "None" not in name and CHINESE.search(name), name
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", name), name  # no code such as in_progress or case_due


def test_an_event_is_named_by_its_action_and_beijing_time(full_demo: None, cast: Cast) -> None:
    event = CaseEvent.objects.filter(action="resolve").select_related("case__case_type").first()
    assert event is not None
    event.at = datetime(2026, 11, 17, 23, 6, tzinfo=UTC)
    assert str(event) == f"{event.case.number} 办结（2026-11-18 07:06）"


def test_a_job_run_is_named_in_beijing_time(full_demo: None) -> None:
    run = JobRun(name="patrols_due", started_at=datetime(2026, 11, 17, 23, 6, tzinfo=UTC))
    assert str(run) == "台账巡查到期提醒（2026-11-18 07:06开始）"


def test_a_household_is_named_by_its_head_and_village(full_demo: None) -> None:
    head = Member.objects.filter(relation="head").select_related("household__org_unit").first()
    assert head is not None
    assert str(head.household) == f"{head.name}户（{head.household.org_unit.name}）"


def test_a_photo_is_named_by_its_case_and_place_among_the_photos(full_demo: None, cast: Cast) -> None:
    case = Case.objects.first()
    assert case is not None
    first = CasePhoto.objects.create(case=case, image="a.png", content_type="image/png", size=1)
    second = CasePhoto.objects.create(case=case, image="b.png", content_type="image/png", size=1)
    assert (str(first), str(second)) == (f"{case.number} 第1张", f"{case.number} 第2张")
