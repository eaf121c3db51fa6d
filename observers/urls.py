from django.urls import path

from . import views

app_name = "observers"

urlpatterns = [
    path("", views.ObserverListView.as_view(), name="observer_list"),
    path("revoked/", views.RevokedListView.as_view(), name="revoked_list"),
    path("observers.csv", views.PublicListDownloadView.as_view(), name="observer_list_csv"),
    path(
        "observers.xlsx",
        views.PublicListDownloadView.as_view(extension="xlsx"),
        name="observer_list_xlsx",
    ),
    path(
        "revoked.csv",
        views.PublicListDownloadView.as_view(revoked=True),
        name="revoked_list_csv",
    ),
    path(
        "revoked.xlsx",
        views.PublicListDownloadView.as_view(revoked=True, extension="xlsx"),
        name="revoked_list_xlsx",
    ),
    path("stats/", views.ObserverStatsView.as_view(), name="stats"),
    path("stats.csv", views.ObserverStatsCsvView.as_view(), name="stats_csv"),
    path("stats.xlsx", views.ObserverStatsXlsxView.as_view(), name="stats_xlsx"),
    path("stats.json", views.ObserverStatsJsonView.as_view(), name="stats_json"),
    path("verify/<str:code>/", views.ObserverVerificationView.as_view(), name="verify"),
]
