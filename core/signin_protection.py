"""django-axes' app (sign-in protection, see settings' AUTH) as Saylau installs it.

Its own module: an apps.py with more than one AppConfig would leave Django to pick none of them
for the core app (and the core's ready() would not run).
"""

from axes.apps import AppConfig as DjangoAxesConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(DjangoAxesConfig):
    """django-axes (sign-in protection, see settings' AUTH), named in the admin in the reader's
    language: the library's own AppConfig has no verbose name, so the admin showed "Axes"."""

    verbose_name = _("Sign-in protection")
