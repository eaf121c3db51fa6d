from django.urls import path
from rest_framework.routers import DefaultRouter

from . import badge_views, views

app_name = "observers-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("nominating-bodies", views.NominatingBodyViewSet, basename="nominatingbody")
# Before "observers": its ids are numbers, but a more specific prefix is clearer first.
router.register("observers/batches", views.NominationBatchViewSet, basename="nominationbatch")
router.register("observers", views.ObserverViewSet, basename="observer")

urlpatterns = [
    # Before the router's observers/{id}/: "stats" and "badge-jobs" are not observers' ids.
    path("observers/stats/", views.ObserverStatsView.as_view(), name="observer_stats"),
    path("observers/badge-jobs/", badge_views.BadgeJobCreateView.as_view(), name="badge_job"),
    path("observers/<int:pk>/badge/", badge_views.ObserverBadgeView.as_view(), name="badge"),
    *router.urls,
]
