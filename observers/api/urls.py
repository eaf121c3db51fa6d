from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "observers-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("nominating-bodies", views.NominatingBodyViewSet, basename="nominatingbody")
# Before "observers": its ids are numbers, but a more specific prefix is clearer first.
router.register("observers/batches", views.NominationBatchViewSet, basename="nominationbatch")
router.register("observers", views.ObserverViewSet, basename="observer")

urlpatterns = [
    # Before the router's observers/{id}/.
    path("observers/stats/", views.ObserverStatsView.as_view(), name="observer_stats"),
    *router.urls,
]
