from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhenwu.org"
    label = "org"
    verbose_name = "组织机构与用户"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.OrgUnit)
        auditlog.register(models.Department)
        auditlog.register(models.User, exclude_fields=["password", "last_login"])

        from zhenwu.web import navigation

        navigation.register(navigation.NavItem("组织机构", "org:unit-list", order=90))
