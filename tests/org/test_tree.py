"""The org tree: shape rules, materialised paths, and subtree listing in one query."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from zhenwu.org import services
from zhenwu.org.models import OrgKind, OrgUnit


@pytest.mark.django_db
def test_a_village_cannot_hang_directly_under_a_county() -> None:
    county = factories.org_unit()
    with pytest.raises(ValidationError) as error:
        services.create_org_unit(kind=OrgKind.VILLAGE, code="V1", name="错挂村", parent=county)
    assert "村/社区的上级应为乡镇/街道" in str(error.value)
    assert not OrgUnit.objects.filter(code="V1").exists()


@pytest.mark.django_db
def test_a_code_with_a_slash_is_rejected_in_chinese() -> None:
    with pytest.raises(ValidationError) as error:
        services.create_org_unit(kind=OrgKind.COUNTY, code="a/b", name="坏编码县", parent=None)
    assert "编码只能包含字母、数字、下划线和连字符" in str(error.value)


@pytest.mark.django_db
def test_the_same_code_cannot_be_used_twice() -> None:
    factories.org_unit(code="DUP")
    with pytest.raises(ValidationError):
        factories.org_unit(code="DUP")


@pytest.mark.django_db
def test_changing_a_code_moves_the_whole_subtree_path() -> None:
    county = factories.tree(townships=1, villages=2, grids=2)
    township = county.children.get()
    services.update_org_unit(township, code="NEWCODE", name=township.name)
    under = OrgUnit.objects.subtree(OrgUnit.objects.get(code="NEWCODE"))
    assert under.count() == 1 + 2 + 4
    assert all("/NEWCODE/" in unit.path for unit in under)
    assert all(unit.path == unit.compute_path() for unit in OrgUnit.objects.all())


@pytest.mark.django_db
def test_subtree_contains_the_unit_and_everything_under_it_and_nothing_else() -> None:
    county = factories.tree(townships=2, villages=2, grids=3)
    township = county.children.order_by("code").first()
    assert township is not None
    expected = {township.pk}
    for village in township.children.all():
        expected.add(village.pk)
        expected |= set(village.children.values_list("pk", flat=True))
    assert set(OrgUnit.objects.subtree(township).values_list("pk", flat=True)) == expected


def _queries_to_list_subtree(county: OrgUnit) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        rows = [
            (u.name, u.parent.name if u.parent else "")
            for u in OrgUnit.objects.subtree(county).select_related("parent")
        ]
    return len(ctx.captured_queries), len(rows)


@pytest.mark.django_db
def test_listing_a_subtree_takes_one_query_whatever_the_size_of_the_tree() -> None:
    small, small_rows = _queries_to_list_subtree(factories.tree(townships=1, villages=1, grids=1))
    large, large_rows = _queries_to_list_subtree(factories.tree(townships=3, villages=5, grids=6))
    assert large_rows > 10 * small_rows
    assert small == large == 1


@pytest.mark.django_db
def test_the_subtree_query_uses_the_path_index() -> None:
    sql = str(OrgUnit.objects.filter(path__startswith="990101/").query)
    assert "LIKE" in sql.upper()
    index_names = {c["columns"][0]: name for name, c in _constraints().items() if c["columns"]}
    assert "path" in index_names


def _constraints() -> dict[str, dict[str, list[str]]]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, OrgUnit._meta.db_table)  # type: ignore[no-any-return]
