"""The bare baseline: Django with nothing but one view doing one indexed look-up.

Served by gunicorn next to Saylau in the same run (bench/public_api.py), on the same table.
"""

import json
import os
from urllib.parse import unquote

import django
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.urls import path

if not settings.configured:
    import environ

    database = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    database["HOST"] = unquote(database["HOST"])
    settings.configure(
        DEBUG=False,
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        DATABASES={"default": {**database, "CONN_MAX_AGE": 60}},
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_TZ=True,
    )
    django.setup()


def station(request, pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, number, name_en FROM polling_pollingstation WHERE id = %s", [pk])
        row = cursor.fetchone()
    body = json.dumps({"id": row[0], "number": row[1], "name": row[2]}) if row else "{}"
    return HttpResponse(body, content_type="application/json")


urlpatterns = [path("station/<int:pk>", station)]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
