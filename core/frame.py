"""The site's frame: what every page shares, and what each app adds to it.

An app takes part by declaring, on its AppConfig (the way it declares `role_permissions`):

- `nav_entries`: its public entries in the site's navigation, a tuple of `NavEntry` (label,
  URL name, order; `sections` are the URL namespaces whose pages the entry stands for, so the
  entry is marked current on them; `children` are the section's own pages, shown by the
  `{% section_nav %}` tag above them; `description` is the line on the home page's card);
- `home_sections`: what it shows on the home page, a tuple of `HomeSection` (a template and the
  dotted path of a function giving its context);
- `url_prefix`: where its web URLs (`<app>/urls.py`, namespace `<app>`) go under the language
  prefix; `"<app label>/"` unless it says otherwise.

Its API (`<app>/api/urls.py`, namespace `<app>-api`) goes under /api/v1/. Both are found for every
app in `settings.LOCAL_APPS`, the one list an app is added to (see `app_urlpatterns`).

The frame's own entries (home, API documentation, staff sign-in) are `FRAME_ENTRIES` below; the
home page is `core.views.HomeView`, the navigation `core/templatetags/frame.py`.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    """One link of the site's navigation.

    `label` and `description` are lazy translations; `url_name` is reversed in the page's
    language; `order` sorts entries across apps (lower first: the frame's home is 0, the API
    documentation 900, staff sign-in 1000); `sections` are URL namespaces (e.g. "observers")
    whose every page marks the entry current; `children` are the pages of that section, in order.
    """

    label: str | Promise
    url_name: str
    order: int = 500
    description: str | Promise = ""
    sections: tuple[str, ...] = ()
    children: tuple[NavEntry, ...] = ()

    def url(self) -> str:
        return reverse(self.url_name)

    def is_current(self, match) -> bool:
        """Whether the page resolved as `match` (a ResolverMatch, or None) is this entry's."""
        if match is None:
            return False
        return match.view_name == self.url_name or (
            bool(match.namespace) and match.namespace in self.sections
        )


@dataclass(frozen=True)
class HomeSection:
    """A block an app shows on the home page: `template` rendered with the page's context plus
    what `context` (dotted path of a function taking the request, returning a dict) gives."""

    template: str
    order: int = 500
    context: str = ""

    def context_for(self, request) -> dict:
        if not self.context:
            return {}
        function: Callable[..., dict] = import_string(self.context)
        return function(request)


@dataclass(frozen=True)
class RenderedSection:
    template: str
    context: dict = field(default_factory=dict)


FRAME_ENTRIES: tuple[NavEntry, ...] = (
    NavEntry(_("Home"), "home", order=0),
    NavEntry(_("API"), "api-docs", order=900),
    NavEntry(_("Staff sign-in"), "admin:index", order=1000),
)


def _app_configs() -> Iterable[AppConfig]:
    return apps.get_app_configs()


def app_entries() -> list[NavEntry]:
    """The installed apps' own entries (not the frame's), by order (INSTALLED_APPS order where
    orders are equal): the home page's cards."""
    entries = []
    for config in _app_configs():
        entries.extend(getattr(config, "nav_entries", ()))
    return sorted(entries, key=lambda entry: entry.order)


def nav_entries() -> list[NavEntry]:
    """Every entry of the site's navigation, the frame's and the apps', by order."""
    return sorted([*FRAME_ENTRIES, *app_entries()], key=lambda entry: entry.order)


def current_entry(match) -> NavEntry | None:
    """The app entry whose section the page resolved as `match` belongs to, if any."""
    for entry in app_entries():
        if entry.is_current(match):
            return entry
    return None


def home_sections(request) -> list[RenderedSection]:
    """What the apps show on the home page, by order, each with its context for `request`."""
    sections = []
    for config in _app_configs():
        sections.extend(getattr(config, "home_sections", ()))
    return [
        RenderedSection(section.template, section.context_for(request))
        for section in sorted(sections, key=lambda section: section.order)
    ]


# URLS


def local_app_configs() -> list[AppConfig]:
    """The project's own apps, in the order of settings.LOCAL_APPS."""
    by_name = {config.name: config for config in apps.get_app_configs()}
    return [by_name[name] for name in settings.LOCAL_APPS]


def _urls_module(config: AppConfig, module: str, namespace: str):
    dotted = f"{config.name}.{module}"
    try:
        found = importlib.util.find_spec(dotted) is not None
    except ModuleNotFoundError:  # no `api` package at all
        found = False
    if not found:
        return None
    urls = importlib.import_module(dotted)
    if getattr(urls, "app_name", None) != namespace:
        raise ImproperlyConfigured(
            f'{dotted} must set app_name = "{namespace}" (the app\'s URL namespace).'
        )
    return urls


def app_urlpatterns() -> list[URLResolver]:
    """Each local app's web URLs (`<app>/urls.py`, namespace `<app>`) at its `url_prefix`
    (`"<app label>/"` by default), in LOCAL_APPS order. For `i18n_patterns`."""
    patterns = []
    for config in local_app_configs():
        urls = _urls_module(config, "urls", config.label)
        if urls is not None:
            prefix = getattr(config, "url_prefix", f"{config.label}/")
            patterns.append(path(prefix, include(urls)))
    return patterns


def api_urlpatterns() -> list[URLResolver | URLPattern]:
    """Each local app's API (`<app>/api/urls.py`, namespace `<app>-api`), all under one prefix,
    in LOCAL_APPS order (earlier apps' paths match first)."""
    patterns = []
    for config in local_app_configs():
        urls = _urls_module(config, "api.urls", f"{config.label}-api")
        if urls is not None:
            patterns.append(path("", include(urls)))
    return patterns


def language_neutral_path(viewname: str, *, kwargs: dict | None = None) -> str:
    """The path of a page of the site without its language prefix ("/observers/verify/x/", not
    "/kk/observers/verify/x/"), for an address printed or sent to people whose language is not
    known (a badge's QR code): the site's LocaleMiddleware sends a request for it to the page in
    the reader's own language (their language cookie, else their browser's Accept-Language).
    NoReverseMatch as `reverse` raises it."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(viewname, kwargs=kwargs)
    prefix = f"/{settings.LANGUAGE_CODE}/"
    return "/" + path.removeprefix(prefix) if path.startswith(prefix) else path
