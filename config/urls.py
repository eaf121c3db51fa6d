from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
)

from core.api.views import ApiDocsView, ApiIndexView
from core.frame import api_urlpatterns, app_urlpatterns
from core.views import HomeView, healthz

# JSON under /api/, the site's own pages elsewhere (core.api.exceptions.ApiErrorMiddleware
# answers JSON under /api/ with DEBUG on as well).
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

admin.site.site_header = _("Saylau: election administration")
admin.site.site_title = "Saylau"
admin.site.index_title = _("Administration")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # What the API has: each app's lists, the schema and its documentation.
    path("api/v1/", ApiIndexView.as_view(), name="api-index"),
    # Each app of settings.LOCAL_APPS with an api/urls.py (namespace "<app>-api").
    path("api/v1/", include(api_urlpatterns())),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    # The site's frame: the home page shows what each app contributes (core.frame).
    path("", HomeView.as_view(), name="home"),
    # Each app of settings.LOCAL_APPS with a urls.py (namespace "<app>"), at "<app>/".
    *app_urlpatterns(),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
