"""The floor: the baseline's bare look-up served behind Saylau's own settings and middleware.

Served by gunicorn next to Saylau and the baseline in the same run (bench/public_api.py). Its
ratio to the baseline is the most any Saylau read that is not answered from the cache can reach:
the price of the request cycle every page and API call goes through (security headers, content
security policy, sessions, language, CSRF, authentication, audit and sign-in protection), with no
view work of Saylau's own.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "bench.floor_wsgi"
django.setup()

from django.urls import path  # noqa: E402

from bench.baseline_wsgi import station  # noqa: E402
from config.urls import urlpatterns as saylau  # noqa: E402

urlpatterns = [path("bench-floor/station/<int:pk>", station), *saylau]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
