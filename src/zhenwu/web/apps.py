from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zhenwu.web"
    label = "web"
    verbose_name = "页面"

    def ready(self) -> None:
        from zhenwu.org import scope

        from . import navigation

        navigation.register(navigation.NavItem("首页", "web:home", order=0))
        navigation.register(
            navigation.NavItem(
                "驾驶舱", "web:dashboard", order=5, visible=lambda user: scope.scope_root(user) is not None
            )
        )
        navigation.register(navigation.NavItem("核数", "web:number-check", order=60))
        navigation.register(
            navigation.NavItem("管理后台", "admin:index", order=99, visible=lambda user: bool(user.is_staff))
        )
