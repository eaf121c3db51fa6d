from django.urls import path

from . import views

app_name = "observers"

urlpatterns = [
    path("", views.ObserverListView.as_view(), name="observer_list"),
    path("revoked/", views.RevokedListView.as_view(), name="revoked_list"),
    path("stats/", views.ObserverStatsView.as_view(), name="stats"),
    path("stats.csv", views.ObserverStatsCsvView.as_view(), name="stats_csv"),
    path("stats.xlsx", views.ObserverStatsXlsxView.as_view(), name="stats_xlsx"),
    path("stats.json", views.ObserverStatsJsonView.as_view(), name="stats_json"),
    path("verify/<str:code>/", views.ObserverVerificationView.as_view(), name="verify"),
]
