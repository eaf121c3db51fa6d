from django.urls import path

from . import subscriptions, views

app_name = "polling"

urlpatterns = [
    path("", views.StationFinderView.as_view(), name="station_finder"),
    path("streets.json", views.StreetSuggestionsView.as_view(), name="street_suggestions"),
    path("stations/<int:pk>/", views.StationDetailView.as_view(), name="station_detail"),
    path(
        "stations/<int:pk>/open-now/", views.StationOpenNowView.as_view(), name="station_open_now"
    ),
    path("changed-hours/", views.ChangedHoursView.as_view(), name="changed_hours"),
    path("stations.csv", views.StationsDownloadView.as_view(), name="stations_csv"),
    path(
        "stations.xlsx",
        views.StationsDownloadView.as_view(extension="xlsx"),
        name="stations_xlsx",
    ),
    path(
        "stations.json",
        views.StationsDownloadView.as_view(extension="json"),
        name="stations_json",
    ),
    # Subscribing to a station's notices, confirming, unsubscribing (polling.subscriptions;
    # the SMS's short unsubscribe link is "u/<code>/").
    *subscriptions.urlpatterns,
]
