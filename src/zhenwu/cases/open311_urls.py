"""Open311 GeoReport v2: every resource as `.xml` and `.json` (the format is the view's `fmt`)."""

from django.urls import re_path

from . import open311

FORMAT = r"\.(?P<fmt>xml|json)$"

app_name = "open311"
urlpatterns = [
    re_path(rf"^discovery{FORMAT}", open311.discovery, name="discovery"),
    re_path(rf"^services{FORMAT}", open311.service_list, name="service-list"),
    re_path(rf"^services/(?P<code>[^/]+?){FORMAT}", open311.service_definition, name="service-definition"),
    re_path(rf"^requests{FORMAT}", open311.requests_view, name="request-list"),
    # Any text as the id: the view answers what is not an id with the standard's 404, not Django's page.
    re_path(rf"^requests/(?P<pk>[^/]+?){FORMAT}", open311.request_detail, name="request-detail"),
    re_path(rf"^tokens/(?P<token>[^/]+?){FORMAT}", open311.token, name="token"),
    re_path(r"^(?P<rest>.*)$", open311.not_found, name="not-found"),
]
