"""Every case names the county its place lies in (`Case.county_code`), and a scope's queries name it too:
with several counties in one table, the indexes that lead with it read one county's cases (docs/scale.md).
A case that lacked it would vanish from every list, so each way a case is made is checked here."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from tests.cases.conftest import make_case
from tests.conftest import Cast
from zhenwu.cases import services
from zhenwu.cases.models import Case
from zhenwu.org import scope
from zhenwu.org import services as org_services
from zhenwu.org.models import User

BEFORE, AFTER = ("cases", "0007_escalation_rules"), ("cases", "0008_case_county_code")


def test_a_case_reported_or_made_in_bulk_names_its_county(cast: Cast, types: dict) -> None:
    reported = make_case(cast.user("wangge01"), cast.grid0101)
    outside = make_case(None, cast.other_grid)
    copy = Case(
        **{f.attname: getattr(reported, f.attname) for f in Case._meta.concrete_fields if not f.primary_key}
    )
    copy.county_code = ""
    (bulk,) = Case.objects.bulk_create([copy])
    assert [c.county_code for c in (reported, outside, bulk)] == [cast.county.code, "OUT", cast.county.code]
    assert Case.objects.get(pk=bulk.pk).county_code == cast.county.code


def test_the_database_refuses_a_case_without_its_county(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(county_code="")


def test_a_scopes_query_names_the_county_it_reads(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    for username in ("xian", "wangge01"):
        listed = services.cases_for(cast.user(username))
        assert '"county_code" = ' in str(listed.query)
        assert list(listed) == [case]


def test_a_county_given_a_new_code_keeps_its_cases_in_sight(cast: Cast, types: dict) -> None:
    case = make_case(cast.user("wangge01"), cast.grid0101)
    outside = make_case(None, cast.other_grid)
    org_services.update_org_unit(cast.county, code="990199", name=cast.county.name)
    assert Case.objects.get(pk=case.pk).county_code == "990199"
    assert Case.objects.get(pk=outside.pk).county_code == "OUT"
    for username in ("xian", "wangge01"):  # read again: their units' paths changed with the code
        assert list(services.cases_for(User.objects.get(username=username))) == [case]


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_county_of_cases_already_kept(cast: Cast, types: dict) -> None:
    inside = make_case(cast.user("wangge01"), cast.grid0101)
    outside = make_case(None, cast.other_grid)
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM cases_case")
            assert cursor.fetchone() == (2,)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert Case.objects.get(pk=inside.pk).county_code == cast.county.code
    assert Case.objects.get(pk=outside.pk).county_code == "OUT"


def test_a_subtree_the_scope_says_already_is_not_said_twice(cast: Cast, types: dict) -> None:
    inside = make_case(cast.user("wangge01"), cast.grid0101)
    make_case(None, cast.other_grid)
    viewer, admin = cast.user("xian"), User.objects.create_superuser("root-admin", password="x")
    for user, unit, said in ((viewer, cast.county, 1), (viewer, cast.township, 2), (admin, cast.county, 1)):
        cases = scope.narrowed_to(user, scope.scoped(user, Case.objects.all()), unit)
        assert str(cases.query).count("LIKE") == said
        assert list(cases) == [inside]
