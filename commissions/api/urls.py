from rest_framework.routers import DefaultRouter

from . import views

app_name = "commissions-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("regions", views.RegionViewSet, basename="region")
router.register("elections", views.ElectionViewSet, basename="election")
router.register("parties", views.PartyViewSet, basename="party")
router.register("commissions", views.CommissionViewSet, basename="commission")

urlpatterns = router.urls
