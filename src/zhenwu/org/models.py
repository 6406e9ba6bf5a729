"""The organisation tree, the township offices, and the users with their role and scope."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q


class OrgKind(models.TextChoices):
    COUNTY = "county", "县/区"
    TOWNSHIP = "township", "乡镇/街道"
    VILLAGE = "village", "村/社区"
    GRID = "grid", "网格"
    MICROGRID = "microgrid", "微网格"


# Which kind of unit may hang under which: the tree is county → township → village → grid → microgrid.
PARENT_KIND = {
    OrgKind.COUNTY: None,
    OrgKind.TOWNSHIP: OrgKind.COUNTY,
    OrgKind.VILLAGE: OrgKind.TOWNSHIP,
    OrgKind.GRID: OrgKind.VILLAGE,
    OrgKind.MICROGRID: OrgKind.GRID,
}

PATH_SEPARATOR = "/"
code_validator = RegexValidator(r"^[A-Za-z0-9_-]+$", "编码只能包含字母、数字、下划线和连字符。")


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def subtree(self, unit: OrgUnit) -> OrgUnitQuerySet:
        """The unit and every unit under it: one indexed prefix query on the materialised path."""
        return self.filter(path__startswith=unit.path)

    def of_kind(self, kind: str) -> OrgUnitQuerySet:
        return self.filter(kind=kind)


def county_code_of(path: str) -> str:
    """The code of the county a unit of this path lies in: the root of its tree, the path's first code."""
    return path.split(PATH_SEPARATOR)[0]


class ScopeRule:
    """How records of a model hang on the org tree, read by `zhenwu.org.scope`.

    `org_field` names the foreign key to OrgUnit ("" for OrgUnit itself); `department_field` names the
    foreign key to Department for records an office owns, so that office staff see only their own.
    `shared_downward` is for catalogs kept at a unit for everyone under it (a township's indicator
    catalog): users below the unit see them too, not only users above it. `county_field` names a column
    holding the code of the county the record's place lies in (`OrgUnit.county_code`), for tables large
    enough to share one database among counties: the scope then says which county it reads, and indexes
    that lead with that column read one county's entries, however many counties the table holds.
    """

    def __init__(
        self,
        org_field: str,
        department_field: str | None = None,
        *,
        shared_downward: bool = False,
        county_field: str | None = None,
    ) -> None:
        self.org_field = org_field
        self.department_field = department_field
        self.shared_downward = shared_downward
        self.county_field = county_field


class OrgUnit(models.Model):
    """One node of the org tree.

    `path` is the codes from the root down, each followed by "/", so a subtree is `path LIKE 'p%'`
    (an index with varchar_pattern_ops on PostgreSQL, a plain index on SQLite).
    """

    kind = models.CharField("层级", max_length=16, choices=OrgKind.choices)
    code = models.CharField("编码", max_length=32, unique=True, validators=[code_validator])
    name = models.CharField("名称", max_length=64)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField("路径", max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField("深度", editable=False)

    objects = OrgUnitQuerySet.as_manager()
    scope = ScopeRule(org_field="")

    class Meta:
        verbose_name = "组织单元"
        verbose_name_plural = "组织单元"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        expected = PARENT_KIND.get(OrgKind(self.kind)) if self.kind in OrgKind.values else None
        parent_kind = self.parent.kind if self.parent else None
        if expected != parent_kind:
            wanted = OrgKind(expected).label if expected else "无上级"
            raise ValidationError({"parent": f"{self.get_kind_display()}的上级应为{wanted}。"})

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent else ""
        return f"{prefix}{self.code}{PATH_SEPARATOR}"

    @property
    def county_code(self) -> str:
        return county_code_of(self.path)

    def is_within(self, other: OrgUnit) -> bool:
        return self.path.startswith(other.path)

    def township(self) -> OrgUnit | None:
        """The township this unit belongs to (itself if it is one): the second code on its path."""
        if self.kind == OrgKind.COUNTY:
            return None
        if self.kind == OrgKind.TOWNSHIP:
            return self
        township_code = self.path.split(PATH_SEPARATOR)[1]
        return OrgUnit.objects.get(code=township_code)


class Department(models.Model):
    """A township office (站所/办) that owns indicators, projects and cases."""

    township = models.ForeignKey(
        OrgUnit,
        verbose_name="乡镇/街道",
        on_delete=models.PROTECT,
        related_name="departments",
        limit_choices_to={"kind": OrgKind.TOWNSHIP},
    )
    code = models.CharField("编码", max_length=32, validators=[code_validator])
    name = models.CharField("名称", max_length=64)

    scope = ScopeRule(org_field="township")

    class Meta:
        verbose_name = "站所/办"
        verbose_name_plural = "站所/办"
        ordering = ["township__path", "code"]
        constraints = [
            models.UniqueConstraint(fields=["township", "code"], name="department_code_unique_in_township"),
            models.UniqueConstraint(fields=["township", "name"], name="department_name_unique_in_township"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.township_id and self.township.kind != OrgKind.TOWNSHIP:
            raise ValidationError({"township": "站所/办只能设在乡镇/街道下。"})


class Role(models.TextChoices):
    COUNTY_VIEWER = "county_viewer", "县级查看"
    TOWNSHIP_ADMIN = "township_admin", "乡镇管理员"
    TOWNSHIP_LEADER = "township_leader", "乡镇领导"
    DEPARTMENT_STAFF = "department_staff", "站所工作人员"
    VILLAGE_STAFF = "village_staff", "村/社区工作人员"
    GRID_WORKER = "grid_worker", "网格员"


# The kind of unit each role is held at.
ROLE_UNIT_KIND = {
    Role.COUNTY_VIEWER: OrgKind.COUNTY,
    Role.TOWNSHIP_ADMIN: OrgKind.TOWNSHIP,
    Role.TOWNSHIP_LEADER: OrgKind.TOWNSHIP,
    Role.DEPARTMENT_STAFF: OrgKind.TOWNSHIP,
    Role.VILLAGE_STAFF: OrgKind.VILLAGE,
    Role.GRID_WORKER: OrgKind.GRID,
}


class User(AbstractUser):
    """An account holding one role at one org unit (and, for office staff, one department).

    A person with two roles (a village cadre who is also a grid worker) has two accounts: every screen
    then answers to one scope, and the activity log says in which capacity a change was made.
    """

    display_name = models.CharField("姓名", max_length=32, blank=True)
    role = models.CharField("角色", max_length=32, choices=Role.choices, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name="所属单元",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    department = models.ForeignKey(
        Department,
        verbose_name="所属站所",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    phone = models.CharField("手机号", max_length=20, blank=True)

    objects = UserManager()
    scope = ScopeRule(org_field="org_unit")

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=Q(role="") | Q(org_unit__isnull=False), name="user_role_needs_org_unit"
            ),
            models.CheckConstraint(
                condition=~Q(role="department_staff") | Q(department__isnull=False),
                name="department_staff_needs_department",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    def may_use_admin_site(self) -> bool:
        """Township admins manage their tree, offices and accounts in the admin site."""
        return self.role == Role.TOWNSHIP_ADMIN or self.is_superuser

    def clean(self) -> None:
        super().clean()
        if not self.role:
            return
        if self.org_unit is None:
            raise ValidationError({"org_unit": "请为该角色选择所属单元。"})
        wanted = ROLE_UNIT_KIND[Role(self.role)]
        if self.org_unit.kind != wanted:
            raise ValidationError(
                {
                    "org_unit": f"{self.get_role_display()}应设在{OrgKind(wanted).label}一级,"
                    f"而不是{self.org_unit.get_kind_display()}。"
                }
            )
        if self.role == Role.DEPARTMENT_STAFF:
            if self.department is None:
                raise ValidationError({"department": "站所工作人员须选择所属站所。"})
            if self.department.township_id != self.org_unit.pk:
                raise ValidationError({"department": "所选站所不属于该乡镇。"})
        elif self.department is not None:
            raise ValidationError({"department": "只有站所工作人员需要选择站所。"})
