"""Subscribing to a station's notices in a real browser on a phone (390 px): the station page's
form, an e-mail address typed, the confirmation page reached; a bad contact comes back as the
field's error. A screenshot of the station page with the form, at 390 px, goes to
$SCREENSHOT_DIR when it is set (to look at it), else to the test's temporary directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from polling.models import StationSubscription
from tests.browser.test_public_pages import OVERFLOWING
from tests.polling.hours import election_2023, station_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def station():
    election_2023()
    return station_in(name_kk="№ 14 мектеп-гимназия", name_en="School-gymnasium No. 14")


def _open_station(page, live_server, station, language):
    response = page.goto(f"{live_server.url}/{language}/polling/stations/{station.pk}/")
    assert response is not None and response.status == 200, response.status
    page.evaluate("document.fonts.ready.then(() => true)")


def test_a_voter_subscribes_with_an_email_and_lands_on_the_confirm_page(
    phone_page, live_server, station, page_problems, tmp_path
):
    _open_station(phone_page, live_server, station, "kk")
    form = phone_page.locator("[data-subscribe-form]")
    form.scroll_into_view_if_needed()
    assert phone_page.evaluate(OVERFLOWING) == []
    directory = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    phone_page.screenshot(path=str(directory / "station-subscribe-kk-390.png"), full_page=True)
    phone_page.locator("#id_contact").fill("Aigerim.Voter@Mail.KZ")
    with phone_page.expect_navigation():
        form.locator("button[type=submit]").click()
    subscription = StationSubscription.objects.get()
    assert phone_page.url == (
        f"{live_server.url}/kk/polling/subscriptions/confirm/{subscription.confirmation_token}/"
    )
    assert phone_page.locator("#subscription-heading").is_visible()
    # Only the e-mail's link confirms: this page says to open it and offers no button.
    assert phone_page.locator('[data-state="sent"]').is_visible()
    assert phone_page.locator("section.subscription form").count() == 0
    assert subscription.language == "kk" and subscription.confirmed_at is None
    assert not page_problems, page_problems


def test_a_bad_contact_comes_back_as_the_fields_error(
    phone_page, live_server, station, page_problems
):
    _open_station(phone_page, live_server, station, "en")
    phone_page.locator("#id_contact").fill("aigerim@")
    with phone_page.expect_navigation():
        phone_page.locator("[data-subscribe-form] button[type=submit]").click()
    assert phone_page.url.endswith(f"/en/polling/stations/{station.pk}/subscribe/")
    error = phone_page.locator(".field__errors")
    assert "Give an e-mail address or a mobile phone number." in error.inner_text()
    assert phone_page.locator("#id_contact").input_value() == "aigerim@"
    assert phone_page.evaluate(OVERFLOWING) == []
    assert not StationSubscription.objects.exists()
