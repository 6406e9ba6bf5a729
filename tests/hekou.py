"""河口镇 of 清源县 as the onboarding fixtures describe it (tests/fixtures/township/township.py), built with
the factories: county, township, villages and communities, three grids each, the seven offices, and an
admin. The history imports are tested against the township their fixture files were written for."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from tests import factories
from zhenwu.org import services
from zhenwu.org.models import Department, OrgUnit, Role, User

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "township"


def township_data() -> ModuleType:
    """The fixtures' township.py, loaded from its folder (it is not a package)."""
    if "township" in sys.modules:
        return sys.modules["township"]
    spec = importlib.util.spec_from_file_location("township", FIXTURES / "township.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["township"] = module
    spec.loader.exec_module(module)
    return module


@dataclass
class Hekou:
    county: OrgUnit
    township: OrgUnit
    villages: dict[str, OrgUnit]
    grids: dict[str, OrgUnit]
    offices: dict[str, Department]
    admin: User

    def fixture(self, name: str) -> bytes:
        return (FIXTURES / name).read_bytes()


def build() -> Hekou:
    data = township_data()
    county = factories.org_unit(None, name=data.COUNTY[0], code=data.COUNTY[1])
    township = factories.org_unit(county, name=data.TOWNSHIP[0], code=data.TOWNSHIP[1])
    villages: dict[str, OrgUnit] = {}
    grids: dict[str, OrgUnit] = {}
    for name, code, _kind in data.VILLAGES:
        village = villages[name] = factories.org_unit(township, name=name, code=code)
        for number in range(1, data.GRIDS_PER_VILLAGE + 1):
            grid_name = data.grid_name(name, number)
            grids[grid_name] = factories.org_unit(village, name=grid_name, code=data.grid_code(code, number))
    offices = {
        name: services.create_department(township=township, code=code, name=name)
        for name, code in data.OFFICES
    }
    admin = factories.user(Role.TOWNSHIP_ADMIN, township, display_name="周海涛")
    return Hekou(county, township, villages, grids, offices, admin)
