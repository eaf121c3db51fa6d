from django.urls import path

from . import badge_views

app_name = "observers-badges-api"

urlpatterns = [
    path("observers/<int:pk>/badge/", badge_views.ObserverBadgeView.as_view(), name="badge"),
    path("observers/badge-jobs/", badge_views.BadgeJobCreateView.as_view(), name="badge_job"),
]
