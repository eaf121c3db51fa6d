"""The demo's observers: accreditation for the Mazhilis election of 19 March 2023.

Loaded by `python manage.py load_demo` after the commissions' data. The figures are the CEC's
(its meeting of 7 March 2023, /work/shared/seeds/cec-meeting-2023-03-07.txt): 165 observers from
16 foreign states and 4 international organisations accredited before 7 March, and on 7 March 157
from 23 states and 6 organisations, state by state and mission by mission. How the first 165 were
spread over earlier decision days, which states and organisations they came from, and every
person are invented: the split is plausible, the totals are the seed's. The people are fictional
(common first and last names of their country, put together by index), as are their dates of
birth and document numbers; nobody has a photo.

Agencies, nominating bodies and the two domestic public associations are found by natural key
and updated only when they differ. Observers are nominated and decided through the desk's
services (`observers.services`) at the historic times, one batch per body and day, found again by
its reference ("DEMO-<body>-<YYYYMMDD>"): a second load writes nothing. The first load enqueues
the decisions' notifications to the bodies' example.org addresses, as a real desk would.

Two nominations are refused and one accreditation is revoked, so the demo shows those features;
the seed's figures still hold, since a refusal is never counted and a revoked accreditation still
counts on the day it was granted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models

from commissions.demo import Names
from commissions.models import Region
from core.models import Agency, AgencyKind
from core.services import agency_create

from .choices import BatchSource, BodyKind, ObserverStatus
from .models import NominatingBody, NominationBatch, Observer
from .services import (
    nominating_body_create,
    nomination_batch_submit,
    observer_refuse,
    observer_revoke,
    observers_accredit,
)

Upsert = Callable[..., models.Model]


@dataclass(frozen=True)
class AgencyData:
    key: str
    kind: str
    name: Names  # name["en"] is the natural key
    contact_email: str


@dataclass(frozen=True)
class OrganizationData:
    """An international organisation or its observer mission."""

    key: str  # in batch references
    name: Names  # name["en"] is the natural key
    short_name: Names
    contact_email: str
    language: str  # of the decisions sent to it
    citizenships: tuple[str, ...]  # its members' (its member states)
    agency: str = "mfa"  # who submits its nominations: its own mission, or the ministry


@dataclass(frozen=True)
class AssociationData:
    """A domestic public association, accredited for a year (regional: by its territory)."""

    name: Names  # name["en"] is the natural key
    short_name: Names
    contact_email: str
    accredited_from: date
    accredited_until: date
    region: str | None = None  # a region's code; None: nationwide, accredited by the CEC


@dataclass(frozen=True)
class BatchData:
    """One body's nominees decided on one day: `accredited` granted, one refusal per reason."""

    day: date
    body: str  # a state's ISO code or an organisation's key
    accredited: int
    refused: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return self.accredited + len(self.refused)

    @property
    def reference(self) -> str:
        return f"DEMO-{self.body}-{self.day:%Y%m%d}"


@dataclass(frozen=True)
class RevocationData:
    batch: str  # the batch's reference
    position: int  # which of its nominees (from 0)
    at: datetime
    reason: str


ZONE = ZoneInfo(settings.TIME_ZONE)
SEED_DAY = date(2023, 3, 7)  # the CEC meeting that reported the figures
DECISION_TIME = time(11, 0)  # the desk decides in the morning, on a submission of the day before
SUBMISSION_TIME = time(16, 0)

# AGENCIES: API clients that submit nominations (no token: `manage.py create_api_token` makes one).

AGENCIES: tuple[AgencyData, ...] = (
    AgencyData(
        "mfa",
        AgencyKind.MINISTRY,
        {
            "en": "Ministry of Foreign Affairs",
            "ru": "Министерство иностранных дел",
            "kk": "Сыртқы істер министрлігі",
        },
        "mfa@example.org",
    ),
    AgencyData(
        "cis",
        AgencyKind.MISSION,
        {
            "en": "CIS Observer Mission",
            "ru": "Миссия наблюдателей от СНГ",
            "kk": "ТМД-дан байқаушылар миссиясы",
        },
        "cis-mission@example.org",
    ),
    AgencyData(
        "odihr",
        AgencyKind.MISSION,
        {
            "en": "OSCE/ODIHR Election Observation Mission",
            "ru": "Миссия ОБСЕ/БДИПЧ по наблюдению за выборами",
            "kk": "ЕҚЫҰ/ДИАҚБ сайлауды бақылау жөніндегі миссиясы",
        },
        "odihr-eom@example.org",
    ),
)

# NOMINATING BODIES

# Member states of the organisations (Kazakhstan left out: it sends no foreign observers).
_OSCE = (
    "DE", "GB", "FR", "IT", "ES", "PL", "NO", "SE", "DK", "US", "CA", "IE", "AT", "CH", "LT",
    "SK", "HR", "HU", "RO", "GE", "RS", "AM", "MN",
)  # fmt: skip
_CIS = ("RU", "BY", "AM", "AZ", "KG", "TJ", "UZ")
_CSTO = ("RU", "BY", "AM", "KG", "TJ")
_TURKIC = ("AZ", "KG", "TR", "UZ", "HU")
_CICA = ("AZ", "CN", "IN", "KG", "MN", "PK", "RU", "TJ", "TR", "UZ")
_SCO = ("CN", "RU", "KG", "TJ", "UZ", "IN", "PK")

ORGANIZATIONS: tuple[OrganizationData, ...] = (
    OrganizationData(
        "ODIHR",
        {
            "en": "OSCE/ODIHR Election Observation Mission",
            "ru": "Миссия ОБСЕ/БДИПЧ по наблюдению за выборами",
            "kk": "ЕҚЫҰ/ДИАҚБ сайлауды бақылау жөніндегі миссиясы",
        },
        {"en": "OSCE/ODIHR EOM", "ru": "МНВ ОБСЕ/БДИПЧ", "kk": "ЕҚЫҰ/ДИАҚБ"},
        "odihr-eom@example.org",
        "en",
        _OSCE,
        agency="odihr",
    ),
    OrganizationData(
        "CIS",
        {
            "en": "CIS Observer Mission",
            "ru": "Миссия наблюдателей от СНГ",
            "kk": "ТМД-дан байқаушылар миссиясы",
        },
        {"en": "CIS", "ru": "СНГ", "kk": "ТМД"},
        "cis-mission@example.org",
        "ru",
        _CIS,
        agency="cis",
    ),
    OrganizationData(
        "IPACIS",
        {
            "en": "Interparliamentary Assembly of Member Nations of the CIS",
            "ru": "Межпарламентская Ассамблея государств – участников СНГ",
            "kk": "ТМД-ға қатысушы мемлекеттердің Парламентаралық Ассамблеясы",
        },
        {"en": "IPA CIS", "ru": "МПА СНГ", "kk": "ТМД ПАА"},
        "ipa-cis@example.org",
        "ru",
        _CIS,
    ),
    OrganizationData(
        "SCO",
        {
            "en": "Shanghai Cooperation Organisation Observer Mission",
            "ru": "Миссия наблюдателей от Шанхайской организации сотрудничества",
            "kk": "Шанхай ынтымақтастық ұйымының байқаушылар миссиясы",
        },
        {"en": "SCO", "ru": "ШОС", "kk": "ШЫҰ"},
        "sco-mission@example.org",
        "ru",
        _SCO,
    ),
    OrganizationData(
        "CSTOPA",
        {
            "en": "CSTO Parliamentary Assembly",
            "ru": "Парламентская Ассамблея ОДКБ",
            "kk": "ҰҚШҰ Парламенттік Ассамблеясы",
        },
        {"en": "CSTO PA", "ru": "ПА ОДКБ", "kk": "ҰҚШҰ ПА"},
        "csto-pa@example.org",
        "ru",
        _CSTO,
    ),
    OrganizationData(
        "OTS",
        {
            "en": "Organization of Turkic States",
            "ru": "Организация тюркских государств",
            "kk": "Түркі мемлекеттері ұйымы",
        },
        {"en": "OTS", "ru": "ОТГ", "kk": "ТМҰ"},
        "ots@example.org",
        "en",
        _TURKIC,
    ),
    OrganizationData(
        "TURKPA",
        {
            "en": "Parliamentary Assembly of Turkic States",
            "ru": "Парламентская ассамблея тюркских государств",
            "kk": "Түркі мемлекеттерінің парламенттік ассамблеясы",
        },
        {"en": "TURKPA", "ru": "ТюркПА", "kk": "ТүркПА"},
        "turkpa@example.org",
        "en",
        ("AZ", "KG", "TR"),
    ),
    OrganizationData(
        "CICA",
        {
            "en": "Conference on Interaction and Confidence Building Measures in Asia",
            "ru": "Совещание по взаимодействию и мерам доверия в Азии",
            "kk": "Азиядағы өзара іс-қимыл және сенім шаралары жөніндегі кеңес",
        },
        {"en": "CICA", "ru": "СВМДА", "kk": "АӨСШК"},
        "cica@example.org",
        "en",
        _CICA,
    ),
    OrganizationData(
        "TURKACADEMY",
        {
            "en": "International Turkic Academy",
            "ru": "Международная тюркская академия",
            "kk": "Халықаралық Түркі академиясы",
        },
        {"en": "Turkic Academy", "ru": "МТА", "kk": "ХТА"},
        "turkic-academy@example.org",
        "en",
        _TURKIC,
    ),
)

ASSOCIATIONS: tuple[AssociationData, ...] = (
    AssociationData(
        {
            "en": "Adal Saylau Public Association",
            "ru": "Общественное объединение «Адал сайлау»",
            "kk": "«Адал сайлау» қоғамдық бірлестігі",
        },
        {"en": "Adal Saylau", "ru": "Адал сайлау", "kk": "Адал сайлау"},
        "adal-saylau@example.org",
        date(2023, 1, 25),
        date(2024, 1, 24),
    ),
    AssociationData(
        {
            "en": "Almaty Civic Observers Public Association",
            "ru": "Общественное объединение «Гражданские наблюдатели Алматы»",
            "kk": "«Алматы азаматтық байқаушылары» қоғамдық бірлестігі",
        },
        {"en": "Almaty Civic Observers", "ru": "ГНА", "kk": "ААБ"},
        "almaty-observers@example.org",
        date(2023, 2, 1),
        date(2024, 1, 31),
        region="almaty",
    ),
)

# States whose embassies correspond with the CEC in Russian; the others in English.
RUSSIAN_SPEAKING = {"RU", "BY", "KG", "TJ", "UZ", "AZ", "AM", "GE", "MN"}

# DECISIONS. Before 7 March (invented split; the seed's totals): 165 observers, 16 states,
# 4 organisations.
_FEB24, _FEB28, _MAR2, _MAR6 = (
    date(2023, 2, 24),
    date(2023, 2, 28),
    date(2023, 3, 2),
    date(2023, 3, 6),
)
EARLIER_BATCHES: tuple[BatchData, ...] = (
    # The missions' core teams and long-term observers come first.
    BatchData(_FEB24, "ODIHR", 12),
    BatchData(_FEB24, "CIS", 20),
    BatchData(_FEB28, "ODIHR", 24),
    BatchData(_FEB28, "US", 4),
    BatchData(_FEB28, "GB", 3),
    BatchData(_FEB28, "DE", 4),
    BatchData(_FEB28, "FR", 3),
    BatchData(_FEB28, "JP", 3),
    BatchData(_FEB28, "KR", 3),
    BatchData(_FEB28, "CN", 5),
    BatchData(_MAR2, "CIS", 15),
    BatchData(_MAR2, "SCO", 10),
    BatchData(_MAR2, "IPACIS", 8),
    BatchData(
        _MAR2,
        "RU",
        6,
        refused=(
            "The nominee's passport expires before election day; nominate again with a valid "
            "document.",
        ),
    ),
    BatchData(_MAR2, "BY", 4),
    BatchData(_MAR2, "UZ", 5),
    BatchData(_MAR2, "TJ", 4),
    BatchData(_MAR2, "KG", 4),
    BatchData(_MAR6, "ODIHR", 6),
    BatchData(_MAR6, "TR", 5),
    BatchData(_MAR6, "AZ", 4),
    BatchData(_MAR6, "IN", 3),
    BatchData(_MAR6, "IT", 3),
    BatchData(_MAR6, "US", 2),
    BatchData(_MAR6, "DE", 2),
    BatchData(_MAR6, "CN", 3),
)

# 7 March 2023, as the seed reports it: 157 observers, 23 states, 6 organisations.
SEED_DAY_STATES = {
    **dict.fromkeys(
        ("AM", "AZ", "GB", "DE", "GE", "IQ", "ES", "IT", "NO", "RU", "RO", "RS", "SK"), 1
    ),
    **dict.fromkeys(("CA", "MN", "KG", "PK", "PL", "HR"), 2),
    **dict.fromkeys(("HU", "LT", "TR"), 3),
    "US": 4,
}
SEED_DAY_ORGANIZATIONS = {
    "CIS": 77,
    "CSTOPA": 11,
    "OTS": 6,
    "TURKPA": 20,
    "CICA": 2,
    "TURKACADEMY": 3,
}
SEED_DAY_REFUSALS = {
    "US": ("The nominee is not named in the submission of the Ministry of Foreign Affairs.",),
}

SEED_DAY_BATCHES: tuple[BatchData, ...] = tuple(
    BatchData(SEED_DAY, body, count, refused=SEED_DAY_REFUSALS.get(body, ()))
    for body, count in (*SEED_DAY_STATES.items(), *SEED_DAY_ORGANIZATIONS.items())
)

BATCHES: tuple[BatchData, ...] = EARLIER_BATCHES + SEED_DAY_BATCHES

REVOCATIONS: tuple[RevocationData, ...] = (
    RevocationData(
        f"DEMO-GB-{_FEB28:%Y%m%d}",
        2,
        datetime(2023, 3, 14, 10, 30, tzinfo=ZONE),
        "Recalled by the nominating state: the observer will not travel to Kazakhstan.",
    ),
)

# PEOPLE: common first and last names of each country, put together by index.

Name = tuple[str, str]  # (Latin, as in the passport; Cyrillic)


@dataclass(frozen=True)
class NameSet:
    men: tuple[Name, ...]
    women: tuple[Name, ...]
    surnames: tuple[Name, ...]
    women_surnames: tuple[Name, ...] = ()  # where a woman's surname has its own form

    def person(self, index: int) -> tuple[Name, Name]:
        """(first name, last name) of the index-th person: men and women alternately."""
        woman = index % 2 == 1
        firsts = self.women if woman else self.men
        lasts = self.women_surnames if woman and self.women_surnames else self.surnames
        return firsts[(index // 2) % len(firsts)], lasts[(index * 5 + index // 7) % len(lasts)]


def _feminine(surnames: tuple[Name, ...]) -> tuple[Name, ...]:
    """-ov/-ev/-in surnames (Russian, Central Asian): the woman's form ends in -a."""
    return tuple((latin + "a", cyrillic + "а") for latin, cyrillic in surnames)


_ANGLO = NameSet(
    (("John", "Джон"), ("Michael", "Майкл"), ("David", "Дэвид"), ("James", "Джеймс"),
     ("Robert", "Роберт"), ("Thomas", "Томас")),
    (("Sarah", "Сара"), ("Emily", "Эмили"), ("Laura", "Лора"), ("Rachel", "Рейчел"),
     ("Anne", "Энн"), ("Helen", "Хелен")),
    (("Carter", "Картер"), ("Mitchell", "Митчелл"), ("Harris", "Харрис"), ("Bennett", "Беннетт"),
     ("Collins", "Коллинз"), ("Parker", "Паркер"), ("Hughes", "Хьюз"), ("Turner", "Тёрнер")),
)  # fmt: skip
_GERMAN = NameSet(
    (("Thomas", "Томас"), ("Stefan", "Штефан"), ("Matthias", "Маттиас"), ("Jens", "Йенс"),
     ("Klaus", "Клаус"), ("Andreas", "Андреас")),
    (("Katrin", "Катрин"), ("Sabine", "Сабина"), ("Julia", "Юлия"), ("Anja", "Аня"),
     ("Petra", "Петра"), ("Monika", "Моника")),
    (("Becker", "Беккер"), ("Hoffmann", "Хофман"), ("Schulz", "Шульц"), ("Wagner", "Вагнер"),
     ("Krause", "Краузе"), ("Neumann", "Нойман"), ("Richter", "Рихтер"), ("Lehmann", "Леман")),
)  # fmt: skip
_FRENCH = NameSet(
    (("Pierre", "Пьер"), ("Nicolas", "Николя"), ("Julien", "Жюльен"), ("Laurent", "Лоран")),
    (("Camille", "Камилла"), ("Claire", "Клэр"), ("Sophie", "Софи"), ("Isabelle", "Изабель")),
    (("Moreau", "Моро"), ("Lefebvre", "Лефевр"), ("Girard", "Жирар"), ("Fontaine", "Фонтен"),
     ("Rousseau", "Руссо"), ("Mercier", "Мерсье")),
)  # fmt: skip
_ITALIAN = NameSet(
    (("Marco", "Марко"), ("Luca", "Лука"), ("Giovanni", "Джованни"), ("Paolo", "Паоло")),
    (("Giulia", "Джулия"), ("Francesca", "Франческа"), ("Chiara", "Кьяра"), ("Elena", "Элена")),
    (("Rossi", "Росси"), ("Ferrari", "Феррари"), ("Esposito", "Эспозито"), ("Bianchi", "Бьянки"),
     ("Romano", "Романо"), ("Ricci", "Риччи")),
)  # fmt: skip
_SPANISH = NameSet(
    (("Javier", "Хавьер"), ("Carlos", "Карлос"), ("Miguel", "Мигель"), ("Pablo", "Пабло")),
    (("Lucia", "Лусия"), ("Carmen", "Кармен"), ("Marta", "Марта"), ("Elena", "Элена")),
    (("Garcia", "Гарсия"), ("Fernandez", "Фернандес"), ("Lopez", "Лопес"),
     ("Martinez", "Мартинес"), ("Sanchez", "Санчес"), ("Navarro", "Наварро")),
)  # fmt: skip
_ROMANIAN = NameSet(
    (("Andrei", "Андрей"), ("Mihai", "Михай"), ("Radu", "Раду")),
    (("Ioana", "Иоана"), ("Elena", "Елена"), ("Ana", "Ана")),
    (("Popescu", "Попеску"), ("Ionescu", "Ионеску"), ("Dumitru", "Думитру"), ("Stan", "Стан")),
)  # fmt: skip
_NORDIC = NameSet(
    (("Lars", "Ларс"), ("Erik", "Эрик"), ("Henrik", "Хенрик"), ("Olav", "Улав")),
    (("Ingrid", "Ингрид"), ("Kari", "Кари"), ("Silje", "Силье"), ("Astrid", "Астрид")),
    (("Hansen", "Хансен"), ("Johansen", "Юхансен"), ("Larsen", "Ларсен"), ("Berg", "Берг"),
     ("Haugen", "Хауген"), ("Nilsen", "Нильсен")),
)  # fmt: skip
_EAST_SLAVIC_SURNAMES = (
    ("Sokolov", "Соколов"), ("Volkov", "Волков"), ("Morozov", "Морозов"), ("Lebedev", "Лебедев"),
    ("Kozlov", "Козлов"), ("Novikov", "Новиков"), ("Pavlov", "Павлов"), ("Orlov", "Орлов"),
)  # fmt: skip
_EAST_SLAVIC = NameSet(
    (("Aleksei", "Алексей"), ("Dmitrii", "Дмитрий"), ("Sergei", "Сергей"), ("Andrei", "Андрей"),
     ("Mikhail", "Михаил"), ("Igor", "Игорь")),
    (("Elena", "Елена"), ("Olga", "Ольга"), ("Natalia", "Наталья"), ("Irina", "Ирина"),
     ("Tatiana", "Татьяна"), ("Anna", "Анна")),
    _EAST_SLAVIC_SURNAMES,
    _feminine(_EAST_SLAVIC_SURNAMES),
)  # fmt: skip
_POLISH = NameSet(
    (("Piotr", "Пётр"), ("Tomasz", "Томаш"), ("Krzysztof", "Кшиштоф"), ("Pawel", "Павел")),
    (("Anna", "Анна"), ("Katarzyna", "Катажина"), ("Magdalena", "Магдалена"),
     ("Agnieszka", "Агнешка")),
    (("Kowalski", "Ковальский"), ("Nowak", "Новак"), ("Wisniewski", "Вишневский"),
     ("Zielinski", "Зелинский")),
    (("Kowalska", "Ковальская"), ("Nowak", "Новак"), ("Wisniewska", "Вишневская"),
     ("Zielinska", "Зелинская")),
)  # fmt: skip
_SLOVAK = NameSet(
    (("Peter", "Петер"), ("Martin", "Мартин"), ("Jan", "Ян"), ("Marek", "Марек")),
    (("Zuzana", "Зузана"), ("Jana", "Яна"), ("Lucia", "Луция"), ("Maria", "Мария")),
    (("Novak", "Новак"), ("Kovac", "Ковач"), ("Hudak", "Гудак"), ("Polak", "Поляк")),
    (("Novakova", "Новакова"), ("Kovacova", "Ковачова"), ("Hudakova", "Гудакова"),
     ("Polakova", "Полякова")),
)  # fmt: skip
_CROATIAN = NameSet(
    (("Ivan", "Иван"), ("Marko", "Марко"), ("Josip", "Йосип"), ("Tomislav", "Томислав")),
    (("Ana", "Ана"), ("Ivana", "Ивана"), ("Maja", "Майя"), ("Petra", "Петра")),
    (("Horvat", "Хорват"), ("Kovacevic", "Ковачевич"), ("Babic", "Бабич"), ("Maric", "Марич"),
     ("Juric", "Юрич")),
)  # fmt: skip
_SERBIAN = NameSet(
    (("Nikola", "Никола"), ("Milos", "Милош"), ("Stefan", "Стефан"), ("Dragan", "Драган")),
    (("Jelena", "Елена"), ("Milica", "Милица"), ("Marija", "Мария"), ("Ana", "Ана")),
    (("Jovanovic", "Йованович"), ("Petrovic", "Петрович"), ("Nikolic", "Николич"),
     ("Markovic", "Маркович"), ("Djordjevic", "Джорджевич")),
)  # fmt: skip
_HUNGARIAN = NameSet(
    (("Laszlo", "Ласло"), ("Gabor", "Габор"), ("Zoltan", "Золтан"), ("Peter", "Петер")),
    (("Katalin", "Каталин"), ("Eszter", "Эстер"), ("Zsuzsanna", "Жужанна"), ("Anna", "Анна")),
    (("Nagy", "Надь"), ("Kovacs", "Ковач"), ("Toth", "Тот"), ("Szabo", "Сабо"),
     ("Horvath", "Хорват"), ("Varga", "Варга")),
)  # fmt: skip
_LITHUANIAN = NameSet(
    (("Tomas", "Томас"), ("Mindaugas", "Миндаугас"), ("Darius", "Дарюс"), ("Andrius", "Андрюс")),
    (("Ruta", "Рута"), ("Egle", "Эгле"), ("Asta", "Аста"), ("Laura", "Лаура")),
    (("Kazlauskas", "Казлаускас"), ("Petrauskas", "Петраускас"), ("Jankauskas", "Янкаускас"),
     ("Vasiliauskas", "Василяускас")),
    (("Kazlauskiene", "Казлаускене"), ("Petrauskaite", "Петраускайте"),
     ("Jankauskiene", "Янкаускене"), ("Vasiliauskaite", "Василяускайте")),
)  # fmt: skip
_TURKISH = NameSet(
    (("Mehmet", "Мехмет"), ("Ahmet", "Ахмет"), ("Mustafa", "Мустафа"), ("Emre", "Эмре"),
     ("Murat", "Мурат")),
    (("Ayse", "Айше"), ("Elif", "Элиф"), ("Zeynep", "Зейнеп"), ("Fatma", "Фатма")),
    (("Yilmaz", "Йылмаз"), ("Kaya", "Кая"), ("Demir", "Демир"), ("Sahin", "Шахин"),
     ("Celik", "Челик"), ("Aydin", "Айдын"), ("Ozturk", "Озтюрк")),
)  # fmt: skip
_AZERBAIJANI_SURNAMES = (
    ("Mammadov", "Мамедов"), ("Hasanov", "Гасанов"), ("Guliyev", "Гулиев"),
    ("Huseynov", "Гусейнов"), ("Ismayilov", "Исмаилов"),
)  # fmt: skip
_AZERBAIJANI = NameSet(
    (("Elchin", "Эльчин"), ("Rashad", "Рашад"), ("Farid", "Фарид"), ("Tural", "Турал")),
    (("Aynur", "Айнур"), ("Leyla", "Лейла"), ("Gunel", "Гюнель"), ("Sevinj", "Севиндж")),
    _AZERBAIJANI_SURNAMES,
    _feminine(_AZERBAIJANI_SURNAMES),
)  # fmt: skip
_KYRGYZ_SURNAMES = (
    ("Abdyldaev", "Абдылдаев"), ("Toktogulov", "Токтогулов"), ("Asanov", "Асанов"),
    ("Zhumabaev", "Жумабаев"), ("Osmonov", "Осмонов"),
)  # fmt: skip
_KYRGYZ = NameSet(
    (("Azamat", "Азамат"), ("Nurlan", "Нурлан"), ("Bakyt", "Бакыт"), ("Ermek", "Эрмек")),
    (("Aigul", "Айгуль"), ("Gulnara", "Гульнара"), ("Nazira", "Назира"), ("Cholpon", "Чолпон")),
    _KYRGYZ_SURNAMES,
    _feminine(_KYRGYZ_SURNAMES),
)  # fmt: skip
_UZBEK_SURNAMES = (
    ("Yusupov", "Юсупов"), ("Rakhimov", "Рахимов"), ("Tursunov", "Турсунов"),
    ("Sobirov", "Собиров"), ("Nematov", "Нематов"),
)  # fmt: skip
_UZBEK = NameSet(
    (("Rustam", "Рустам"), ("Jasur", "Жасур"), ("Sardor", "Сардор"), ("Bobur", "Бобур")),
    (("Dilnoza", "Дилноза"), ("Malika", "Малика"), ("Nodira", "Нодира"), ("Gulnora", "Гулнора")),
    _UZBEK_SURNAMES,
    _feminine(_UZBEK_SURNAMES),
)  # fmt: skip
_TAJIK_SURNAMES = (
    ("Nazarov", "Назаров"), ("Saidov", "Саидов"), ("Kholov", "Холов"), ("Safarov", "Сафаров"),
)  # fmt: skip
_TAJIK = NameSet(
    (("Farrukh", "Фаррух"), ("Daler", "Далер"), ("Jamshed", "Джамшед"), ("Firuz", "Фируз")),
    (("Zarina", "Зарина"), ("Manizha", "Манижа"), ("Nigina", "Нигина"), ("Shahnoza", "Шахноза")),
    _TAJIK_SURNAMES,
    _feminine(_TAJIK_SURNAMES),
)  # fmt: skip
_ARMENIAN = NameSet(
    (("Armen", "Армен"), ("Tigran", "Тигран"), ("Aram", "Арам"), ("Hayk", "Айк")),
    (("Anahit", "Анаит"), ("Lilit", "Лилит"), ("Narine", "Нарине"), ("Gayane", "Гаяне")),
    (("Petrosyan", "Петросян"), ("Hakobyan", "Акопян"), ("Sargsyan", "Саргсян"),
     ("Grigoryan", "Григорян"), ("Harutyunyan", "Арутюнян")),
)  # fmt: skip
_GEORGIAN = NameSet(
    (("Giorgi", "Георгий"), ("Levan", "Леван"), ("Davit", "Давит"), ("Irakli", "Ираклий")),
    (("Nino", "Нино"), ("Tamar", "Тамар"), ("Ketevan", "Кетеван"), ("Mariam", "Мариам")),
    (("Beridze", "Беридзе"), ("Kapanadze", "Капанадзе"), ("Gelashvili", "Гелашвили"),
     ("Lomidze", "Ломидзе"), ("Tsiklauri", "Циклаури")),
)  # fmt: skip
_MONGOLIAN = NameSet(
    (("Ganbold", "Ганболд"), ("Temuulen", "Тэмүүлэн"), ("Munkhbat", "Мөнхбат"),
     ("Bat-Erdene", "Бат-Эрдэнэ")),
    (("Oyunchimeg", "Оюунчимэг"), ("Sarangerel", "Сарангэрэл"), ("Enkhjargal", "Энхжаргал"),
     ("Altantsetseg", "Алтанцэцэг")),
    (("Dorj", "Дорж"), ("Batbayar", "Батбаяр"), ("Gantulga", "Гантулга"), ("Tsogt", "Цогт")),
)  # fmt: skip
_ARABIC = NameSet(
    (("Ahmed", "Ахмед"), ("Ali", "Али"), ("Hassan", "Хасан"), ("Omar", "Омар")),
    (("Zainab", "Зейнаб"), ("Noor", "Нур"), ("Maryam", "Марьям"), ("Huda", "Худа")),
    (("Al-Jubouri", "Аль-Джубури"), ("Al-Saadi", "Аль-Саади"), ("Al-Obaidi", "Аль-Обейди"),
     ("Hussein", "Хусейн")),
)  # fmt: skip
_PAKISTANI = NameSet(
    (("Bilal", "Билал"), ("Usman", "Усман"), ("Faisal", "Файсал"), ("Kamran", "Камран")),
    (("Ayesha", "Айша"), ("Sana", "Сана"), ("Fatima", "Фатима"), ("Hina", "Хина")),
    (("Khan", "Хан"), ("Qureshi", "Куреши"), ("Malik", "Малик"), ("Chaudhry", "Чаудхри")),
)  # fmt: skip
_INDIAN = NameSet(
    (("Rahul", "Рахул"), ("Arjun", "Арджун"), ("Vikram", "Викрам"), ("Sanjay", "Санджай")),
    (("Priya", "Прия"), ("Anjali", "Анджали"), ("Meera", "Мира"), ("Kavita", "Кавита")),
    (("Sharma", "Шарма"), ("Patel", "Патель"), ("Iyer", "Айер"), ("Reddy", "Редди"),
     ("Gupta", "Гупта")),
)  # fmt: skip
_CHINESE = NameSet(
    (("Wei", "Вэй"), ("Jun", "Цзюнь"), ("Hao", "Хао"), ("Lei", "Лэй")),
    (("Fang", "Фан"), ("Jing", "Цзин"), ("Mei", "Мэй"), ("Yan", "Янь")),
    (("Wang", "Ван"), ("Li", "Ли"), ("Zhang", "Чжан"), ("Liu", "Лю"), ("Chen", "Чэнь"),
     ("Zhao", "Чжао")),
)  # fmt: skip
_JAPANESE = NameSet(
    (("Hiroshi", "Хироси"), ("Takeshi", "Такэси"), ("Kenji", "Кэндзи"), ("Daisuke", "Дайсукэ")),
    (("Yuko", "Юко"), ("Keiko", "Кэйко"), ("Aiko", "Айко"), ("Naomi", "Наоми")),
    (("Sato", "Сато"), ("Suzuki", "Судзуки"), ("Takahashi", "Такахаси"), ("Tanaka", "Танака"),
     ("Watanabe", "Ватанабэ")),
)  # fmt: skip
_KOREAN = NameSet(
    (("Minsu", "Минсу"), ("Junho", "Чунхо"), ("Seojun", "Сочжун"), ("Hyunwoo", "Хёну")),
    (("Jiyoung", "Чиён"), ("Soyeon", "Соён"), ("Eunji", "Ынджи"), ("Minji", "Минджи")),
    (("Kim", "Ким"), ("Lee", "Ли"), ("Park", "Пак"), ("Choi", "Чхве"), ("Jung", "Чон")),
)  # fmt: skip

NAMES: dict[str, NameSet] = {
    **dict.fromkeys(("US", "GB", "CA", "IE"), _ANGLO),
    **dict.fromkeys(("DE", "AT", "CH"), _GERMAN),
    "FR": _FRENCH,
    "IT": _ITALIAN,
    "ES": _SPANISH,
    "RO": _ROMANIAN,
    **dict.fromkeys(("NO", "SE", "DK"), _NORDIC),
    **dict.fromkeys(("RU", "BY"), _EAST_SLAVIC),
    "PL": _POLISH,
    "SK": _SLOVAK,
    "HR": _CROATIAN,
    "RS": _SERBIAN,
    "HU": _HUNGARIAN,
    "LT": _LITHUANIAN,
    "TR": _TURKISH,
    "AZ": _AZERBAIJANI,
    "KG": _KYRGYZ,
    "UZ": _UZBEK,
    "TJ": _TAJIK,
    "AM": _ARMENIAN,
    "GE": _GEORGIAN,
    "MN": _MONGOLIAN,
    "IQ": _ARABIC,
    "PK": _PAKISTANI,
    "IN": _INDIAN,
    "CN": _CHINESE,
    "JP": _JAPANESE,
    "KR": _KOREAN,
}

_DOCUMENT_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_BORN_FROM = date(1956, 1, 1)
_BORN_SPAN_DAYS = 38 * 365


def person(index: int, citizenship: str) -> dict:
    """The index-th demo person (unique per index): a batch row for the desk's services."""
    (first_latin, first_cyrillic), (last_latin, last_cyrillic) = NAMES[citizenship].person(index)
    # 7919 is prime to 10**7: every index below ten million gets its own serial.
    serial = (index * 7919 + 1_234_567) % 10_000_000
    letters = _DOCUMENT_LETTERS[index % 23] + _DOCUMENT_LETTERS[(index // 23) % 23]
    return {
        "last_name_latin": last_latin,
        "first_name_latin": first_latin,
        "last_name_cyrillic": last_cyrillic,
        "first_name_cyrillic": first_cyrillic,
        "citizenship": citizenship,
        "date_of_birth": _BORN_FROM + timedelta(days=(index * 2741) % _BORN_SPAN_DAYS),
        "document_number": f"{letters}{serial:07d}",
    }


def batch_rows() -> dict[str, list[dict]]:
    """Every batch's nominees by reference, numbered through all batches in order."""
    organizations = {data.key: data for data in ORGANIZATIONS}
    rows: dict[str, list[dict]] = {}
    index = 0
    for batch in BATCHES:
        organization = organizations.get(batch.body)
        nominees = []
        for _ in range(batch.size):
            if organization is None:
                citizenship = batch.body
            else:
                citizenships = organization.citizenships
                citizenship = citizenships[index % len(citizenships)]
            nominees.append(person(index, citizenship))
            index += 1
        rows[batch.reference] = nominees
    return rows


def _states() -> list[str]:
    """The ISO codes of the nominating states."""
    return sorted({data.body for data in BATCHES} - {data.key for data in ORGANIZATIONS})


def working_day_before(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def astana_time(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=ZONE)


# LOADING


def translated(field: str, names: Names) -> dict[str, str]:
    return {f"{field}_{language}": value for language, value in names.items()}


def load(*, upsert: Upsert, election) -> Counter[tuple[type[models.Model], str]]:
    """Load the demo's accreditation for `election` (the Mazhilis election of 19 March 2023).

    `upsert(model, key, values, create=...)` finds a row by its natural key and writes it only
    when missing or different (load_demo's). Returns what the desk's services wrote.
    """
    written: Counter[tuple[type[models.Model], str]] = Counter()
    agencies = {data.key: _load_agency(upsert, data) for data in AGENCIES}
    bodies = _load_bodies(upsert, agencies)
    rows = batch_rows()
    for data in BATCHES:
        _load_batch(data, bodies[data.body], rows[data.reference], election, written)
    for data in REVOCATIONS:
        _load_revocation(data, rows, election, written)
    return written


def _load_agency(upsert: Upsert, data: AgencyData) -> Agency:
    values = {
        "name_ru": data.name["ru"],
        "name_kk": data.name["kk"],
        "kind": data.kind,
        "contact_email": data.contact_email,
    }
    return upsert(
        Agency,
        {"name_en": data.name["en"]},
        values,
        create=partial(agency_create, name=data.name["en"], **values),
    )


def _load_bodies(upsert: Upsert, agencies: dict[str, Agency]) -> dict[str, NominatingBody]:
    def body(key: dict, values: dict) -> NominatingBody:
        return upsert(
            NominatingBody,
            key,
            values,
            create=partial(nominating_body_create, actor=None, **key, **values),
        )

    bodies: dict[str, NominatingBody] = {}
    for code in _states():
        bodies[code] = body(
            {"kind": BodyKind.STATE, "country": code},
            {
                "contact_email": f"embassy.{code.lower()}@example.org",
                "language": "ru" if code in RUSSIAN_SPEAKING else "en",
                "agency": agencies["mfa"],
            },
        )
    for data in ORGANIZATIONS:
        bodies[data.key] = body(
            {"kind": BodyKind.ORGANIZATION, "name_en": data.name["en"]},
            {
                "name_ru": data.name["ru"],
                "name_kk": data.name["kk"],
                **translated("short_name", data.short_name),
                "contact_email": data.contact_email,
                "language": data.language,
                "agency": agencies[data.agency],
            },
        )
    regions = Region.objects.in_bulk(
        [a.region for a in ASSOCIATIONS if a.region], field_name="code"
    )
    for data in ASSOCIATIONS:
        body(
            {"kind": BodyKind.ASSOCIATION, "name_en": data.name["en"]},
            {
                "name_ru": data.name["ru"],
                "name_kk": data.name["kk"],
                **translated("short_name", data.short_name),
                "contact_email": data.contact_email,
                "language": "kk",
                "region": regions[data.region] if data.region else None,
                "accredited_from": data.accredited_from,
                "accredited_until": data.accredited_until,
            },
        )
    return bodies


def _load_batch(
    data: BatchData, body: NominatingBody, rows: list[dict], election, written: Counter
) -> None:
    """Nominate the batch the working day before its decision, then decide what is undecided."""
    # Submitted through the API by the agency that submits for the body (for states, the
    # Ministry of Foreign Affairs); decided by the desk.
    result = nomination_batch_submit(
        actor=body.agency.user,
        election=election,
        body=body,
        rows=rows,
        source=BatchSource.API,
        reference=data.reference,
        at=astana_time(working_day_before(data.day), SUBMISSION_TIME),
    )
    if result.created:
        written[NominationBatch, "created"] += 1
        written[Observer, "created"] += len(rows)
    nominees = list(result.batch.observers.order_by("pk"))
    decided_at = astana_time(data.day, DECISION_TIME)
    to_accredit = [o for o in nominees[: data.accredited] if o.status == ObserverStatus.SUBMITTED]
    if to_accredit:
        observers_accredit(actor=None, observers=to_accredit, at=decided_at)
        written[Observer, "updated"] += len(to_accredit)
    for observer, reason in zip(nominees[data.accredited :], data.refused, strict=True):
        if observer.status == ObserverStatus.SUBMITTED:
            observer_refuse(actor=None, observer=observer, reason=reason, at=decided_at)
            written[Observer, "updated"] += 1


def _load_revocation(data: RevocationData, rows: dict[str, list[dict]], election, written) -> None:
    row = rows[data.batch][data.position]
    observer = Observer.objects.get(
        election=election,
        batch__reference=data.batch,
        citizenship=row["citizenship"],
        document_number=row["document_number"],
    )
    if observer.status == ObserverStatus.ACCREDITED:
        observer_revoke(actor=None, observer=observer, reason=data.reason, at=data.at)
        written[Observer, "updated"] += 1


def expected_rows() -> dict[type[models.Model], int]:
    """How many rows of each kind the demo holds (for load_demo's report)."""
    return {
        Agency: len(AGENCIES),
        NominatingBody: len(_states()) + len(ORGANIZATIONS) + len(ASSOCIATIONS),
        NominationBatch: len(BATCHES),
        Observer: sum(data.size for data in BATCHES),
    }
