from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("", include("zhenwu.web.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("org/", include("zhenwu.org.urls")),
    path("indicators/", include("zhenwu.indicators.urls")),
    path("projects/", include("zhenwu.projects.urls")),
    path("activity/", include("zhenwu.activity.urls")),
    path("households/", include("zhenwu.households.urls")),
    path("cases/", include("zhenwu.cases.urls")),
    path("registers/", include("zhenwu.registers.urls")),
    path("reports/", include("zhenwu.reports.urls")),
    path("notifications/", include("zhenwu.notifications.urls")),
    path("todo/", include("zhenwu.notifications.todo_urls")),
    path("open311/v2/", include("zhenwu.cases.open311_urls")),
    path("openrosa/", include("zhenwu.registers.openrosa_urls")),
    path("api/v1/", include(("zhenwu.api_urls", "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("admin/", admin.site.urls),
]

handler400 = "zhenwu.web.security.bad_request"
handler403 = "zhenwu.web.security.permission_denied"
handler404 = "zhenwu.web.security.page_not_found"
handler500 = "zhenwu.web.security.server_error"
