"""An error never tells a user about a record outside their scope: importing a person registered in
another village says only that the person is registered elsewhere; a household in scope is named."""

from __future__ import annotations

from tests.conftest import Cast
from tests.households import factories
from tests.households.test_import import register_row, workbook
from zhenwu.households import excel
from zhenwu.households.models import Household


def test_a_person_registered_in_another_village_is_not_located_for_a_village_clerk(cast: Cast) -> None:
    elsewhere = factories.household(cast.village02)
    person = elsewhere.members.get(relation="head")
    rows = [register_row("A009", "冒名", "户主", person.full_id_number())]
    report = excel.import_register(cast.user("cun01"), workbook(excel.REGISTER_COLUMNS, rows), "r.xlsx",
                                   dry_run=True)  # fmt: skip
    text = "；".join(report.errors)
    assert "此人已在其他户登记，请联系镇民政办核实" in text
    assert elsewhere.number not in text and cast.village02.name not in text
    assert not Household.objects.filter(number="A009").exists()


def test_a_household_in_the_users_own_scope_is_named(cast: Cast) -> None:
    own = factories.household(cast.grid0101)
    person = own.members.get(relation="head")
    rows = [register_row("A010", "重复", "户主", person.full_id_number())]
    report = excel.import_register(cast.user("cun01"), workbook(excel.REGISTER_COLUMNS, rows), "r.xlsx",
                                   dry_run=True)  # fmt: skip
    assert f"此人已登记在户{own.number}中" in "；".join(report.errors)
