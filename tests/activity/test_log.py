"""Every write by a user is logged with who, when, which record and the values before and after; the
log is read by township admins and can be neither edited nor deleted."""

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast
from zhenwu.activity.services import acting_as
from zhenwu.org import services
from zhenwu.org.models import OrgUnit


def test_an_edit_in_the_admin_site_is_logged_with_actor_and_before_and_after(
    cast: Cast, client: Client
) -> None:
    client.force_login(cast.user("admin"))
    url = reverse("admin:org_orgunit_change", args=[cast.village03.pk])
    response = client.post(url, {"code": cast.village03.code, "name": "南山新村"})
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get_for_object(cast.village03).latest("timestamp")
    assert entry.actor == cast.user("admin")
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes_dict["name"] == ["南山村", "南山新村"]


def test_a_service_call_outside_a_request_names_its_actor(cast: Cast) -> None:
    with acting_as(cast.user("admin")):
        unit = services.create_org_unit(kind="grid", code="NEWGRID", name="新网格", parent=cast.village01)
    entry = LogEntry.objects.get_for_object(unit).get()
    assert entry.action == LogEntry.Action.CREATE and entry.actor == cast.user("admin")


@pytest.mark.django_db(transaction=True)
def test_nobody_can_edit_or_delete_a_log_entry(cast: Cast) -> None:
    with acting_as(cast.user("admin")):
        services.update_org_unit(cast.village01, code=cast.village01.code, name="东岗新村")
    entry = LogEntry.objects.get_for_object(cast.village01).latest("timestamp")
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(changes={"name": ["x", "y"]})
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.get(pk=entry.pk).changes_dict["name"] == ["东岗村", "东岗新村"]


def test_a_township_admin_reads_the_log_with_before_and_after(cast: Cast, client: Client) -> None:
    with acting_as(cast.user("cun01")):
        services.update_org_unit(cast.grid0101, code=cast.grid0101.code, name="东岗一网格")
    entry = LogEntry.objects.get_for_object(cast.grid0101).latest("timestamp")
    client.force_login(cast.user("admin"))
    page = client.get(reverse("activity:entry-list")).content.decode()
    assert "东岗一网格" in page and "李东岗" in page
    detail = client.get(reverse("activity:entry-detail", args=[entry.pk])).content.decode()
    assert "东岗村第1网格" in detail and "东岗一网格" in detail


def test_the_org_unit_page_shows_its_history_to_admins_only(cast: Cast, client: Client) -> None:
    with acting_as(cast.user("admin")):
        services.update_org_unit(cast.village01, code=cast.village01.code, name="东岗社区")
    url = reverse("org:unit-detail", args=[cast.village01.code])
    client.force_login(cast.user("admin"))
    assert "变更记录" in client.get(url).content.decode()
    client.force_login(cast.user("cun01"))
    assert "变更记录" not in client.get(url).content.decode()


def test_leaders_and_village_staff_get_404_for_the_log(cast: Cast, client: Client) -> None:
    for name in ("leader", "cun01", "jingfa"):
        client.force_login(cast.user(name))
        assert client.get(reverse("activity:entry-list")).status_code == 404


def test_demo_data_loaded_by_the_system_has_no_actor(cast: Cast) -> None:
    assert LogEntry.objects.get_for_object(OrgUnit.objects.get(code=cast.township.code)).get().actor is None
