"""Records checked on the server, things made and updated by records, idempotent instance ids, masking."""

from __future__ import annotations

import json

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import Cast
from zhenwu.households import crypto
from zhenwu.households.models import PersonalDataAccess
from zhenwu.registers import services
from zhenwu.registers.models import RegisterRecord, Thing

from .books import key_persons, lamps, patrols, visits
from .helpers import lamp_at, load, register_in, visit_at


def test_a_record_keeps_its_values_unit_version_and_author(cast: Cast) -> None:
    record = visit_at(cast, cast.village01)
    assert record.data == {"problem": "道路破损"}
    assert record.unit == cast.village01
    assert record.entered_by == cast.user("admin")
    assert record.version == record.register.current_version
    assert record.instance_id.startswith("uuid:")
    assert LogEntry.objects.get_for_object(record).get().actor == cast.user("admin")


def test_the_unit_defaults_to_the_entering_users(cast: Cast) -> None:
    register = register_in(cast, cast.township, visits())
    record = services.create_record(cast.user("cun01"), register, {"problem": "路灯不亮"})
    assert record.unit == cast.village01


def test_a_required_field_and_a_constraint_are_checked_on_the_server(cast: Cast) -> None:
    register = register_in(cast, cast.township, lamps())
    with pytest.raises(ValidationError) as refused:
        services.create_record(cast.user("admin"), register, {"lamp_no": "12", "status": ""})
    errors = refused.value.message_dict
    assert errors["lamp_no"] == ["编号应为4位数字"]
    assert "status" in errors
    assert not RegisterRecord.objects.exists() and not Thing.objects.exists()


def test_a_field_the_form_does_not_have_is_refused_by_name(cast: Cast) -> None:
    register = register_in(cast, cast.township, visits())
    with pytest.raises(ValidationError) as refused:
        services.create_record(cast.user("admin"), register, {"problem": "x", "age": "3"})
    assert refused.value.message_dict == {"age": ["表单中没有字段“age”。"]}


def test_a_unit_outside_the_users_scope_is_refused(cast: Cast) -> None:
    register = register_in(cast, cast.township, visits())
    with pytest.raises(ValidationError) as refused:
        services.create_record(cast.user("cun01"), register, {"problem": "x"}, unit=cast.village02)
    assert "unit" in refused.value.message_dict


def test_the_same_instance_id_twice_returns_the_first_record_and_stores_nothing(cast: Cast) -> None:
    register = register_in(cast, cast.township, visits())
    first = services.create_record(cast.user("admin"), register, {"problem": "甲"}, instance_id="uuid:abc")
    again = services.create_record(cast.user("admin"), register, {"problem": "乙"}, instance_id="uuid:abc")
    assert again.pk == first.pk and again.data == {"problem": "甲"}
    assert RegisterRecord.objects.count() == 1


def test_a_thing_registers_record_makes_its_thing(cast: Cast) -> None:
    record = lamp_at(cast, cast.grid0101)
    thing = record.thing
    assert thing is not None
    assert thing.label == "路灯0123"
    assert thing.unit == cast.grid0101
    assert thing.properties == {"status": "normal"}
    assert thing.created_by_record == record


def test_an_activity_updates_its_things_properties_and_shows_in_its_timeline(cast: Cast) -> None:
    made = lamp_at(cast, cast.grid0101)
    thing = made.thing
    assert thing is not None
    patrol = register_in(cast, cast.township, patrols())
    broken = services.create_record(
        cast.user("wangge01"), patrol, {"lamp": str(thing.key), "status": "broken", "minutes": 20}
    )
    thing.refresh_from_db()
    assert broken.thing == thing and thing.properties["status"] == "broken"
    repaired = services.create_record(
        cast.user("admin"), patrol, {"lamp": str(thing.key), "status": "normal"}
    )
    thing.refresh_from_db()
    assert thing.properties["status"] == "normal"
    assert services.thing_timeline(cast.user("admin"), thing) == [made, broken, repaired]
    # a grid worker sees the records of their own grid only
    assert services.thing_timeline(cast.user("wangge01"), thing) == [made, broken]


def test_an_activity_naming_a_thing_out_of_scope_is_refused_by_field(cast: Cast) -> None:
    thing = lamp_at(cast, cast.grid0102).thing
    assert thing is not None
    patrol = register_in(cast, cast.township, patrols())
    for lamp in (str(thing.key), "no-such-lamp"):
        with pytest.raises(ValidationError) as refused:
            services.create_record(cast.user("wangge01"), patrol, {"lamp": lamp, "status": "broken"})
        assert refused.value.message_dict == {"lamp": ["所选对象不存在或无权查看。"]}
    thing.refresh_from_db()
    assert thing.properties == {"status": "normal"}


def test_an_activity_may_name_its_thing_by_the_townships_own_number(cast: Cast) -> None:
    thing = lamp_at(cast, cast.grid0101, "0456").thing
    assert thing is not None and thing.identity == "0456"
    patrol = register_in(cast, cast.township, patrols())
    broken = services.create_record(cast.user("wangge01"), patrol, {"lamp": " 0456 ", "status": "broken"})
    thing.refresh_from_db()
    assert broken.thing == thing and thing.properties["status"] == "broken"


def test_a_thing_entered_again_under_its_number_is_updated_not_doubled(cast: Cast) -> None:
    first = lamp_at(cast, cast.grid0101, "0789")
    again = lamp_at(cast, cast.grid0101, "0789", status="broken")
    assert Thing.objects.filter(identity="0789").count() == 1
    thing = Thing.objects.get(identity="0789")
    assert first.thing == again.thing == thing and thing.properties["status"] == "broken"
    assert services.thing_timeline(cast.user("admin"), thing) == [first, again]


def test_a_number_registered_by_a_unit_out_of_scope_is_not_changed(cast: Cast) -> None:
    lamp_at(cast, cast.grid0102, "0999")
    register = Thing.objects.get(identity="0999").register
    with pytest.raises(ValidationError) as refused:
        services.create_record(cast.user("wangge01"), register, {"lamp_no": "0999", "status": "broken"})
    assert refused.value.message_dict == {"lamp_no": ["编号“0999”已由其他单位登记，请核对编号。"]}
    assert Thing.objects.get(identity="0999").properties == {"status": "normal"}


def test_an_activitys_constraint_is_checked(cast: Cast) -> None:
    thing = lamp_at(cast, cast.grid0101).thing
    assert thing is not None
    patrol = register_in(cast, cast.township, patrols())
    with pytest.raises(ValidationError) as refused:
        services.create_record(
            cast.user("admin"), patrol, {"lamp": str(thing.key), "status": "broken", "minutes": -5}
        )
    assert refused.value.message_dict == {"minutes": ["用时不能为负数"]}


def test_personal_values_are_stored_encrypted_and_shown_masked(cast: Cast) -> None:
    record = lamp_at(cast, cast.village01, keeper_phone="13812345678")
    assert record.data["keeper_phone"] == "138****5678"
    assert "13812345678" not in json.dumps(record.data) and "13812345678" not in record.personal_cipher
    assert json.loads(crypto.decrypt(record.personal_cipher)) == {"keeper_phone": "13812345678"}
    logged = json.dumps([entry.changes for entry in LogEntry.objects.get_for_object(record)])
    assert "13812345678" not in logged


def test_a_reveal_is_for_roles_that_may_and_is_logged(cast: Cast) -> None:
    record = lamp_at(cast, cast.village01, keeper_phone="13812345678")
    assert services.reveal_record(cast.user("cun01"), record) == {"keeper_phone": "13812345678"}
    assert PersonalDataAccess.objects.filter(actor=cast.user("cun01")).count() == 1
    with pytest.raises(PermissionDenied):
        services.reveal_record(cast.user("jingfa"), record)


def test_identity_numbers_are_masked_as_households_mask_them(cast: Cast) -> None:
    assert services.mask("11010519491231002X") == "110105********002X"


def test_readers_and_offices_decide_who_reads_and_writes_a_register(cast: Cast) -> None:
    from zhenwu.org import services as org

    register = load(cast, key_persons()).register
    zongzhi = org.create_user(
        username="zongzhi",
        password=None,
        role="department_staff",
        org_unit=cast.township,
        department=cast.township.departments.get(code="zzzx"),
    )
    readers = {
        name
        for name in ("admin", "leader", "jingfa", "cun01", "wangge01", "xian")
        if services.may_read(cast.user(name), register)
    }
    assert readers == {"admin", "leader"}
    assert services.may_read(zongzhi, register) and services.may_write(zongzhi, register)
    assert not services.may_write(cast.user("leader"), register)
    assert register not in services.registers_for(cast.user("jingfa"))
    assert register in services.registers_for(zongzhi, write=True)
    with pytest.raises(PermissionDenied):
        services.create_record(cast.user("jingfa"), register, {"name": "张三"})
    record = services.create_record(zongzhi, register, {"name": "张三", "id_number": "11010519491231002X"})
    assert record.department == zongzhi.department
    assert record.data["id_number"] == "110105********002X"
    assert list(services.records_for(cast.user("jingfa"), register)) == []
    assert list(services.records_for(cast.user("leader"), register)) == [record]


def test_records_for_keeps_to_the_users_scope(cast: Cast) -> None:
    inside, outside = visit_at(cast, cast.grid0101), visit_at(cast, cast.village02)
    register = inside.register
    assert list(services.records_for(cast.user("wangge01"), register)) == [inside]
    assert set(services.records_for(cast.user("admin"), register)) == {inside, outside}
    assert list(services.records_for(cast.other_admin, register)) == []


def test_a_record_points_at_a_household_the_user_may_see(cast: Cast) -> None:
    from tests.households import factories as hh

    from .books import aid

    register = register_in(cast, cast.township, aid())
    mine, theirs = hh.household(cast.village01), hh.household(cast.village02)
    record = services.create_record(
        cast.user("cun01"), register, {"household": mine.pk, "goods": "基础母羊2只"}
    )
    assert record.household == mine
    with pytest.raises(ValidationError) as refused:
        services.create_record(cast.user("cun01"), register, {"household": theirs.pk, "goods": "米面"})
    assert refused.value.message_dict == {"household": ["所关联的农户不存在或无权查看。"]}


def test_a_things_update_by_an_activity_is_in_the_activity_log(cast: Cast) -> None:
    thing = lamp_at(cast, cast.grid0101).thing
    assert thing is not None
    patrol = register_in(cast, cast.township, patrols())
    services.create_record(cast.user("wangge01"), patrol, {"lamp": str(thing.key), "status": "broken"})
    update = LogEntry.objects.get_for_object(thing).filter(action=LogEntry.Action.UPDATE).get()
    assert update.actor == cast.user("wangge01") and "properties" in update.changes_dict


@pytest.mark.parametrize(
    ("values", "instance_id", "field"),
    [({"problem": "坏\x00了"}, None, "problem"), ({"problem": "x"}, "u" * 65, "instance_id")],
    ids=["NUL in a value", "instance id too long"],
)
def test_input_no_database_keeps_is_refused_by_field(
    cast: Cast, values: dict[str, str], instance_id: str | None, field: str
) -> None:
    register = register_in(cast, cast.township, visits())
    with pytest.raises(ValidationError) as refused:
        services.create_record(cast.user("admin"), register, values, instance_id=instance_id)
    assert list(refused.value.message_dict) == [field]
    assert not RegisterRecord.objects.exists()


def test_an_instance_id_of_a_record_out_of_scope_is_not_handed_back(cast: Cast) -> None:
    register = register_in(cast, cast.township, visits())
    services.create_record(
        cast.user("admin"), register, {"problem": "甲"}, unit=cast.village02, instance_id="uuid:x"
    )
    with pytest.raises(ValidationError) as refused:
        services.create_record(cast.user("cun01"), register, {"problem": "乙"}, instance_id="uuid:x")
    assert list(refused.value.message_dict) == ["instance_id"]
    assert RegisterRecord.objects.count() == 1


def test_a_households_register_records_are_listed_for_its_page_in_scope(cast: Cast) -> None:
    from tests.households import factories as hh

    from .books import aid

    register = register_in(cast, cast.township, aid())
    household = hh.household(cast.village01)
    record = services.create_record(
        cast.user("cun01"), register, {"household": household.pk, "goods": "米面"}
    )
    assert services.records_pointing_at(cast.user("cun01"), household) == [record]
    assert services.records_pointing_at(cast.user("cun02"), household) == []
    with pytest.raises(TypeError):
        services.records_pointing_at(cast.user("cun01"), cast.village01)
