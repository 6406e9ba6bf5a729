from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "zhenwu.org"
    label = "org"
    verbose_name = "组织机构与用户"

    def ready(self) -> None:
        from zhenwu.activity.services import record_changes

        from . import auth, models  # noqa: F401 - auth renews its remembered tokens on every change

        # The path is the chain of parents written as codes: the log names the parent (上级) instead.
        record_changes(models.OrgUnit, exclude=["path"])
        record_changes(models.Department)
        record_changes(models.User, exclude=["password", "last_login"])

        from zhenwu.web import navigation

        navigation.register(navigation.NavItem("组织机构", "org:unit-list", order=90))
        navigation.register(
            navigation.NavItem("人员账号", "org:account-list", order=91, visible=_manages_accounts)
        )


def _manages_accounts(user: object) -> bool:
    from . import scope

    return bool(getattr(user, "is_authenticated", False)) and scope.is_township_admin(user)  # type: ignore[arg-type]
