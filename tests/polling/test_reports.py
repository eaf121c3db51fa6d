"""The non-standard voting hours report: its PDF's text in each language, its CSV, who may ask
for which, one job for the same report, and the admin's and the API's ways to it."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from commissions.choices import MemberRole
from core.choices import JobStatus, Role, TokenScope
from core.jobs import run
from core.models import Job
from polling.reports import HOURS_REPORT_JOB, hours_report_job, hours_report_submit
from tests.celery import real_worker, wait_until
from tests.commissions.factories import CecFactory, CommissionMemberFactory, RegionFactory
from tests.core.factories import AgencyFactory, StaffUserFactory, make_token
from tests.polling.factories import PollingStationFactory
from tests.polling.hours import election_2023, published, staff, station_abroad

pytestmark = pytest.mark.django_db

REPORTS_URL = "/api/v1/voting-hours-reports/"


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def cec_staff():
    user = StaffUserFactory(role=Role.CEC_STAFF)
    CommissionMemberFactory(commission=CecFactory(), user=user, role=MemberRole.STAFF)
    return user


def reports():
    """Report jobs (publishing a decision makes a notices job too: polling.informing)."""
    return Job.objects.filter(kind=HOURS_REPORT_JOB)


def made(job) -> bytes:
    result = hours_report_job(job, lambda done: None)
    try:
        return result.read()
    finally:
        result.close()


@pytest.fixture
def country():
    """Two regions in the two 2023 zones: an early opening at home and one abroad under the
    first, an early closing under the second; a third station with the usual hours."""
    election = election_2023()
    astana = RegionFactory(code="astana", name="Astana", name_kk="Астана", timezone="Asia/Almaty")
    aktobe = RegionFactory(
        code="aktobe", name="Aktobe region", name_kk="Ақтөбе облысы", timezone="Asia/Aqtobe"
    )
    camp = PollingStationFactory(
        precinct_commission__parent__region=astana, number=101, name="Shift camp"
    )
    abroad = station_abroad("America/New_York", "US", home=astana, number=9001, name="New York")
    plain = PollingStationFactory(
        precinct_commission__parent__region=astana, number=102, name="School 7"
    )
    hospital = PollingStationFactory(
        precinct_commission__parent__region=aktobe,
        number=201,
        name="Hospital",
        special_kind="hospital",
    )
    published(camp, election, number="12/45", opens_at=datetime.time(6, 0))
    published(abroad, election, number="12/46", opens_at=datetime.time(6, 30))
    published(
        hospital,
        election,
        number="3/9",
        opens_at=None,
        closes_at=datetime.time(18, 0),
        early_closing_allowed=True,
        reason_kind="hospital",
    )
    return {"election": election, "astana": astana, "aktobe": aktobe, "plain": plain}


def test_the_pdf_counts_by_region_and_lists_each_station_in_english(country):
    job = hours_report_submit(actor=None, election=country["election"], language="en")
    text = pdf_text(made(job))
    assert "Non-standard voting hours" in text
    assert "Usual voting hours: 07:00–20:00" in text
    assert "3 stations vote at other hours." in text
    assert "Astana" in text and "Aktobe region" in text
    assert "Shift camp" in text and "06:00" in text
    assert "New York" in text and "America/New_York" in text and "06:30" in text
    assert "Hospital" in text and "18:00 *" in text
    assert "No. 12/45" in text
    assert "School 7" not in text  # the usual hours: not listed


def test_the_pdf_groups_stations_abroad_apart_with_each_zones_utc_offset(country):
    job = hours_report_submit(actor=None, election=country["election"], language="en")
    text = " ".join(pdf_text(made(job)).split())  # a cell's lines wrapped or not
    summary, _listing = text.split("Total", 1)
    # Astana: two stations at home, one changed; abroad: one station, changed.
    assert "Astana 2 1 1 0 0 0" in summary
    assert "Abroad 1 1 1 0 0 0" in summary
    assert "America/New_York (UTC\u221204:00)" in text  # election day 2023-03-19: summer time
    assert "Asia/Almaty (UTC+06:00)" in text and "Asia/Aqtobe (UTC+05:00)" in text


@pytest.mark.parametrize(("language", "abroad"), [("kk", "Шетелде"), ("ru", "За рубежом")])
def test_the_abroad_group_is_named_in_the_reports_language(country, language, abroad):
    job = hours_report_submit(
        actor=None, election=country["election"], format="csv", language=language
    )
    rows = list(csv.reader(io.StringIO(made(job).decode("utf-8").lstrip("\ufeff"))))
    assert [row[0] for row in rows[1:] if row[1] == "9001"] == [abroad]


def test_the_pdf_reads_in_kazakh_with_kazakh_letters(country):
    job = hours_report_submit(actor=None, election=country["election"], language="kk")
    text = pdf_text(made(job))
    assert "Ақтөбе облысы" in text  # the region's Kazakh name, its letters drawn
    assert "Барлығы" in text  # "Total", from the catalog: the labels are the job's language


def test_the_csv_has_a_row_per_station_with_its_hours(country):
    job = hours_report_submit(actor=None, election=country["election"], format="csv", language="en")
    content = made(job).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows[0][:8] == [
        "Region",
        "Station number",
        "Station",
        "Abroad",
        "Time zone",
        "UTC offset",
        "Voting opens",
        "Voting closes",
    ]
    by_number = {row[1]: row for row in rows[1:]}
    assert set(by_number) == {"101", "9001", "201"}
    assert by_number["201"][4:9] == ["Asia/Aqtobe", "UTC+05:00", "07:00", "18:00", "yes"]
    assert by_number["9001"][0] == "Abroad"  # not Astana, whose commission runs it
    assert by_number["9001"][3:8] == ["yes", "America/New_York", "UTC-04:00", "06:30", "20:00"]
    assert by_number["101"][0] == "Astana"
    assert by_number["101"][9] == "12/45"


def test_territorial_staff_get_their_region_only(country):
    commission = country["aktobe"].commissions.filter(level="territorial").first()
    user = staff(commission)
    job = hours_report_submit(actor=user, election=country["election"], format="csv")
    assert job.params["region"] == country["aktobe"].pk
    numbers = [row.split(",")[1] for row in made(job).decode().splitlines()[1:]]
    assert numbers == ["201"]


def test_a_precinct_member_is_refused(country):
    user = StaffUserFactory(role=Role.PRECINCT_MEMBER)
    with pytest.raises(PermissionDenied):
        hours_report_submit(actor=user, election=country["election"])


def test_the_same_report_asked_twice_is_one_job_and_a_new_decision_makes_another(country):
    first = hours_report_submit(actor=None, election=country["election"], language="en")
    again = hours_report_submit(actor=None, election=country["election"], language="en")
    assert again.pk == first.pk and first.status == JobStatus.QUEUED
    assert reports().count() == 1
    published(country["plain"], country["election"], number="12/50")
    newer = hours_report_submit(actor=None, election=country["election"], language="en")
    assert newer.pk != first.pk


def test_a_regions_rows_take_the_same_queries_for_one_station_or_many(
    country, django_assert_num_queries
):
    from polling.reports import region_hours

    with django_assert_num_queries(4):
        row = region_hours(country["election"], country["astana"])
        names = {item.decision.commission.name for item in row.stations}  # no more queries
    assert [item.station.number for item in row.stations] == [101]  # not the one abroad
    assert row.total == 2
    assert names == {"Territorial commission of Astana"}


def test_the_stations_abroad_take_the_same_queries_and_a_regions_report_has_its_own(
    country, django_assert_num_queries
):
    from polling.reports import abroad_hours

    with django_assert_num_queries(4):
        row = abroad_hours(country["election"])
        zones = {item.decision.commission.region.zone for item in row.stations}  # no queries
    assert [item.station.number for item in row.stations] == [9001]
    assert row.region is None and row.name == "Abroad" and zones
    assert abroad_hours(country["election"], region_id=country["astana"].pk).total == 1
    assert abroad_hours(country["election"], region_id=country["aktobe"].pk).total == 0


def test_the_job_reports_progress_region_by_region(country):
    job = hours_report_submit(actor=None, election=country["election"], language="en")
    calls = []
    hours_report_job(job, calls.append).close()
    assert calls == list(range(1, job.total + 1))
    assert job.total >= 2


# THE API AND THE ADMIN


def test_staff_start_the_report_through_the_api_and_get_the_same_job_again(api_client, country):
    api_client.force_login(cec_staff())
    data = {"election": country["election"].pk, "format": "csv", "language": "ru"}
    first = api_client.post(REPORTS_URL, data, format="json")
    assert first.status_code == 202, first.content
    assert first["Location"].endswith(f"/api/v1/jobs/{first.json()['id']}/")
    again = api_client.post(REPORTS_URL, data, format="json")
    assert again.json()["id"] == first.json()["id"]


def test_the_api_refuses_anonymous_and_agency_tokens(api_client, country):
    data = {"election": country["election"].pk}
    assert api_client.post(REPORTS_URL, data, format="json").status_code in (401, 403)
    _token, key = make_token(AgencyFactory(), [TokenScope.READ_ALL])
    response = api_client.post(REPORTS_URL, data, format="json", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 403
    assert not reports().exists()


def test_the_admin_button_opens_the_form_that_starts_the_job(client, country):
    client.force_login(cec_staff())
    listing = client.get("/en/admin/polling/votinghoursdecision/")
    assert "/en/admin/polling/votinghoursdecision/report/" in listing.content.decode()
    response = client.post(
        "/en/admin/polling/votinghoursdecision/report/",
        {"election": country["election"].pk, "format": "pdf", "language": "kk"},
    )
    job = reports().get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/admin/core/job/{job.pk}/change/"
    assert job.params == {
        "election": country["election"].pk,
        "region": None,
        "format": "pdf",
        "language": "kk",
    }


@pytest.mark.django_db(transaction=True)
def test_a_worker_makes_the_report_and_staff_download_it(celery_app, api_client, country):
    api_client.force_login(cec_staff())
    with real_worker():
        response = api_client.post(
            REPORTS_URL,
            {"election": country["election"].pk, "format": "pdf", "language": "ru"},
            format="json",
        )
        assert response.status_code == 202

        def finished():
            job = api_client.get(response["Location"]).json()
            return job if job["status"] in ("done", "failed") else None

        job = wait_until(finished, timeout=60.0)
    assert job["status"] == "done", job["error"]
    assert job["progress"] == 100
    download = api_client.get(job["download"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(download.streaming_content))
    assert "Shift camp" in text or "New York" in text
    assert run(job["id"]).status == JobStatus.DONE  # run again: left alone


@pytest.mark.django_db
def test_the_regions_follow_the_alphabet_of_the_reports_language():
    """Kazakh: Ақмола before Атырау (Қ right after К), Қарағанды after Жетісу; the cities of
    republican significance first."""
    from django.utils import translation

    from commissions.choices import RegionKind
    from commissions.models import Region
    from polling.reports import report_regions
    from tests.commissions.factories import ElectionFactory

    Region.objects.all().delete()
    names = [
        ("Атырау облысы", "Атырауская область"),
        ("Қарағанды облысы", "Карагандинская область"),
        ("Ақмола облысы", "Акмолинская область"),
        ("Жетісу облысы", "Жетысуская область"),
    ]
    for kk, ru in names:
        RegionFactory(name_kk=kk, name_ru=ru, name_en=ru)
    RegionFactory(name_kk="Шымкент", name_ru="Шымкент", name_en="Shymkent", kind=RegionKind.CITY)
    election = ElectionFactory()
    with translation.override("kk"):
        assert [r.name for r in report_regions(election)] == [
            "Шымкент",
            "Ақмола облысы",
            "Атырау облысы",
            "Жетісу облысы",
            "Қарағанды облысы",
        ]
    with translation.override("ru"):
        assert [r.name for r in report_regions(election)][1:] == [
            "Акмолинская область",
            "Атырауская область",
            "Жетысуская область",
            "Карагандинская область",
        ]
