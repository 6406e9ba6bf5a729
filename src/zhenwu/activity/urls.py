from django.urls import path

from . import views

app_name = "activity"
urlpatterns = [
    path("", views.entry_list, name="entry-list"),
    path("<int:pk>/", views.entry_detail, name="entry-detail"),
]
