"""The site's URLs with the subscription pages in the polling namespace, for tests written
before the public pages include them in polling/urls.py (`polling.subscriptions.urlpatterns`):
the namespace here is the public pages' patterns and those, found first."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from config import urls as site
from polling import subscriptions

try:
    from polling import urls as public

    public_patterns = list(public.urlpatterns)
except ImportError:  # the public pages are not there
    public_patterns = []

urlpatterns = [
    *i18n_patterns(
        path("polling/", include(([*public_patterns, *subscriptions.urlpatterns], "polling"))),
        prefix_default_language=True,
    ),
    *site.urlpatterns,
]
