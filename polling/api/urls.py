from rest_framework.routers import DefaultRouter

from . import views

app_name = "polling-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("polling-stations", views.PollingStationViewSet, basename="pollingstation")
router.register(
    "voting-hours-decisions", views.VotingHoursDecisionViewSet, basename="votinghoursdecision"
)

urlpatterns = router.urls
