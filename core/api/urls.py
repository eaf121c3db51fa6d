from rest_framework.routers import DefaultRouter

from . import jobs

app_name = "core-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("jobs", jobs.JobViewSet, basename="job")

urlpatterns = router.urls
