"""The desk's nominations upload in a real browser, on a desktop and a phone: upload a file, see
what would be saved (document numbers masked), save it, land on the batch's page."""

import csv
import io

import pytest

from observers import imports
from observers.models import NominationBatch
from tests.core.factories import UserFactory
from tests.observers.factories import OpenElectionFactory, OrganizationBodyFactory, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # UserFactory's


def nominations_csv(count: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(imports.COLUMNS)
    for n in range(count):
        values = person(n, document_number=f"P7{n:06d}42")
        writer.writerow([values[c] for c in imports.COLUMNS])
    return out.getvalue().encode("utf-8")


def _sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/en/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click('input[type="submit"]')


@pytest.mark.parametrize("page_fixture", ["page", "phone_page"])
def test_an_upload_is_previewed_then_saved_as_one_batch(
    request, page_fixture, page_problems, live_server
):
    page = request.getfixturevalue(page_fixture)
    desk = UserFactory(is_staff=True, is_superuser=True)
    election = OpenElectionFactory()
    mission = OrganizationBodyFactory(name="CIS Observer Mission")
    _sign_in(page, live_server, desk)

    page.goto(f"{live_server.url}/en/admin/observers/observer/upload/")
    page.select_option("#id_election", str(election.pk))
    page.select_option("#id_body", str(mission.pk))
    page.set_input_files(
        "#id_file",
        {"name": "mission.csv", "mimeType": "text/csv", "buffer": nominations_csv(3)},
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and check").click()

    rows = page.locator("#upload-preview-rows tbody tr")
    assert rows.count() == 3
    assert "3 nominees will be saved" in page.locator("#upload-preview h2").inner_text()
    shown = page.locator("#upload-preview-rows").inner_text()
    assert [f"••••{n}42" in shown for n in range(3)] == [True, True, True]
    assert "P7000000" not in page.content()
    assert not NominationBatch.objects.exists()
    # The page itself does not scroll sideways; a wide table scrolls inside its box.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    save = page.get_by_role("button", name="Save 3 nominees")
    save.scroll_into_view_if_needed()
    assert save.is_visible()

    with page.expect_navigation():
        save.click()

    batch = NominationBatch.objects.get()
    assert page.url == f"{live_server.url}/en/admin/observers/nominationbatch/{batch.pk}/change/"
    assert "3 nominees saved in one batch." in page.locator(".messagelist").inner_text()
    assert batch.size == 3
    assert not page_problems, page_problems
