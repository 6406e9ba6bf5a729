"""The server as a township runs it: pages' latency and case intake, against a floor in the same run.

    python bench/http_bench.py --database-url URL [--label county] [--seconds 10] [--page-requests 40]

The database must hold a generated county or township (`zhenwu bench-data`). The script picks a county
viewer, a township leader, a village user and a grid worker from it, gives them the benchmark's
password, starts `zhenwu serve` (gunicorn, DEBUG off) and measures:
- the floor: `/healthz`, the same server answering a constant;
- p50/p95 of each page, one client at a time, and its ratio to the floor's p50/p95;
- case intake through Open311 and through the REST API at 1, 8 and 32 clients: throughput and
  p50/p95/p99, with every acknowledged case counted in the database afterwards.
Results go to bench/results/http_<label>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import timedelta
from typing import Any

from _setup import machine, write_result
from httpload import Request, Result, Server, environment, form, load, log_in

PASSWORD = "bench-password-不泄露"
CLIENT_COUNTS = (1, 8, 32)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--label", default="county")
    parser.add_argument("--seconds", type=float, default=10, help="each intake run")
    parser.add_argument("--page-requests", type=int, default=40, help="requests per page")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    env = environment(args.database_url)
    os.environ.update(env)
    import django

    django.setup()
    cast = prepare()
    with Server(env, args.workers, args.threads) as server:
        cookies = {role: log_in(server.port, user.username, PASSWORD) for role, user in cast.users.items()}
        floor = measure_floor(server.port, args.page_requests)
        pages = measure_pages(server.port, cast, cookies, args.page_requests, floor)
        intake = measure_intake(server.port, cast, args.seconds)
    result = {
        "label": args.label,
        "database": env["DATABASE_URL"].split(":", 1)[0],
        "server": {"workers": args.workers, "threads": args.threads, "debug": False},
        "scale": cast.scale,
        "floor": floor,
        "pages": pages,
        "intake": intake,
        "machine": machine(),
    }
    path = write_result(f"http_{args.label}", result)
    print(json.dumps({"pages": pages, "intake": intake}, ensure_ascii=False, indent=1))
    print(f"written to {path}")
    return 0


class Cast:
    """Who the benchmark acts as, and where; `prepare` gives them their key, token and category."""

    open311_key: str
    token: str
    category: Any

    def __init__(self) -> None:
        from zhenwu.org.models import OrgKind, OrgUnit, Role, User

        def first_unit(kind: str, under: OrgUnit | None = None) -> OrgUnit:
            units = OrgUnit.objects.filter(kind=kind).order_by("path")
            if under is not None:
                units = units.filter(path__startswith=under.path)
            unit = units.first()
            if unit is None:
                sys.exit(f"the database has no {kind}: generate one first with `zhenwu bench-data`")
            return unit

        self.county = first_unit(OrgKind.COUNTY)
        self.township = first_unit(OrgKind.TOWNSHIP, self.county)
        self.village = first_unit(OrgKind.VILLAGE, self.township)
        self.grid = first_unit(OrgKind.GRID, self.village)

        def user(role: str, unit: OrgUnit) -> User:
            found = User.objects.filter(role=role, org_unit=unit, is_active=True).order_by("pk").first()
            if found is None:
                sys.exit(f"no active {role} at {unit.name}: generate the data with `zhenwu bench-data`")
            return found

        self.users = {
            "county": user(Role.COUNTY_VIEWER, self.county),
            "leader": user(Role.TOWNSHIP_LEADER, self.township),
            "village": user(Role.VILLAGE_STAFF, self.village),
            "grid": user(Role.GRID_WORKER, self.grid),
        }
        self.scale = scale()


def scale() -> dict[str, int]:
    from zhenwu.cases.models import Case
    from zhenwu.households.models import Household
    from zhenwu.indicators.models import Indicator, Value
    from zhenwu.org.models import OrgKind, OrgUnit
    from zhenwu.projects.models import Project

    return {
        "townships": OrgUnit.objects.filter(kind=OrgKind.TOWNSHIP).count(),
        "villages": OrgUnit.objects.filter(kind=OrgKind.VILLAGE).count(),
        "grids": OrgUnit.objects.filter(kind=OrgKind.GRID).count(),
        "cases": Case.objects.count(),
        "indicators": Indicator.objects.count(),
        "indicator_values": Value.objects.count(),
        "projects": Project.objects.count(),
        "households": Household.objects.count(),
    }


def prepare() -> Cast:
    """Give the chosen users the benchmark's password, an Open311 key and an API token."""
    from django.contrib.auth.hashers import make_password
    from rest_framework.authtoken.models import Token

    from zhenwu.cases.models import CaseCategory, Open311Key
    from zhenwu.org.models import User

    cast = Cast()
    hashed = make_password(PASSWORD)
    User.objects.filter(pk__in=[u.pk for u in cast.users.values()]).update(password=hashed)
    cast.open311_key = Open311Key.objects.get_or_create(
        township=cast.township, name="bench", defaults={"key": "bench-open311-key", "active": True}
    )[0].key
    cast.token = Token.objects.get_or_create(user=cast.users["grid"])[0].key
    category = CaseCategory.objects.filter(case_type__open311=True).select_related("case_type").first()
    if category is None:
        sys.exit("no case category is open to Open311: load the case catalog")
    cast.category = category
    return cast


def percentiles(result: Result) -> dict[str, float]:
    return {
        "p50_ms": round(result.percentile(50) * 1000, 1),
        "p95_ms": round(result.percentile(95) * 1000, 1),
    }


def measure_floor(port: int, requests: int) -> dict[str, Any]:
    get = Request("GET", "/healthz")
    load(port, lambda n: get, clients=1, requests=20)
    one = load(port, lambda n: get, clients=1, requests=max(requests * 5, 200))
    floor: dict[str, Any] = {"pages": percentiles(one)}
    for clients in CLIENT_COUNTS:
        floor[f"clients_{clients}"] = load(port, lambda n: get, clients=clients, seconds=3).summary()
    return floor


def page_list(cast: Cast) -> list[tuple[str, str, str]]:
    """(what, who, path): the pages the issue names, at the scope it names."""
    from django.utils import timezone

    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    township, village = cast.township.code, cast.village.code
    return [
        ("leaders' dashboard, township", "leader", "/dashboard/"),
        ("leaders' dashboard, county", "county", "/dashboard/"),
        ("leaders' dashboard, township, recounted", "leader", "/dashboard/?fresh=1"),
        ("leaders' dashboard, county, recounted", "county", "/dashboard/?fresh=1"),
        ("case list, county, open grid events", "county", "/cases/?state=open"),
        ("case list, county, overdue", "county", "/cases/?overdue=on"),
        ("case list, township, open", "leader", "/cases/?state=open"),
        ("case list, township, village filter", "leader", f"/cases/?unit={village}"),
        ("case figures, 办结率 by village", "leader", f"/cases/ranking/{township}/?date={last_month}"),
        ("indicator progress, township page", "leader", f"/indicators/?org={township}"),
        ("indicator progress, township API", "leader", f"/api/v1/indicators/progress?org={township}"),
        ("projects dashboard, township", "leader", "/projects/"),
        ("household list, village user", "village", "/households/list/"),
    ]  # fmt: skip


def measure_pages(
    port: int, cast: Cast, cookies: dict[str, str], requests: int, floor: dict[str, Any]
) -> list[dict[str, Any]]:
    rows = []
    for what, who, path in page_list(cast):
        get = Request("GET", path, headers={"Cookie": cookies[who]})
        load(port, lambda n, get=get: get, clients=1, requests=3)  # warm the worker's caches
        result = load(port, lambda n, get=get: get, clients=1, requests=requests)
        row: dict[str, Any] = {"page": what, "path": path, "as": who, **percentiles(result)}
        row["statuses"] = {str(k): v for k, v in result.statuses.items()}
        row["p95_ratio_to_floor"] = round(row["p95_ms"] / floor["pages"]["p95_ms"], 1)
        row["target_p95_ms"] = 200
        row["met"] = row["p95_ms"] < 200 and set(result.statuses) == {200}
        print(f"{what:48} p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  {row['statuses']}")
        rows.append(row)
    return rows


def open311_request(cast: Cast) -> Request:
    body, headers = form(
        {
            "api_key": cast.open311_key,
            "service_code": cast.category.code,
            "description": "路灯不亮，夜间通行不便，请尽快维修。",
            "address_string": f"{cast.village.name}村委会东侧",
        }
    )
    return Request("POST", "/open311/v2/requests.json", body, headers)


def rest_request(cast: Cast) -> Request:
    body = json.dumps(
        {
            "case_type": cast.category.case_type.code,
            "category": cast.category.code,
            "title": "路灯不亮",
            "description": "路灯不亮，夜间通行不便，请尽快维修。",
            "org_unit": cast.grid.code,
        },
        ensure_ascii=False,
    ).encode()
    headers = {"Content-Type": "application/json", "Authorization": f"Token {cast.token}"}
    return Request("POST", "/api/v1/cases/", body, headers)


def acknowledged_ids(result: Result, channel: str) -> list[int]:
    ids = []
    for body in result.bodies:
        try:
            data = json.loads(body)
        except ValueError:
            continue
        if channel == "open311" and isinstance(data, list) and data and "service_request_id" in data[0]:
            ids.append(int(data[0]["service_request_id"]))
        elif channel == "rest" and isinstance(data, dict) and "id" in data:
            ids.append(int(data["id"]))
    return ids


def measure_intake(port: int, cast: Cast, seconds: float) -> list[dict[str, Any]]:
    from zhenwu.cases.models import Case

    rows = []
    for channel, request in (("open311", open311_request(cast)), ("rest", rest_request(cast))):
        for clients in CLIENT_COUNTS:
            before = Case.objects.count()
            result = load(port, lambda n, r=request: r, clients=clients, seconds=seconds, keep_bodies=True)
            ids = acknowledged_ids(result, channel)
            stored = Case.objects.filter(pk__in=ids).count()
            row = {"channel": channel, **result.summary()}
            row.update(
                acknowledged=len(ids),
                stored=stored,
                new_rows=Case.objects.count() - before,
                lost=len(ids) - stored,
            )
            if clients == 8:
                row["target"] = ">= 300/s, p95 < 50 ms, none lost"
                row["met"] = row["per_second"] >= 300 and row["p95_ms"] < 50 and row["lost"] == 0
            print(
                f"{channel:8} {clients:3} clients {row['per_second']:7.1f}/s p50 {row['p50_ms']:6.1f} "
                f"p95 {row['p95_ms']:6.1f} p99 {row['p99_ms']:6.1f} ms  acked {len(ids)} stored {stored} "
                f"{row['statuses']}"
            )
            rows.append(row)
    return rows


if __name__ == "__main__":
    sys.exit(main())
