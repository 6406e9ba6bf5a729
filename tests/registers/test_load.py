"""Loading a township's XLSForm: a new register, a new version, or a refusal that changes nothing."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from tests.conftest import Cast
from zhenwu.registers import services
from zhenwu.registers.definition import DefinitionError
from zhenwu.registers.models import Register, RegisterRecord, RegisterVersion

from .books import lamps, patrols, xlsx
from .helpers import lamp_at, load


def test_a_good_definition_makes_a_register_with_its_settings(cast: Cast) -> None:
    version = load(cast, lamps())
    register = version.register
    assert (register.form_id, register.title, register.kind) == ("lamps", "路灯", "thing")
    assert register.current_version == version
    assert register.personal == ["keeper_phone"]
    assert version.version == "1" and version.loaded_by == cast.user("admin")
    assert "<h:html" in version.xform and len(version.md5) == 32
    assert bytes(version.source).startswith(b"PK")
    assert [f.name for f in version.parsed().fields] == ["lamp_no", "status", "keeper_phone"]


def test_loading_is_in_the_activity_log(cast: Cast) -> None:
    register = load(cast, lamps()).register
    entries = LogEntry.objects.get_for_object(register)
    assert {entry.actor for entry in entries} == {cast.user("admin")}
    assert entries.filter(action=LogEntry.Action.CREATE).exists()
    version = register.current_version
    assert LogEntry.objects.get_for_object(version).get().actor == cast.user("admin")


def test_a_new_version_keeps_old_records_readable_under_their_version(cast: Cast) -> None:
    old = lamp_at(cast, cast.village01)
    new_version = load(cast, lamps("2", extra_field=True))
    register = Register.objects.get(pk=old.register_id)
    assert register.current_version == new_version
    assert register.versions.count() == 2
    old.refresh_from_db()
    assert old.version.version == "1"
    assert [v.name for v in services.shown_values(old)] == ["lamp_no", "status"]
    newer = lamp_at(cast, cast.village01, "0456", pole="水泥")
    assert newer.version == new_version
    assert newer.thing is not None and newer.thing.properties == {"status": "normal", "pole": "水泥"}


def test_the_same_version_twice_is_refused_and_changes_nothing(cast: Cast) -> None:
    load(cast, lamps())
    with pytest.raises(DefinitionError) as refused:
        load(cast, lamps())
    assert "version" in refused.value.messages[0] and "已有版本" in refused.value.messages[0]
    assert RegisterVersion.objects.count() == 1


def test_a_register_cannot_change_its_kind(cast: Cast) -> None:
    load(cast, lamps())
    sheets = patrols()
    sheets["settings"] = [["form_id", "form_title", "version"], ["lamps", "路灯", "2"]]
    sheets["entities"] = [["list_name", "entity_id"], ["other_lamps", "${lamp}"]]
    with pytest.raises(DefinitionError) as refused:
        load(cast, sheets)
    assert any("台账类型" in message for message in refused.value.messages)
    assert Register.objects.get().kind == "thing"


@pytest.mark.parametrize(
    ("breakage", "named"),
    [
        (lambda s: s["survey"].append(["bogus_type", "x", "某字段", "", "", "", ""]), "survey"),
        (lambda s: s["survey"].append(["text", "lamp_no", "重复", "", "", "", ""]), "survey"),
        (lambda s: s.__setitem__("choices", [s["choices"][0], ["yes_no", "yes", "是"]]), "status"),
        (lambda s: s["survey"][1].__setitem__(4, "string-length(. = 4"), "survey"),
    ],
    ids=["unknown type", "duplicate name", "missing choice list", "broken expression"],
)
def test_a_bad_definition_is_refused_in_chinese_and_changes_nothing(cast: Cast, breakage, named) -> None:  # type: ignore[no-untyped-def]
    sheets = lamps()
    breakage(sheets)
    with pytest.raises(DefinitionError) as refused:
        load(cast, sheets)
    text = "\n".join(refused.value.messages)
    assert named in text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert not Register.objects.exists() and not RegisterVersion.objects.exists()
    assert not LogEntry.objects.filter(content_type__app_label="registers").exists()


def test_a_reserved_form_id_is_refused(cast: Cast) -> None:
    sheets = lamps()
    sheets["settings"] = [["form_id", "form_title", "version"], ["load", "路灯", "1"]]
    sheets["entities"] = [["list_name", "label"], ["load", "${lamp_no}"]]
    with pytest.raises(DefinitionError):
        load(cast, sheets)
    assert not Register.objects.exists()


@pytest.mark.parametrize("username", ["leader", "jingfa", "cun01", "wangge01", "xian"])
def test_only_a_township_admin_loads_a_definition(cast: Cast, username: str) -> None:
    with pytest.raises(PermissionDenied):
        services.load_definition(cast.user(username), cast.township, xlsx(lamps()), "lamps.xlsx")
    assert not Register.objects.exists()


def test_an_admin_loads_only_into_their_own_township(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.load_definition(cast.user("admin"), cast.other_township, xlsx(lamps()), "lamps.xlsx")
    assert not RegisterRecord.objects.exists() and not Register.objects.exists()


def test_a_versions_md5_is_the_served_xforms_as_collect_compares_it(cast: Cast) -> None:
    import hashlib

    version = load(cast, lamps())
    assert version.md5 == hashlib.md5(version.xform.encode()).hexdigest()
