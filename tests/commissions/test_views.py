import datetime
import re
import zoneinfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import timezone, translation

from commissions.choices import ElectionKind
from commissions.models import Election
from commissions.selectors import election_countdown
from tests.commissions.factories import ElectionFactory

pytestmark = pytest.mark.django_db

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
E_DAY = datetime.date(2023, 3, 19)

TAGLINE = {
    "kk": "Сайлау комиссиясының ақпараттық жүйесі",
    "ru": "Информационная система избирательной комиссии",
    "en": "Election commission information system",
}
NO_ELECTION = {
    "kk": "Әзірге сайлау тағайындалған жоқ.",
    "ru": "Выборы пока не назначены.",
    "en": "No election has been called yet.",
}
MAZHILIS_NAME = {
    "kk": "Қазақстан Республикасы Парламенті Мәжілісінің депутаттарын кезектен тыс сайлау",
    "ru": "Внеочередные выборы депутатов Мажилиса Парламента Республики Казахстан",
    "en": "Early elections of deputies of the Mazhilis of the Parliament",
}
E_DAY_SHOWN = {"kk": "19.03.2023 ж.", "ru": "19 марта 2023 г.", "en": "19 March 2023"}
E_DAY_PASSED = {
    "kk": "Сайлау 19.03.2023 ж. өтті.",
    "ru": "Выборы состоялись 19 марта 2023 г.",
    "en": "Election day was 19 March 2023.",
}


def _text(response) -> str:
    """The page's text with runs of white space collapsed, as a reader sees it."""
    return re.sub(r"\s+", " ", response.content.decode())


def _mazhilis_2023(**kwargs):
    return ElectionFactory(
        kind=ElectionKind.MAZHILIS,
        election_day=E_DAY,
        name_kk=MAZHILIS_NAME["kk"],
        name_ru=MAZHILIS_NAME["ru"],
        name_en=MAZHILIS_NAME["en"],
        **kwargs,
    )


def test_root_redirects_to_the_default_language(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/kk/"


def test_root_redirects_to_the_browsers_language(client):
    response = client.get("/", headers={"accept-language": "ru-RU,ru;q=0.9"})
    assert response.status_code == 302
    assert response["Location"] == "/ru/"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_home_renders_in_the_language_of_its_prefix(client, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()
    assert TAGLINE[language] in _text(response)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_home_says_when_no_election_exists(client, language):
    response = client.get(f"/{language}/")
    assert NO_ELECTION[language] in _text(response)
    assert response.context["countdown"] is None


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_home_shows_the_elections_name_and_localized_date(client, language):
    _mazhilis_2023()
    response = client.get(f"/{language}/")
    text = _text(response)
    assert MAZHILIS_NAME[language] in text
    assert E_DAY_SHOWN[language] in text
    assert '<time class="hero__date" datetime="2023-03-19">' in text
    assert NO_ELECTION[language] not in text


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_home_says_when_election_day_has_passed(client, language):
    _mazhilis_2023()
    text = _text(client.get(f"/{language}/"))
    assert E_DAY_PASSED[language] in text
    assert "data-countdown" not in text
    assert "countdown.js" not in text


def test_home_lists_every_election_of_the_day(client):
    _mazhilis_2023()
    ElectionFactory(kind=ElectionKind.MASLIKHAT, election_day=E_DAY, name_en="Maslikhat elections")
    text = _text(client.get("/en/"))
    assert MAZHILIS_NAME["en"] in text
    assert "Maslikhat elections" in text
    assert "The elections on this day" in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Election day is in 10 days."),
        ("ru", "До дня выборов осталось 10 дней."),
        ("kk", "Сайлау күніне 10 күн қалды."),
    ],
)
def test_home_counts_down_the_days_to_an_upcoming_election(client, language, expected):
    day = timezone.localdate() + datetime.timedelta(days=10)
    ElectionFactory(election_day=day, name_en="Upcoming", name_ru="Будущие", name_kk="Алдағы")
    response = client.get(f"/{language}/")
    text = _text(response)
    assert expected in text
    opens_at = datetime.datetime.combine(day, datetime.time(7), tzinfo=ALMATY)
    assert f'data-opens-at="{opens_at.isoformat()}"' in text
    assert "js/countdown.js" in text


def test_home_shows_the_next_election_day_rather_than_a_past_one(client):
    _mazhilis_2023()
    day = timezone.localdate() + datetime.timedelta(days=30)
    ElectionFactory(election_day=day, name_en="Next one")
    response = client.get("/en/")
    assert response.context["election_day"] == day
    assert "Next one" in _text(response)


def test_home_links_to_the_api_docs_and_the_admin(client):
    text = _text(client.get("/en/"))
    assert 'href="/api/docs/"' in text
    assert 'href="/en/admin/"' in text


def test_home_has_a_skip_link_to_the_main_content(client):
    text = _text(client.get("/en/"))
    assert 'href="#main"' in text
    assert '<main id="main"' in text


def test_language_switcher_links_the_page_in_each_other_language(client):
    response = client.get("/en/?source=test")
    text = _text(response)
    assert 'href="/kk/?source=test" hreflang="kk"' in text
    assert 'href="/ru/?source=test" hreflang="ru"' in text
    assert 'hreflang="en"' not in text  # the current language is no link
    # A link, not a form: the page needs no CSRF token and sets no cookie.
    assert "csrfmiddlewaretoken" not in text
    assert not response.cookies


def test_language_switch_lands_on_the_page_in_that_language(client):
    response = client.post("/i18n/setlang/", {"language": "kk", "next": "/kk/"})
    assert response.status_code == 302
    assert response["Location"] == "/kk/"
    assert response.cookies["django_language"].value == "kk"
    followed = client.get(response["Location"])
    assert TAGLINE["kk"] in _text(followed)


@pytest.mark.parametrize("with_election", [False, True])
def test_home_query_count(client, django_assert_max_num_queries, with_election):
    if with_election:
        _mazhilis_2023()
        ElectionFactory(kind=ElectionKind.MASLIKHAT, election_day=E_DAY)
    with django_assert_max_num_queries(3):
        response = client.get("/kk/")
    assert response.status_code == 200


# The countdown itself, at chosen moments (Asia/Almaty was UTC+6 in 2023).


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ALMATY)


def test_countdown_before_election_day():
    countdown = election_countdown(E_DAY, now=_at(datetime.date(2023, 3, 7), 10, 30))
    assert countdown.is_upcoming
    assert not countdown.is_election_day
    assert not countdown.is_past
    assert countdown.days_left == 12
    assert (countdown.remaining_days, countdown.remaining_hours) == (11, 20)
    assert countdown.remaining_minutes == 30
    assert countdown.opens_at == datetime.datetime(2023, 3, 19, 1, 0, tzinfo=datetime.UTC)


def test_countdown_counts_to_seven_in_the_morning_of_election_day():
    countdown = election_countdown(E_DAY, now=_at(E_DAY, 6, 15))
    assert countdown.is_upcoming
    assert countdown.days_left == 0
    assert (countdown.remaining_days, countdown.remaining_hours) == (0, 0)
    assert countdown.remaining_minutes == 45


def test_countdown_once_voting_has_opened():
    countdown = election_countdown(E_DAY, now=_at(E_DAY, 7))
    assert countdown.is_election_day
    assert not countdown.is_upcoming
    assert countdown.remaining == datetime.timedelta(0)


def test_countdown_stays_on_election_day_until_midnight():
    countdown = election_countdown(E_DAY, now=_at(E_DAY, 23, 59))
    assert countdown.is_election_day
    assert not countdown.is_past


def test_countdown_after_election_day():
    countdown = election_countdown(E_DAY, now=_at(datetime.date(2023, 3, 20), 0, 1))
    assert countdown.is_past
    assert not countdown.is_election_day
    assert countdown.days_left == -1


def test_countdown_uses_the_capitals_clock_whatever_the_servers():
    utc_evening = datetime.datetime(2023, 3, 18, 19, 30, tzinfo=datetime.UTC)  # 01:30 on E
    countdown = election_countdown(E_DAY, now=utc_evening)
    assert countdown.days_left == 0
    assert countdown.remaining == datetime.timedelta(hours=5, minutes=30)


def test_countdown_counts_to_the_elections_own_opening_and_closing():
    election = ElectionFactory(
        election_day=E_DAY,
        voting_opens_at=datetime.time(8, 0),
        voting_closes_at=datetime.time(21, 0),
    )
    countdown = election_countdown(E_DAY, now=_at(E_DAY, 7, 30), elections=[election])
    assert countdown.is_upcoming
    assert countdown.remaining == datetime.timedelta(minutes=30)
    assert countdown.opens_at == _at(E_DAY, 8)
    assert countdown.closes_at == _at(E_DAY, 21)


def test_countdown_of_a_day_of_several_elections_spans_all_their_hours():
    early = ElectionFactory(
        election_day=E_DAY, kind=ElectionKind.MAZHILIS, voting_opens_at=datetime.time(6, 30)
    )
    late = ElectionFactory(
        election_day=E_DAY, kind=ElectionKind.MASLIKHAT, voting_closes_at=datetime.time(21, 30)
    )
    countdown = election_countdown(E_DAY, now=_at(E_DAY, 6), elections=[late, early])
    assert (countdown.opens_at, countdown.closes_at) == (_at(E_DAY, 6, 30), _at(E_DAY, 21, 30))


def test_countdown_without_an_election_uses_the_election_fields_defaults():
    default = Election(name="Mazhilis", kind=ElectionKind.MAZHILIS, election_day=E_DAY)
    countdown = election_countdown(E_DAY, now=_at(E_DAY, 6))
    assert countdown.opens_at.time() == default.voting_opens_at
    assert countdown.closes_at.time() == default.voting_closes_at


def test_countdown_refuses_an_election_of_another_day():
    other = ElectionFactory(election_day=E_DAY + datetime.timedelta(days=7))
    with pytest.raises(ValueError, match="another day"):
        election_countdown(E_DAY, elections=[other])


def _render_home(rf, now, language="en"):
    """The home page as it reads at `now` (the view always uses the real clock)."""
    request = rf.get(f"/{language}/")
    request.user = AnonymousUser()
    election = Election(name="Mazhilis", kind=ElectionKind.MAZHILIS, election_day=E_DAY)
    context = {
        "elections": [election],
        "election_day": E_DAY,
        "countdown": election_countdown(E_DAY, now=now),
    }
    with translation.override(language):
        return re.sub(r"\s+", " ", render_to_string("commissions/_home.html", context, request))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Today is election day: polling stations are open from 07:00 to 20:00 local time."),
        ("ru", "Сегодня день выборов: избирательные участки открыты с 07:00 до 20:00 "),
        ("kk", "Бүгін — сайлау күні: сайлау учаскелері жергілікті уақытпен 07:00-ден 20:00-ге "),
    ],
)
def test_home_says_voting_is_under_way_on_election_day(rf, language, expected):
    text = _render_home(rf, _at(E_DAY, 12), language)
    assert expected in text
    assert "data-countdown" not in text


def test_home_says_voting_opens_today_before_seven(rf):
    text = _render_home(rf, _at(E_DAY, 5, 30))
    assert "Election day is today: voting opens at 07:00." in text
    assert 'data-unit="hours">01<' in text
    assert 'data-unit="minutes">30<' in text


def test_home_counts_down_one_day_in_the_singular(rf):
    text = _render_home(rf, _at(datetime.date(2023, 3, 18), 12), "ru")
    assert "До дня выборов остался 1 день." in text


def test_kazakh_dates_use_the_kazakh_format():
    from django.utils import formats

    with translation.override("kk"):
        assert formats.date_format(datetime.date(2023, 3, 19)) == "19.03.2023 ж."
        assert formats.date_format(datetime.date(2023, 3, 19), "SHORT_DATE_FORMAT") == "19.03.2023"
    with translation.override("ru"):
        assert formats.date_format(datetime.date(2023, 3, 19)) == "19 марта 2023 г."


def test_the_home_pages_countdown_uses_the_elections_own_hours(client):
    """An election day whose elections vote 06:00–22:00 counts down to 06:00 and to 22:00."""
    _mazhilis_2023(voting_opens_at=datetime.time(6), voting_closes_at=datetime.time(22))
    countdown = client.get("/en/").context["countdown"]
    assert (countdown.opens_at.hour, countdown.closes_at.hour) == (6, 22)
