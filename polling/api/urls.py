from django.urls import path
from rest_framework.routers import DefaultRouter

from . import reports, views

app_name = "polling-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("polling-stations", views.PollingStationViewSet, basename="pollingstation")
router.register("streets", views.StreetViewSet, basename="street")
router.register(
    "voting-hours-decisions", views.VotingHoursDecisionViewSet, basename="votinghoursdecision"
)

urlpatterns = [
    path("voting-hours-reports/", reports.HoursReportCreateView.as_view(), name="hours_report"),
    *router.urls,
]
