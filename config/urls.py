from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from core.views import healthz

handler404 = "core.views.page_not_found"

admin.site.site_header = _("Saylau: election administration")
admin.site.site_title = "Saylau"
admin.site.index_title = _("Administration")

api_v1 = [
    path("", include("core.api.urls")),
    path("", include("commissions.api.urls")),
    path("", include("polling.api.urls")),
    # Badges before the observers' router: /observers/badge-jobs/ is not an observer's id.
    path("", include("observers.api.badge_urls")),
    path("", include("observers.api.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("observers/", include("observers.urls")),
    path("", include("commissions.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
