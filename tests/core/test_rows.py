"""Single-row reads with SQL compiled once (core.rows) give what the ORM gives, in one query."""

import pytest
from django.db.models import Count, Prefetch
from django.urls import URLPattern, get_resolver
from django.utils import translation

from commissions.models import Commission, CommissionMember, Region
from core.api.viewsets import RestrictedViewSetMixin
from core.rows import RowReader
from polling.models import PollingStation
from tests.commissions.factories import CommissionMemberFactory, RegionFactory
from tests.permissions import world  # noqa: F401  (fixture)
from tests.polling.factories import PollingStationFactory

pytestmark = pytest.mark.django_db


def test_reads_the_row_the_orm_reads_with_its_related_rows(django_assert_num_queries):
    station = PollingStationFactory()
    reader = RowReader.compile(PollingStation.objects.select_related("region"))
    with django_assert_num_queries(1):
        got = reader.get(str(station.pk))
        assert got.region.timezone == station.region.timezone  # populated, no second query
    expected = PollingStation.objects.select_related("region").get(pk=station.pk)
    assert got == expected
    assert {f.attname: getattr(got, f.attname) for f in PollingStation._meta.concrete_fields} == {
        f.attname: getattr(expected, f.attname) for f in PollingStation._meta.concrete_fields
    }
    assert got._state.adding is False and got._state.db == "default"


def test_keys_that_are_no_row_or_no_number_read_nothing():
    PollingStationFactory()
    reader = RowReader.compile(PollingStation.objects.all())
    for key in ("0", "-1", "abc", "", "1.5", "9" * 30, "١٢"):
        assert reader.get(key) is None, key


def test_the_querysets_own_filter_still_applies():
    inside, outside = PollingStationFactory(), PollingStationFactory()
    reader = RowReader.compile(PollingStation.objects.filter(region=inside.region))
    assert reader.get(inside.pk) == inside
    assert reader.get(outside.pk) is None


def test_annotations_and_prefetches_come_with_the_row(django_assert_num_queries):
    member = CommissionMemberFactory()
    queryset = Commission.objects.annotate(people=Count("members")).prefetch_related(
        Prefetch("members", queryset=CommissionMember.objects.all(), to_attr="listed")
    )
    reader = RowReader.compile(queryset)
    with django_assert_num_queries(2):
        got = reader.get(member.commission_id)
        assert got.people == 1
        assert got.listed == [member]


def test_querysets_it_cannot_read_faithfully_are_left_to_the_orm():
    assert RowReader.compile(Region.objects.values("pk")) is None
    assert RowReader.compile(Region.objects.none()) is None
    assert RowReader.compile(Region.objects.all(), "code") is None  # not a numeric key
    assert RowReader.compile(Region.objects.union(Region.objects.all())) is None


def test_each_language_compiles_its_own_reader_for_the_api(api_client, settings):
    region = RegionFactory(name_kk="Астана қаласы", name_ru="город Астана", name_en="Astana")
    names = {}
    for language in ("kk", "ru", "en"):
        response = api_client.get(f"/api/v1/regions/{region.pk}/", HTTP_ACCEPT_LANGUAGE=language)
        names[language] = response.json()["name"]
    assert names == {"kk": "Астана қаласы", "ru": "город Астана", "en": "Astana"}


def _public_detail_urls():
    """Every public API route with a retrieve action: (view class, URL pattern name)."""
    found = []

    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLPattern):
                cls = getattr(entry.callback, "cls", None)
                actions = getattr(entry.callback, "actions", {}) or {}
                if (
                    cls
                    and issubclass(cls, RestrictedViewSetMixin)
                    and getattr(cls, "public", False)
                    and actions.get("get") == "retrieve"
                ):
                    found.append((cls, prefix + str(entry.pattern)))
            else:
                walk(entry, prefix + str(entry.pattern))

    walk(get_resolver())
    return found


@pytest.mark.usefixtures("world")
def test_every_public_detail_answers_the_same_with_and_without_the_reader(api_client):
    """For each public single-row endpoint, some of its rows in the permission tests' world and a
    row that does not exist: the compiled reader answers byte for byte what the ORM path does."""
    details = _public_detail_urls()
    assert {cls.__name__ for cls, _ in details} >= {
        "PollingStationViewSet",
        "RegionViewSet",
        "CommissionViewSet",
        "NominatingBodyViewSet",
    }
    for cls, pattern in details:
        model = cls.queryset.model
        keys = [str(pk) for pk in model.objects.values_list("pk", flat=True)[:5]] + ["999999"]
        base = "/" + pattern.split("(?P<")[0].lstrip("^").replace("^", "")
        for key in keys:
            url = f"{base}{key}/"
            with translation.override("en"):
                fast = api_client.get(url)
                cls.row_reads = False
                try:
                    slow = api_client.get(url)
                finally:
                    del cls.row_reads
            assert (fast.status_code, fast.content) == (slow.status_code, slow.content), url


def test_signed_in_users_and_tokens_read_through_the_orm(admin_client, monkeypatch):
    station = PollingStationFactory()
    used = []
    original = RowReader.get
    monkeypatch.setattr(RowReader, "get", lambda self, key: used.append(key) or original(self, key))
    assert admin_client.get(f"/api/v1/polling-stations/{station.pk}/").status_code == 200
    assert used == []
