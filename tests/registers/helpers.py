"""Loading test definitions and entering records as the demo township's people would."""

from __future__ import annotations

from typing import Any

from tests.conftest import Cast
from zhenwu.org.models import OrgUnit, User
from zhenwu.registers import services
from zhenwu.registers.models import Register, RegisterRecord, RegisterVersion

from .books import Sheets, lamps, visits, xlsx


def admin_of(cast: Cast, township: OrgUnit) -> User:
    return cast.user("admin") if township == cast.township else cast.other_admin


def load(cast: Cast, sheets: Sheets, township: OrgUnit | None = None) -> RegisterVersion:
    township = township or cast.township
    return services.load_definition(admin_of(cast, township), township, xlsx(sheets), "台账.xlsx")


def register_in(cast: Cast, township: OrgUnit, sheets: Sheets) -> Register:
    """The township's register of this form, loaded once."""
    form_id = sheets["settings"][1][0]
    found = Register.objects.filter(township=township, form_id=form_id).first()
    return found or load(cast, sheets, township).register


def visit_at(cast: Cast, unit: OrgUnit, problem: str = "道路破损") -> RegisterRecord:
    township = unit.township()
    assert township is not None
    register = register_in(cast, township, visits())
    return services.create_record(admin_of(cast, township), register, {"problem": problem}, unit=unit)


def lamp_at(cast: Cast, unit: OrgUnit, number: str = "0123", **values: Any) -> RegisterRecord:
    township = unit.township()
    assert township is not None
    register = register_in(cast, township, lamps())
    data = {"lamp_no": number, "status": "normal", **values}
    return services.create_record(admin_of(cast, township), register, data, unit=unit)
