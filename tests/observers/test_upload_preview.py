"""The desk's upload in two steps: "Upload and check" previews what would be saved (nothing is
saved; the file is kept server-side), "Save" saves exactly that, once."""

import csv
import datetime
import hashlib
import io
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissions.choices import MemberRole
from commissions.models import Election
from core.choices import Role
from core.models import Notification
from observers import imports, services
from observers.admin_forms import NO_ELECTION_OPEN
from observers.models import NominationBatch, Observer
from tests.commissions.factories import (
    CecFactory,
    CommissionMemberFactory,
    TerritorialCommissionFactory,
)
from tests.concurrency import in_threads
from tests.core.factories import StaffUserFactory, UserFactory
from tests.observers.factories import (
    ObserverFactory,
    OpenElectionFactory,
    OrganizationBodyFactory,
    person,
)

pytestmark = pytest.mark.django_db

UPLOAD = "admin:observers_observer_upload"
CASES = Path(__file__).resolve().parent.parent / "data" / "spreadsheets"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def cec_staff_user():
    user = StaffUserFactory(role=Role.CEC_STAFF, is_staff=True)
    CommissionMemberFactory(commission=CecFactory(), user=user, role=MemberRole.STAFF)
    return user


@pytest.fixture(params=["superuser", "cec_staff"])
def desk_user(request):
    if request.param == "superuser":
        return StaffUserFactory(is_superuser=True)
    return cec_staff_user()


@pytest.fixture
def desk(client, desk_user):
    client.force_login(desk_user)
    return client


@pytest.fixture
def election():
    return OpenElectionFactory()


@pytest.fixture
def mission():
    return OrganizationBodyFactory(name="CIS Observer Mission")


def csv_upload(rows, name="mission.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(imports.COLUMNS)
    for values in rows:
        writer.writerow([values[c] for c in imports.COLUMNS])
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def check(client, election, body, file, **extra):
    """ "Upload and check"."""
    return client.post(
        reverse(UPLOAD), {"election": election.pk, "body": body.pk, "file": file, **extra}
    )


def save(client, preview, **overrides):
    kept = preview.context["kept"]
    data = {"token": kept.token, "digest": kept.digest, "save": "1", **overrides}
    return client.post(reverse(UPLOAD), data)


def shown_messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def counts() -> dict[str, int]:
    return {
        "observers": Observer.objects.count(),
        "batches": NominationBatch.objects.count(),
        "outbox": Notification.objects.count(),
        "audit": LogEntry.objects.count(),
    }


def batch_url(batch) -> str:
    return reverse("admin:observers_nominationbatch_change", args=[batch.pk])


# CHECKING


def test_checking_a_file_saves_nothing(desk, election, mission):
    before = counts()

    response = check(desk, election, mission, csv_upload([person(n) for n in range(12)]))

    assert response.status_code == 200
    assert response.context["preview"].size == 12
    assert counts() == before


def test_the_preview_runs_the_service_and_leaves_no_on_commit_callback(
    election, mission, django_capture_on_commit_callbacks
):
    actor = cec_staff_user()
    nominations = imports.read_nominations(csv_upload([person(n) for n in range(3)]))
    before = counts()

    with django_capture_on_commit_callbacks() as callbacks:
        preview = imports.nominations_preview(
            actor=actor, election=election, body=mission, nominations=nominations
        )

    assert callbacks == []
    assert [row.row for row in preview.rows] == [2, 3, 4]
    assert counts() == before


def test_the_preview_shows_the_batch_and_masks_document_numbers(desk, election, mission):
    rows = [person(n, document_number=f"N 0{4410 + n}77") for n in range(3)]

    response = check(desk, election, mission, csv_upload(rows), reference="Note 17/2026")

    page = response.content.decode()
    assert 'id="upload-preview-rows"' in page
    assert "3 nominees will be saved" in page
    assert 'value="Save 3 nominees"' in page
    assert str(mission) in page and str(election) in page
    assert "Note 17/2026" in page
    assert "Smitha" in page and "Смита" in page
    for n in range(3):
        assert f"N0{4410 + n}77" not in page  # the stored (normalised) number
        assert f"0{4410 + n}" not in page  # no part of it but its tail
        assert page.count(f"••••{n}77") == 1
    assert 'id="upload-errors"' not in page


def test_masked_document_numbers_keep_only_their_last_three_characters():
    assert imports.masked("N0441077") == "••••077"
    assert imports.masked("AB123") == "••••"  # a short number shows nothing


# SAVING


def test_saving_stores_the_previewed_rows_and_opens_the_batch(desk, desk_user, election, mission):
    rows = [person(n) for n in range(5)]
    preview = check(desk, election, mission, csv_upload(rows), reference="N-5")

    response = save(desk, preview)

    batch = NominationBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == batch_url(batch)
    assert "5 nominees saved in one batch." in shown_messages(response)
    assert (batch.size, batch.reference, batch.submitted_by) == (5, "N-5", desk_user)
    saved = list(batch.observers.order_by("pk"))
    assert [o.last_name_latin for o in saved] == [
        r.last_name_latin for r in preview.context["preview"].rows
    ]
    assert [o.document_number for o in saved] == [row["document_number"] for row in rows]


def test_an_upload_without_a_reference_is_given_one(desk, election, mission):
    preview = check(desk, election, mission, csv_upload([person(1)]))
    reference = preview.context["kept"].reference

    save(desk, preview)

    assert reference.startswith("upload-")
    assert NominationBatch.objects.get().reference == reference


def test_saving_twice_makes_one_batch(desk, election, mission):
    preview = check(desk, election, mission, csv_upload([person(n) for n in range(4)]))

    first = save(desk, preview)
    second = save(desk, preview)

    batch = NominationBatch.objects.get()
    assert first["Location"] == second["Location"] == batch_url(batch)
    assert Observer.objects.count() == 4
    assert any("already submitted" in m for m in shown_messages(second))


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_instant_make_one_batch(election, mission):
    """A double click: both requests hold the kept file; the second waits for the first (an
    advisory lock on the token), then the service returns the batch saved under the preview's
    reference."""
    desk_user = StaffUserFactory(is_superuser=True)
    first = Client()
    first.force_login(desk_user)
    preview = check(first, election, mission, csv_upload([person(n) for n in range(20)]))
    responses = []

    def click():
        client = Client()
        client.force_login(desk_user)
        responses.append(save(client, preview))

    assert in_threads(click, [(), ()]) == [None, None]

    batch = NominationBatch.objects.get()
    assert [r.status_code for r in responses] == [302, 302]
    assert {r["Location"] for r in responses} == {batch_url(batch)}
    assert Observer.objects.count() == 20


def test_saving_again_after_the_kept_file_is_gone_still_makes_one_batch(desk, election, mission):
    """The preview's reference makes the service return the first batch (a second request that
    raced the first one to the kept file)."""
    preview = check(desk, election, mission, csv_upload([person(n) for n in range(4)]))
    kept = preview.context["kept"]
    save(desk, preview)
    imports._store(kept)  # the kept file as it was before the first saving

    second = save(desk, preview)

    assert NominationBatch.objects.count() == 1
    assert second["Location"] == batch_url(NominationBatch.objects.get())


def test_a_saved_upload_keeps_no_personal_data_in_the_cache(desk, election, mission):
    preview = check(desk, election, mission, csv_upload([person(1)]))
    kept = preview.context["kept"]

    save(desk, preview)

    stored = cache.get(imports.PREVIEW_KEY.format(token=kept.token))
    assert stored["content"] == b"" and stored["batch_id"] == NominationBatch.objects.get().pk


def test_cancelling_drops_the_kept_file_and_saves_nothing(desk, election, mission):
    preview = check(desk, election, mission, csv_upload([person(1)]))

    cancelled = save(desk, preview, save="", cancel="1")
    again = save(desk, preview)

    assert cancelled["Location"] == reverse(UPLOAD)
    assert "Nothing was saved." in shown_messages(cancelled)
    assert str(imports.UPLOAD_NOT_KEPT) in shown_messages(again)
    assert not NominationBatch.objects.exists()


# REFUSED TOKENS


def assert_refused(response):
    assert response.status_code == 200
    assert str(imports.UPLOAD_NOT_KEPT) in shown_messages(response)
    assert response.context["preview"] is None
    assert 'name="file"' in response.content.decode()  # the upload form again
    assert not NominationBatch.objects.exists()
    assert not Observer.objects.exists()


def test_an_expired_check_is_refused_with_a_message(desk, election, mission):
    preview = check(desk, election, mission, csv_upload([person(1)]))
    cache.delete(imports.PREVIEW_KEY.format(token=preview.context["kept"].token))

    assert_refused(save(desk, preview))


def test_another_users_check_is_refused(client, desk, election, mission):
    preview = check(desk, election, mission, csv_upload([person(1)]))
    other = StaffUserFactory(is_superuser=True)
    client.force_login(other)

    assert_refused(save(client, preview))


@pytest.mark.parametrize(
    "tampered",
    [
        {"digest": "0" * 64},
        {"digest": "é" * 64},
        {"digest": ""},
        {"token": "not-a-token"},
        {"token": "A" * 32},
    ],
)
def test_an_altered_check_is_refused(desk, election, mission, tampered):
    preview = check(desk, election, mission, csv_upload([person(1)]))

    assert_refused(save(desk, preview, **tampered))


def test_territorial_staff_may_not_save_a_check(client, desk, election, mission):
    preview = check(desk, election, mission, csv_upload([person(1)]))
    territorial = UserFactory(role=Role.TERRITORIAL_STAFF, is_staff=True)
    CommissionMemberFactory(
        commission=TerritorialCommissionFactory(), user=territorial, role=MemberRole.STAFF
    )
    client.force_login(territorial)

    assert save(client, preview).status_code == 403
    assert not NominationBatch.objects.exists()


# THE STATE CHANGED BETWEEN THE CHECK AND THE SAVING


def test_a_person_nominated_meanwhile_is_reported_and_nothing_is_saved(desk, election, mission):
    preview = check(desk, election, mission, csv_upload([person(n) for n in range(3)]))
    ObserverFactory(election=election, **person(1))  # row 3's person, by another desk

    response = save(desk, preview)

    assert response.status_code == 200
    assert {(e.row, e.column) for e in response.context["errors"]} == {(3, "document_number")}
    page = response.content.decode()
    assert 'id="upload-errors"' in page and 'value="Save' not in page
    assert Observer.objects.count() == 1
    assert not NominationBatch.objects.exists()
    assert str(imports.UPLOAD_NOT_KEPT) in shown_messages(save(desk, preview))


def test_a_deadline_passed_meanwhile_is_reported_and_nothing_is_saved(desk, election, mission):
    preview = check(desk, election, mission, csv_upload([person(1)]))
    Election.objects.filter(pk=election.pk).update(
        election_day=timezone.localdate() + datetime.timedelta(days=2)
    )

    response = save(desk, preview)

    (error,) = response.context["errors"]
    assert error.row is None and "closed" in error.message
    assert not NominationBatch.objects.exists()


# INVALID FILES


def test_an_invalid_file_shows_its_errors_and_no_save_button(desk, election, mission):
    before = counts()

    response = check(desk, election, mission, csv_upload([person(1), person(2, citizenship="ZZ")]))

    page = response.content.decode()
    assert response.status_code == 200
    assert {(e.row, e.column) for e in response.context["errors"]} == {(3, "citizenship")}
    assert 'id="upload-errors"' in page
    assert 'value="Save' not in page and 'name="token"' not in page
    assert counts() == before


def test_a_reference_already_used_opens_its_batch_and_saves_nothing_new(desk, election, mission):
    services.nomination_batch_submit(
        actor=None, election=election, body=mission, rows=[person(9)], reference="N-1"
    )

    response = check(desk, election, mission, csv_upload([person(1)]), reference="N-1")

    assert response["Location"] == batch_url(NominationBatch.objects.get())
    assert Observer.objects.count() == 1


# THE REAL-WORLD CASES (tests/data/spreadsheets, their results in the cases' README)


def case(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (CASES / name).read_bytes())


@pytest.mark.parametrize(
    ("name", "latin_names"),
    [
        ("t03_excel_unicode_text_utf16_tab.txt.csv", {"Şahin Gökçe", "Abilkassymov Nurlan"}),
        ("t10_xlsx_dob_serial_number_general_format.xlsx", None),
        ("t12_xlsx_title_row_merged_above_header.xlsx", {"Polat Murat"}),
    ],
)
def test_a_good_real_world_file_is_previewed_then_saved(desk, election, mission, name, latin_names):
    preview = check(desk, election, mission, case(name))

    rows = preview.context["preview"].rows
    if latin_names:
        assert {f"{r.last_name_latin} {r.first_name_latin}" for r in rows} == latin_names
    assert not NominationBatch.objects.exists()
    save(desk, preview)
    assert NominationBatch.objects.get().size == len(rows)
    if "t10" in name:
        assert rows[0].date_of_birth == datetime.date(1980, 3, 19)
        assert "19.03.1980" in preview.content.decode()
        assert Observer.objects.get().date_of_birth == datetime.date(1980, 3, 19)


@pytest.mark.parametrize(
    ("name", "errors"),
    [
        (
            "t01_excel_ru_cp1251_semicolon.csv",
            {
                (2, "last_name_latin"),
                (2, "first_name_latin"),
                (3, "last_name_cyrillic"),
                (3, "first_name_cyrillic"),
            },
        ),
        (
            "t05_excel_enUS_csv_cp1252_cyrillic_lost.csv",
            {(r, c) for r in (2, 3) for c in ("last_name_cyrillic", "first_name_cyrillic")},
        ),
        (
            "t07_xlsx_dimension_stale_A1G3.xlsx",
            {(3, "document_number"), (4, "document_number"), (5, "document_number")},
        ),
        (
            "t08_csv_passport_scientific_notation.csv",
            {(2, "document_number"), (3, "document_number")},
        ),
        ("t09_xlsx_passport_number_cell_leading_zero_lost.xlsx", {(2, "document_number")}),
        ("t11_xlsx_formula_no_cached_value.xlsx", {(2, "last_name_latin")}),
    ],
)
def test_a_faulty_real_world_file_shows_its_errors_and_no_preview(
    desk, election, mission, name, errors
):
    before = counts()

    response = check(desk, election, mission, case(name))

    assert response.status_code == 200
    assert {(e.row, e.column) for e in response.context["errors"]} == errors
    assert response.context["preview"] is None
    assert 'value="Save' not in response.content.decode()
    assert counts() == before


# ELECTIONS OPEN FOR ACCREDITATION


def test_the_upload_form_offers_only_elections_open_for_accreditation(desk, election):
    closed = OpenElectionFactory(election_day=timezone.localdate() + datetime.timedelta(days=2))

    response = desk.get(reverse(UPLOAD))

    offered = [value for value, _label in response.context["form"].fields["election"].choices]
    assert election.pk in offered
    assert closed.pk not in offered
    assert str(NO_ELECTION_OPEN) not in response.content.decode()


def test_the_upload_form_says_when_no_election_is_open(desk):
    OpenElectionFactory(election_day=timezone.localdate() + datetime.timedelta(days=2))

    response = desk.get(reverse(UPLOAD))

    assert [value for value, _ in response.context["form"].fields["election"].choices] == [""]
    assert str(NO_ELECTION_OPEN) in response.content.decode()


@pytest.mark.parametrize(
    "second",
    [
        person(2, citizenship="ZZ"),  # refused by the file's reading
        person(2, last_name_latin="Иванов"),  # refused by the service's checks
    ],
)
def test_past_the_deadline_the_rows_errors_are_shown_with_it(desk, election, mission, second):
    # The form was opened while accreditation was open; it closed before the upload.
    Election.objects.filter(pk=election.pk).update(
        election_day=timezone.localdate() + datetime.timedelta(days=2)
    )

    response = check(desk, election, mission, csv_upload([person(1), second]))

    errors = {(e.row, e.column or None) for e in response.context["errors"]}
    assert (None, None) in errors
    assert any(row == 3 for row, _column in errors)
    assert "closed" in response.context["errors"][0].message


# A FILE SAVED ALREADY


def test_a_saved_file_uploaded_again_names_its_batch_instead_of_errors(desk, election, mission):
    rows = [person(n) for n in range(3)]
    save(desk, check(desk, election, mission, csv_upload(rows)))
    batch = NominationBatch.objects.get()

    # The back button, then reloading: the form is sent again with the same file.
    again = check(desk, election, mission, csv_upload(rows))

    assert again.status_code == 302
    page = desk.get(again["Location"]).content.decode()
    assert f"This file was already saved as batch {batch.pk}" in page
    assert batch_url(batch) in page
    assert "The file was not saved" not in page
    assert NominationBatch.objects.count() == 1
    assert batch.file_sha256 == hashlib.sha256(csv_upload(rows).read()).hexdigest()


def test_the_same_file_for_another_body_is_checked_as_new(desk, election, mission):
    rows = [person(n) for n in range(2)]
    save(desk, check(desk, election, mission, csv_upload(rows)))

    other = check(desk, election, OrganizationBodyFactory(), csv_upload(rows))

    assert other.status_code == 200
    assert {e.row for e in other.context["errors"]} == {2, 3}  # held by the first body


def test_the_error_table_masks_document_numbers_and_keeps_the_row(desk, election, mission):
    ObserverFactory(election=election, **person(1, document_number="N04411977"))

    response = check(
        desk, election, mission, csv_upload([person(0), person(1, document_number="N04411977")])
    )

    (error,) = response.context["errors"]
    assert error.row == 3
    assert imports.masked("N04411977") in error.message
    page = response.content.decode()
    assert "N04411977" not in page
    assert imports.masked("N04411977") in page
