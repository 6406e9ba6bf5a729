"""Correcting, moving and closing households and members through the services: a new identity number is
encrypted and indexed again, a move is kept as 迁出 on one household and 迁入 on the other, a closed
member or household keeps its record, and every change is in the activity log with before and after."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import Cast
from tests.households import factories
from zhenwu.core import idcard
from zhenwu.households import crypto, services
from zhenwu.households.models import Benefit, Household, Member, Move

DAY = date(2026, 10, 8)


def head_of(household: Household) -> Member:
    return household.members.get(relation="head")


def changes(record: object) -> dict[str, list[str]]:
    """The last logged change of `record`: field -> [before, after]."""
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(record)),
            object_pk=str(record.pk),  # type: ignore[attr-defined]
        )
        .order_by("-timestamp", "-pk")
        .first()
    )
    assert entry is not None
    return dict(entry.changes_dict)


def test_a_member_name_is_corrected_and_logged_with_before_and_after(cast: Cast) -> None:
    member = head_of(factories.household(cast.grid0101))
    before = member.name
    services.edit_member(
        member, services.MemberChanges(name="王小明", relation="head"), actor=cast.user("cun01")
    )
    member.refresh_from_db()
    assert member.name == "王小明"
    assert changes(member)["name"] == [before, "王小明"]


def test_a_new_identity_number_is_encrypted_indexed_and_masked_again(cast: Cast) -> None:
    member = head_of(factories.household(cast.grid0101))
    old_masked, phone = member.id_number_masked, member.full_phone()
    number = idcard.compose("990555", date(1990, 2, 3), 77)
    services.edit_member(
        member, services.MemberChanges(name=member.name, relation="head", id_number=number), actor=None
    )
    member.refresh_from_db()
    assert member.full_id_number() == number and number not in member.id_number_cipher
    assert member.id_number_index == crypto.blind_index(number)
    assert (member.birth_date, member.gender) == (date(1990, 2, 3), "male")
    assert member.full_phone() == phone  # the phone is kept when left empty
    logged = changes(member)
    assert logged["id_number_masked"] == [old_masked, idcard.mask_id_number(number)]
    assert not any(key.startswith(("id_number_cipher", "id_number_index")) for key in logged)
    assert number not in str(logged)


def test_a_wrong_number_or_a_taken_one_is_refused_by_its_field(cast: Cast) -> None:
    member = head_of(factories.household(cast.grid0101))
    taken = head_of(factories.household(cast.grid0102)).full_id_number()
    for number, message in [("99055519660606004", "18位"), (taken, "同一人不能属于两户")]:
        with pytest.raises(ValidationError) as error:
            services.edit_member(member, services.MemberChanges(member.name, "head", id_number=number))
        assert message in error.value.message_dict["id_number"][0]


def test_the_head_changes_on_the_household_and_the_former_head_takes_a_relation(cast: Cast) -> None:
    household = factories.household(cast.grid0101)
    former, child = head_of(household), household.members.get(relation="child")
    with pytest.raises(ValidationError) as error:
        services.edit_household(household, address="新址", lifted_out=False, left_behind_elderly=False,
                                left_behind_children=False, head=child)  # fmt: skip
    assert "former_head_relation" in error.value.message_dict
    services.edit_household(household, address="新址", lifted_out=True, left_behind_elderly=False,
                            left_behind_children=False, head=child,
                            former_head_relation="parent")  # fmt: skip
    former.refresh_from_db()
    household.refresh_from_db()
    assert head_of(household) == child and former.relation == "parent"
    assert household.address == "新址" and household.lifted_out
    assert changes(household)["address"][1] == "新址"


def test_a_member_moves_to_another_household_with_the_move_kept(cast: Cast) -> None:
    source, target = factories.household(cast.grid0101), factories.household(cast.grid0102)
    child = source.members.get(relation="child")
    move = services.move_member(child, to_household=target, relation="other", moved_on=DAY,
                                reason="投靠亲属", actor=cast.user("cun01"))  # fmt: skip
    child.refresh_from_db()
    assert child.household == target and child.relation == "other"
    assert list(services.moves_of(source)) == list(services.moves_of(target)) == [move]
    assert (move.from_household, move.to_household, move.from_unit, move.to_unit) == (
        source, target, cast.grid0101, cast.grid0102
    )  # fmt: skip
    assert changes(child)["household"] == [str(source.pk), str(target.pk)]
    assert changes(move)["reason"] == ["None", "投靠亲属"]


def test_a_move_out_of_scope_or_into_a_closed_household_is_refused(cast: Cast) -> None:
    member = factories.household(cast.grid0101).members.get(relation="child")
    elsewhere = factories.household(cast.village02)
    with pytest.raises(PermissionDenied):
        services.move_member(member, to_household=elsewhere, relation="child", moved_on=DAY, reason="迁",
                             actor=cast.user("cun01"))  # fmt: skip
    closed = factories.household(cast.grid0102, members=0)
    services.close_household(closed, closed_on=DAY, reason="no_members")
    with pytest.raises(ValidationError) as error:
        services.move_member(member, to_household=closed, relation="child", moved_on=DAY, reason="迁")
    assert "已销户" in error.value.message_dict["to_household"][0]


def test_the_head_moves_or_leaves_only_after_another_head_is_chosen(cast: Cast) -> None:
    household = factories.household(cast.grid0101)
    head = head_of(household)
    with pytest.raises(ValidationError, match="请先在“修改户信息”中更换户主"):
        services.close_member(head, left_on=DAY, reason="died")
    with pytest.raises(ValidationError, match="请先在“修改户信息”中更换户主"):
        services.move_member(head, to_household=factories.household(cast.grid0101), relation="child",
                             moved_on=DAY, reason="迁")  # fmt: skip


def test_a_household_moves_to_another_grid_in_scope_only(cast: Cast) -> None:
    household = factories.household(cast.grid0101)
    move = services.move_household(household, to_unit=cast.grid0102, moved_on=DAY, reason="搬迁安置",
                                   actor=cast.user("cun01"))  # fmt: skip
    household.refresh_from_db()
    assert household.org_unit == cast.grid0102 and move.whole_household
    assert changes(household)["org_unit"] == [str(cast.grid0101.pk), str(cast.grid0102.pk)]
    with pytest.raises(PermissionDenied):
        services.move_household(household, to_unit=cast.village02, moved_on=DAY, reason="迁",
                                actor=cast.user("cun01"))  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.move_household(household, to_unit=cast.grid0101, moved_on=date(2027, 1, 1), reason="迁")
    assert "不能晚于今天" in error.value.message_dict["moved_on"][0]


def test_a_member_who_died_is_kept_and_closed_from_the_day(cast: Cast) -> None:
    household = factories.household(cast.grid0101, members=3)
    child = household.members.filter(relation="child").first()
    assert child is not None
    services.close_member(child, left_on=DAY, reason="died", note="病故", actor=cast.user("cun01"))
    child.refresh_from_db()
    assert (child.left_on, child.left_reason, child.left_note) == (DAY, "died", "病故")
    assert changes(child)["left_reason"] == ["", "died"]
    with pytest.raises(ValidationError, match="已于2026-10-08销户"):
        services.edit_member(child, services.MemberChanges(name="改", relation="child"))


def test_a_household_moving_out_whole_closes_its_members_and_ends_its_benefits(cast: Cast) -> None:
    household = factories.household(cast.grid0101)
    dibao = services.grant_benefit(household=household, kind="dibao", starts_on=date(2026, 1, 1),
                                   monthly_amount=services.Decimal("600"))  # fmt: skip
    services.close_household(household, closed_on=DAY, reason="moved_out", note="迁往外省",
                             actor=cast.user("cun01"))  # fmt: skip
    household.refresh_from_db()
    assert household.closed_on == DAY and household.closed_reason == "moved_out"
    assert set(household.members.values_list("left_on", "left_reason")) == {(DAY, "moved_out")}
    assert Benefit.objects.get(pk=dibao.pk).ends_on == DAY
    with pytest.raises(ValidationError, match="已于2026-10-08销户"):
        services.edit_household(household, address="x", lifted_out=False, left_behind_elderly=False,
                                left_behind_children=False)  # fmt: skip


def test_a_household_with_members_left_is_closed_only_as_moving_out_whole(cast: Cast) -> None:
    household = factories.household(cast.grid0101)
    with pytest.raises(ValidationError) as error:
        services.close_household(household, closed_on=DAY, reason="no_members")
    assert "还有2名成员未销户" in error.value.message_dict["reason"][0]
    assert Household.objects.get(pk=household.pk).closed_on is None


def test_a_grid_worker_and_the_county_cannot_change_the_register(cast: Cast) -> None:
    household = factories.household(cast.grid0101)
    for username in ("wangge01", "xian", "jingfa", "leader"):
        with pytest.raises(PermissionDenied):
            services.edit_household(household, address="x", lifted_out=False, left_behind_elderly=False,
                                    left_behind_children=False, actor=cast.user(username))  # fmt: skip
    assert not Move.objects.exists()


def test_a_closed_household_takes_no_new_member_case_or_benefit(cast: Cast) -> None:
    household = factories.household(cast.grid0101)
    services.close_household(household, closed_on=DAY, reason="moved_out")
    with pytest.raises(ValidationError, match="已于2026-10-08销户"):
        services.add_member(household, services.MemberInput("新", "child", factories.id_number()))
    with pytest.raises(ValidationError, match="已于2026-10-08销户"):
        services.identify(
            household=household, category="marginal", identified_on=DAY, risk_causes=["illness"]
        )
    with pytest.raises(ValidationError, match="已于2026-10-08销户"):
        services.grant_benefit(household=household, kind="temporary", starts_on=DAY,
                               amount=services.Decimal("100"), reason="救急")  # fmt: skip
