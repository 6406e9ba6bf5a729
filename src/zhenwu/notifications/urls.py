from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.open_notification, name="open"),
    path("<int:pk>/attachment/", views.attachment, name="attachment"),
    path("read-all/", views.read_all, name="read-all"),
    path("settings/", views.choices, name="settings"),
    path("deliveries/", views.delivery_list, name="delivery-list"),
    path("deliveries/<int:pk>/resend/", views.delivery_resend, name="delivery-resend"),
]
