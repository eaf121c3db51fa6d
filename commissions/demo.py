"""The demo scenario: the early Mazhilis and maslikhat elections of 19 March 2023.

Plain data, loaded by `python manage.py load_demo`. Regions, elections, parties and the CEC's
members are public facts (see /work/shared/domain.md). Polling stations, precinct commissions,
their members and the demo accounts are invented for the demo: the numbers, addresses and people
are plausible, not real. Every name is given in English, Russian and Kazakh; each record names
the natural key the loader finds it by, so loading twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.choices import Role

from .choices import CommissionLevel, ElectionKind, MemberRole, RegionKind

# {"en": ..., "ru": ..., "kk": ...}: one value per language of the site.
Names = dict[str, str]

ELECTION_DAY = date(2023, 3, 19)
CALLED_ON = date(2023, 1, 19)
# Abai, Zhetysu and Ulytau oblasts were formed on this day.
NEW_OBLASTS_ESTABLISHED_ON = date(2022, 6, 8)
# A demo date, not anybody's real appointment: memberships must simply be current in March 2023.
MEMBERS_SINCE = date(2023, 1, 20)


@dataclass(frozen=True)
class RegionData:
    code: str
    kind: str
    timezone: str
    name: Names
    commission: Names  # its territorial election commission
    established_on: date | None = None


@dataclass(frozen=True)
class ElectionData:
    kind: str
    name: Names
    description: Names


@dataclass(frozen=True)
class PartyData:
    name: Names
    short_name: Names  # short_name["en"] is the natural key


@dataclass(frozen=True)
class StationData:
    """A polling station and its precinct commission (same number, same region)."""

    number: int
    name: Names
    address: Names
    region: str | None  # a region code; None for a station abroad
    country: str = "KZ"
    timezone: str = ""  # empty: the region's zone
    egov_check_available: bool = False
    temporary_registration_allowed: bool = False
    special_kind: str = ""

    @property
    def is_abroad(self) -> bool:
        return self.region is None

    @property
    def commission_region(self) -> str:
        # Stations abroad are administered from the capital: their precinct commissions sit
        # under the Astana territorial commission.
        return self.region or ABROAD_ADMINISTERED_BY


@dataclass(frozen=True)
class CommissionRef:
    """Which commission: the CEC, a region's territorial commission, or a precinct's."""

    level: str
    region: str | None = None
    number: int | None = None


CEC = CommissionRef(CommissionLevel.CEC)


def territorial(region: str) -> CommissionRef:
    return CommissionRef(CommissionLevel.TERRITORIAL, region)


def precinct(region: str, number: int) -> CommissionRef:
    return CommissionRef(CommissionLevel.PRECINCT, region, number)


@dataclass(frozen=True)
class MemberData:
    commission: CommissionRef
    full_name: Names  # full_name["en"] is the natural key within the commission
    role: str
    party: str | None = None  # a party's English short name
    email: str = ""
    account: str | None = None  # the username of a demo account working as this member


@dataclass(frozen=True)
class AccountData:
    username: str
    role: str
    first_name: str
    last_name: str
    preferred_language: str


# REGIONS: 17 oblasts and 3 cities of republican significance, as of March 2023.

_OBLAST = RegionKind.OBLAST
_CITY = RegionKind.CITY
_UTC6 = "Asia/Almaty"

REGIONS: tuple[RegionData, ...] = (
    RegionData(
        "abai",
        _OBLAST,
        _UTC6,
        {"en": "Abai Region", "ru": "Абайская область", "kk": "Абай облысы"},
        {
            "en": "Abai Region Territorial Election Commission",
            "ru": "Абайская областная территориальная избирательная комиссия",
            "kk": "Абай облыстық аумақтық сайлау комиссиясы",
        },
        established_on=NEW_OBLASTS_ESTABLISHED_ON,
    ),
    RegionData(
        "akmola",
        _OBLAST,
        _UTC6,
        {"en": "Akmola Region", "ru": "Акмолинская область", "kk": "Ақмола облысы"},
        {
            "en": "Akmola Region Territorial Election Commission",
            "ru": "Акмолинская областная территориальная избирательная комиссия",
            "kk": "Ақмола облыстық аумақтық сайлау комиссиясы",
        },
    ),
    RegionData(
        "aktobe",
        _OBLAST,
        "Asia/Aqtobe",
        {"en": "Aktobe Region", "ru": "Актюбинская область", "kk": "Ақтөбе облысы"},
        {
            "en": "Aktobe Region Territorial Election Commission",
            "ru": "Актюбинская областная территориальная избирательная комиссия",
            "kk": "Ақтөбе облыстық аумақтық сайлау комиссиясы",
        },
    ),
    RegionData(
        "almaty-region",
        _OBLAST,
        _UTC6,
        {"en": "Almaty Region", "ru": "Алматинская область", "kk": "Алматы облысы"},
        {
            "en": "Almaty Region Territorial Election Commission",
            "ru": "Алматинская областная территориальная избирательная комиссия",
            "kk": "Алматы облыстық аумақтық сайлау комиссиясы",
        },
    ),
    RegionData(
        "atyrau",
        _OBLAST,
        "Asia/Atyrau",
        {"en": "Atyrau Region", "ru": "Атырауская область", "kk": "Атырау облысы"},
        {
            "en": "Atyrau Region Territorial Election Commission",
            "ru": "Атырауская областная территориальная избирательная комиссия",
            "kk": "Атырау облыстық аумақтық сайлау комиссиясы",
        },
    ),
    RegionData(
        "west-kazakhstan",
        _OBLAST,
        "Asia/Oral",
        {
            "en": "West Kazakhstan Region",
            "ru": "Западно-Казахстанская область",
            "kk": "Батыс Қазақстан облысы",
        },
        {
            "en": "West Kazakhstan Region Territorial Election Commission",
            "ru": "Западно-Казахстанская областная территориальная избирательная комиссия",
            "kk": "Батыс Қазақстан облыстық аумақтық сайлау комиссиясы",
        },
    ),
    RegionData(
        "zhambyl",
        _OBLAST,
        _UTC6,
        {"en": "Zhambyl Region", "ru": "Жамбылская область", "kk": "Жамбыл облысы"},
        {
            "en": "Zhambyl Region Territorial Election Commission",
            "ru": "Жамбылская областная территориальная избирательная комиссия",
            "kk": "Жамбыл облыстық аумақтық сайлау комиссиясы",
        },
    ),
    RegionData(
        "zhetysu",
        _OBLAST,
        _UTC6,
        {"en": "Zhetysu Region", "ru": "Жетысуская область", "kk": "Жетісу облысы"},
        {
            "en": "Zhetysu Region Territorial Election Commission",
            "ru": "Жетысуская областная территориальная избирательная комиссия",
            "kk": "Жетісу облыстық аумақтық сайлау комиссиясы",
        },
        established_on=NEW_OBLASTS_ESTABLISHED_ON,
    ),
    RegionData(
        "karaganda",
        _OBLAST,
        _UTC6,
        {"en": "Karaganda Region", "ru": "Карагандинская область", "kk": "Қарағанды облысы"},
        {
            "en": "Karaganda Region Territorial Election Commission",
            "ru": "Карагандинская областная территориальная избирательная комиссия",
            "kk": "Қарағанды облыстық аумақтық сайлау комиссиясы",
        },
    ),
    RegionData(
        "kostanay",
        _OBLAST,
        "Asia/Qostanay",
        {"en": "Kostanay Region", "ru": "Костанайская область", "kk": "Қостанай облысы"},
        {
            "en": "Kostanay Region Territorial Election Commission",
            "ru": "Костанайская областная территориальная избирательная комиссия",
            "kk": "Қостанай облыстық аумақтық сайлау комиссиясы",
        },
    ),
    RegionData(
        "kyzylorda",
        _OBLAST,
        "Asia/Qyzylorda",
        {"en": "Kyzylorda Region", "ru": "Кызылординская область", "kk": "Қызылорда облысы"},
        {
            "en": "Kyzylorda Region Territorial Election Commission",
            "ru": "Кызылординская областная территориальная избирательная комиссия",
            "kk": "Қызылорда облыстық аумақтық сайлау комиссиясы",
        },
    ),
    RegionData(
        "mangystau",
        _OBLAST,
        "Asia/Aqtau",
        {"en": "Mangystau Region", "ru": "Мангистауская область", "kk": "Маңғыстау облысы"},
        {
            "en": "Mangystau Region Territorial Election Commission",
            "ru": "Мангистауская областная территориальная избирательная комиссия",
            "kk": "Маңғыстау облыстық аумақтық сайлау комиссиясы",
        },
    ),
    RegionData(
        "pavlodar",
        _OBLAST,
        _UTC6,
        {"en": "Pavlodar Region", "ru": "Павлодарская область", "kk": "Павлодар облысы"},
        {
            "en": "Pavlodar Region Territorial Election Commission",
            "ru": "Павлодарская областная территориальная избирательная комиссия",
            "kk": "Павлодар облыстық аумақтық сайлау комиссиясы",
        },
    ),
    RegionData(
        "north-kazakhstan",
        _OBLAST,
        _UTC6,
        {
            "en": "North Kazakhstan Region",
            "ru": "Северо-Казахстанская область",
            "kk": "Солтүстік Қазақстан облысы",
        },
        {
            "en": "North Kazakhstan Region Territorial Election Commission",
            "ru": "Северо-Казахстанская областная территориальная избирательная комиссия",
            "kk": "Солтүстік Қазақстан облыстық аумақтық сайлау комиссиясы",
        },
    ),
    RegionData(
        "turkistan",
        _OBLAST,
        _UTC6,
        {"en": "Turkistan Region", "ru": "Туркестанская область", "kk": "Түркістан облысы"},
        {
            "en": "Turkistan Region Territorial Election Commission",
            "ru": "Туркестанская областная территориальная избирательная комиссия",
            "kk": "Түркістан облыстық аумақтық сайлау комиссиясы",
        },
    ),
    RegionData(
        "ulytau",
        _OBLAST,
        _UTC6,
        {"en": "Ulytau Region", "ru": "Улытауская область", "kk": "Ұлытау облысы"},
        {
            "en": "Ulytau Region Territorial Election Commission",
            "ru": "Улытауская областная территориальная избирательная комиссия",
            "kk": "Ұлытау облыстық аумақтық сайлау комиссиясы",
        },
        established_on=NEW_OBLASTS_ESTABLISHED_ON,
    ),
    RegionData(
        "east-kazakhstan",
        _OBLAST,
        _UTC6,
        {
            "en": "East Kazakhstan Region",
            "ru": "Восточно-Казахстанская область",
            "kk": "Шығыс Қазақстан облысы",
        },
        {
            "en": "East Kazakhstan Region Territorial Election Commission",
            "ru": "Восточно-Казахстанская областная территориальная избирательная комиссия",
            "kk": "Шығыс Қазақстан облыстық аумақтық сайлау комиссиясы",
        },
    ),
    RegionData(
        "astana",
        _CITY,
        _UTC6,
        {"en": "Astana", "ru": "Астана", "kk": "Астана"},
        {
            "en": "Astana City Territorial Election Commission",
            "ru": "Астанинская городская территориальная избирательная комиссия",
            "kk": "Астана қалалық аумақтық сайлау комиссиясы",
        },
    ),
    RegionData(
        "almaty",
        _CITY,
        _UTC6,
        {"en": "Almaty", "ru": "Алматы", "kk": "Алматы"},
        {
            "en": "Almaty City Territorial Election Commission",
            "ru": "Алматинская городская территориальная избирательная комиссия",
            "kk": "Алматы қалалық аумақтық сайлау комиссиясы",
        },
    ),
    RegionData(
        "shymkent",
        _CITY,
        _UTC6,
        {"en": "Shymkent", "ru": "Шымкент", "kk": "Шымкент"},
        {
            "en": "Shymkent City Territorial Election Commission",
            "ru": "Шымкентская городская территориальная избирательная комиссия",
            "kk": "Шымкент қалалық аумақтық сайлау комиссиясы",
        },
    ),
)

ABROAD_ADMINISTERED_BY = "astana"

# ELECTIONS: both held on 19 March 2023, both early, both called on 19 January 2023.

ELECTIONS: tuple[ElectionData, ...] = (
    ElectionData(
        ElectionKind.MAZHILIS,
        {
            "en": "Early elections of deputies of the Mazhilis of the Parliament "
            "of the Republic of Kazakhstan",
            "ru": "Внеочередные выборы депутатов Мажилиса Парламента Республики Казахстан",
            "kk": "Қазақстан Республикасы Парламенті Мәжілісінің депутаттарын кезектен тыс сайлау",
        },
        {
            "en": "98 deputies: 69 from party lists in one nationwide constituency "
            "(5% threshold) and 29 from single-member territorial districts.",
            "ru": "98 депутатов: 69 по партийным спискам по единому общенациональному "
            "избирательному округу (барьер 5 %) и 29 по одномандатным территориальным "
            "избирательным округам.",
            "kk": "98 депутат: 69-ы біртұтас жалпыұлттық сайлау округі бойынша партиялық "
            "тізімдермен (5 % кедергі) және 29-ы бір мандатты аумақтық сайлау "
            "округтері бойынша.",
        },
    ),
    ElectionData(
        ElectionKind.MASLIKHAT,
        {
            "en": "Early elections of deputies of the maslikhats of the Republic of Kazakhstan",
            "ru": "Внеочередные выборы депутатов маслихатов Республики Казахстан",
            "kk": "Қазақстан Республикасы мәслихаттарының депутаттарын кезектен тыс сайлау",
        },
        {
            "en": "20 maslikhats of the oblasts, the cities of republican significance and "
            "the capital, 37 city and 166 district maslikhats.",
            "ru": "20 маслихатов областей, городов республиканского значения и столицы, "
            "37 городских и 166 районных маслихатов.",
            "kk": "Облыстардың, республикалық маңызы бар қалалардың және астананың "
            "20 мәслихаты, 37 қалалық және 166 аудандық мәслихат.",
        },
    ),
)

# PARTIES: the seven that ran in 2023.

PARTIES: tuple[PartyData, ...] = (
    PartyData(
        {"en": "AMANAT Party", "ru": "Партия «AMANAT»", "kk": "«AMANAT» партиясы"},
        {"en": "AMANAT", "ru": "AMANAT", "kk": "AMANAT"},
    ),
    PartyData(
        {
            "en": "Auyl People's Democratic Patriotic Party",
            "ru": "Народно-демократическая патриотическая партия «Ауыл»",
            "kk": "«Ауыл» халықтық-демократиялық патриоттық партиясы",
        },
        {"en": "Auyl", "ru": "Ауыл", "kk": "Ауыл"},
    ),
    PartyData(
        {"en": "Respublica Party", "ru": "Партия «Respublica»", "kk": "«Respublica» партиясы"},
        {"en": "Respublica", "ru": "Respublica", "kk": "Respublica"},
    ),
    PartyData(
        {
            "en": "People's Party of Kazakhstan",
            "ru": "Народная партия Казахстана",
            "kk": "Қазақстан Халық партиясы",
        },
        {"en": "People's Party", "ru": "Народная партия", "kk": "Халық партиясы"},
    ),
    PartyData(
        {
            "en": "Baitak Kazakhstan Green Party",
            "ru": "Казахстанская партия зелёных «Байтак»",
            "kk": "«Байтақ» Қазақстан жасылдар партиясы",
        },
        {"en": "Baitak", "ru": "Байтак", "kk": "Байтақ"},
    ),
    PartyData(
        {
            "en": "Aq Jol Democratic Party of Kazakhstan",
            "ru": "Демократическая партия Казахстана «Ак жол»",
            "kk": "«Ақ жол» Қазақстан демократиялық партиясы",
        },
        {"en": "Aq Jol", "ru": "Ак жол", "kk": "Ақ жол"},
    ),
    PartyData(
        {
            "en": "National Social Democratic Party",
            "ru": "Общенациональная социал-демократическая партия",
            "kk": "Жалпыұлттық социал-демократиялық партия",
        },
        {"en": "NSDP", "ru": "ОСДП", "kk": "ЖСДП"},
    ),
)

# THE CENTRAL ELECTION COMMISSION

CEC_NAME: Names = {
    "en": "Central Election Commission of the Republic of Kazakhstan",
    "ru": "Центральная избирательная комиссия Республики Казахстан",
    "kk": "Қазақстан Республикасының Орталық сайлау комиссиясы",
}

# POLLING STATIONS (invented): both time zones of 2023, e-Gov checks, temporary registration,
# a hospital, a shift camp, and two stations abroad at embassies.

STATIONS: tuple[StationData, ...] = (
    StationData(
        12,
        {
            "en": "Secondary school No. 12",
            "ru": "Средняя школа № 12",
            "kk": "№ 12 жалпы білім беретін мектеп",
        },
        {
            "en": "Astana, 14 Kenesary Street",
            "ru": "Астана, улица Кенесары, 14",
            "kk": "Астана, Кенесары көшесі, 14",
        },
        "astana",
        egov_check_available=True,
    ),
    StationData(
        45,
        {"en": "Gymnasium No. 45", "ru": "Гимназия № 45", "kk": "№ 45 гимназия"},
        {
            "en": "Astana, 20 Turan Avenue",
            "ru": "Астана, проспект Туран, 20",
            "kk": "Астана, Тұран даңғылы, 20",
        },
        "astana",
        egov_check_available=True,
        temporary_registration_allowed=True,
    ),
    StationData(
        230,
        {
            "en": "City Multidisciplinary Hospital No. 2",
            "ru": "Городская многопрофильная больница № 2",
            "kk": "№ 2 қалалық көпбейінді аурухана",
        },
        {
            "en": "Astana, 3 Zhenis Avenue",
            "ru": "Астана, проспект Женис, 3",
            "kk": "Астана, Жеңіс даңғылы, 3",
        },
        "astana",
        special_kind="hospital",
    ),
    StationData(
        101,
        {
            "en": "Secondary school No. 25",
            "ru": "Средняя школа № 25",
            "kk": "№ 25 жалпы білім беретін мектеп",
        },
        {
            "en": "Almaty, 52 Abay Avenue",
            "ru": "Алматы, проспект Абая, 52",
            "kk": "Алматы, Абай даңғылы, 52",
        },
        "almaty",
        egov_check_available=True,
    ),
    StationData(
        245,
        {"en": "College of Communications", "ru": "Колледж связи", "kk": "Байланыс колледжі"},
        {
            "en": "Almaty, 71 Al-Farabi Avenue",
            "ru": "Алматы, проспект аль-Фараби, 71",
            "kk": "Алматы, әл-Фараби даңғылы, 71",
        },
        "almaty",
        egov_check_available=True,
        temporary_registration_allowed=True,
    ),
    StationData(
        150,
        {
            "en": "Secondary school No. 8",
            "ru": "Средняя школа № 8",
            "kk": "№ 8 жалпы білім беретін мектеп",
        },
        {
            "en": "Shymkent, 15 Tauke Khan Avenue",
            "ru": "Шымкент, проспект Тауке хана, 15",
            "kk": "Шымкент, Тәуке хан даңғылы, 15",
        },
        "shymkent",
    ),
    StationData(
        310,
        {
            "en": "Secondary school No. 3",
            "ru": "Средняя школа № 3",
            "kk": "№ 3 жалпы білім беретін мектеп",
        },
        {
            "en": "Aktobe, 40 Abilkaiyr Khan Avenue",
            "ru": "Актобе, проспект Абилкайыр хана, 40",
            "kk": "Ақтөбе, Әбілқайыр хан даңғылы, 40",
        },
        "aktobe",
        egov_check_available=True,
    ),
    StationData(
        420,
        {"en": "House of Culture", "ru": "Дом культуры", "kk": "Мәдениет үйі"},
        {
            "en": "Atyrau, 12 Satpayev Avenue",
            "ru": "Атырау, проспект Сатпаева, 12",
            "kk": "Атырау, Сәтбаев даңғылы, 12",
        },
        "atyrau",
    ),
    StationData(
        515,
        {
            "en": "Secondary school No. 9",
            "ru": "Средняя школа № 9",
            "kk": "№ 9 жалпы білім беретін мектеп",
        },
        {
            "en": "Aktau, 5th microdistrict, building 9",
            "ru": "Актау, 5-й микрорайон, здание 9",
            "kk": "Ақтау, 5-шағын аудан, 9-ғимарат",
        },
        "mangystau",
        egov_check_available=True,
    ),
    StationData(
        540,
        {
            "en": "Karazhanbas oil field shift camp",
            "ru": "Вахтовый посёлок месторождения Каражанбас",
            "kk": "Қаражанбас кен орнының вахталық кенті",
        },
        {
            "en": "Tupkaragan District, Karazhanbas oil field",
            "ru": "Тупкараганский район, месторождение Каражанбас",
            "kk": "Түпқараған ауданы, Қаражанбас кен орны",
        },
        "mangystau",
        special_kind="shift_camp",
    ),
    StationData(
        612,
        {
            "en": "Secondary school No. 7",
            "ru": "Средняя школа № 7",
            "kk": "№ 7 жалпы білім беретін мектеп",
        },
        {
            "en": "Karaganda, 30 Bukhar-Zhyrau Avenue",
            "ru": "Караганда, проспект Бухар-Жырау, 30",
            "kk": "Қарағанды, Бұқар жырау даңғылы, 30",
        },
        "karaganda",
        egov_check_available=True,
    ),
    StationData(
        705,
        {
            "en": "Secondary school No. 1",
            "ru": "Средняя школа № 1",
            "kk": "№ 1 жалпы білім беретін мектеп",
        },
        {
            "en": "Kostanay, 10 Baimagambetov Street",
            "ru": "Костанай, улица Баймагамбетова, 10",
            "kk": "Қостанай, Баймағамбетов көшесі, 10",
        },
        "kostanay",
    ),
    StationData(
        9001,
        {
            "en": "Embassy of the Republic of Kazakhstan in the Republic of Türkiye",
            "ru": "Посольство Республики Казахстан в Турецкой Республике",
            "kk": "Қазақстан Республикасының Түркия Республикасындағы елшілігі",
        },
        {"en": "Ankara, Türkiye", "ru": "Анкара, Турция", "kk": "Анкара, Түркия"},
        None,
        country="TR",
        timezone="Europe/Istanbul",
    ),
    StationData(
        9002,
        {
            "en": "Embassy of the Republic of Kazakhstan in the Russian Federation",
            "ru": "Посольство Республики Казахстан в Российской Федерации",
            "kk": "Қазақстан Республикасының Ресей Федерациясындағы елшілігі",
        },
        {"en": "Moscow, Russia", "ru": "Москва, Россия", "kk": "Мәскеу, Ресей"},
        None,
        country="RU",
        timezone="Europe/Moscow",
    ),
)

PRECINCT_COMMISSION_NAME: Names = {
    "en": "Precinct Election Commission No. {number}",
    "ru": "Участковая избирательная комиссия № {number}",
    "kk": "№ {number} учаскелік сайлау комиссиясы",
}

# DEMO ACCOUNTS: usernames start with "demo-" (demo_admin lists them by that prefix).

ACCOUNTS: tuple[AccountData, ...] = (
    AccountData("demo-cec", Role.CEC_STAFF, "Zhanna", "Akhmetova", "en"),
    AccountData("demo-astana", Role.TERRITORIAL_STAFF, "Arman", "Seitkali", "ru"),
    AccountData("demo-precinct", Role.PRECINCT_MEMBER, "Dinara", "Omarova", "kk"),
)

# MEMBERS: the CEC of 2023 (public), then invented staff and precinct commission members with one
# nominee per party per commission.

_CHAIR = MemberRole.CHAIR
_DEPUTY = MemberRole.DEPUTY_CHAIR
_SECRETARY = MemberRole.SECRETARY
_MEMBER = MemberRole.MEMBER
_STAFF = MemberRole.STAFF

MEMBERS: tuple[MemberData, ...] = (
    MemberData(
        CEC, {"en": "Nurlan Abdirov", "ru": "Нурлан Абдиров", "kk": "Нұрлан Әбдіров"}, _CHAIR
    ),
    MemberData(
        CEC,
        {"en": "Konstantin Petrov", "ru": "Константин Петров", "kk": "Константин Петров"},
        _DEPUTY,
    ),
    MemberData(
        CEC, {"en": "Mukhtar Yerman", "ru": "Мухтар Ерман", "kk": "Мұхтар Ерман"}, _SECRETARY
    ),
    MemberData(
        CEC,
        {"en": "Anastasia Schegortsova", "ru": "Анастасия Щегорцова", "kk": "Анастасия Щегорцова"},
        _MEMBER,
    ),
    MemberData(
        CEC, {"en": "Sabila Mustafina", "ru": "Сабила Мустафина", "kk": "Сабила Мұстафина"}, _MEMBER
    ),
    MemberData(
        CEC, {"en": "Shavkhat Utemisov", "ru": "Шавхат Утемисов", "kk": "Шавхат Өтемісов"}, _MEMBER
    ),
    # Staff (non-voting) with demo accounts.
    MemberData(
        CEC,
        {"en": "Zhanna Akhmetova", "ru": "Жанна Ахметова", "kk": "Жанна Ахметова"},
        _STAFF,
        email="demo-cec@example.org",
        account="demo-cec",
    ),
    MemberData(
        territorial("astana"),
        {"en": "Arman Seitkali", "ru": "Арман Сейткали", "kk": "Арман Сейітқали"},
        _STAFF,
        email="demo-astana@example.org",
        account="demo-astana",
    ),
    # Precinct commission No. 12, Astana.
    MemberData(
        precinct("astana", 12),
        {"en": "Aigerim Sadykova", "ru": "Айгерим Садыкова", "kk": "Әйгерім Садықова"},
        _CHAIR,
        party="AMANAT",
        email="a.sadykova@example.org",
    ),
    MemberData(
        precinct("astana", 12),
        {"en": "Yerlan Tokhtarov", "ru": "Ерлан Тохтаров", "kk": "Ерлан Тоқтаров"},
        _DEPUTY,
        party="Auyl",
    ),
    MemberData(
        precinct("astana", 12),
        {"en": "Dinara Omarova", "ru": "Динара Омарова", "kk": "Динара Омарова"},
        _SECRETARY,
        party="Aq Jol",
        email="demo-precinct@example.org",
        account="demo-precinct",
    ),
    MemberData(
        precinct("astana", 12),
        {"en": "Ruslan Kim", "ru": "Руслан Ким", "kk": "Руслан Ким"},
        _MEMBER,
        party="Respublica",
    ),
    MemberData(
        precinct("astana", 12),
        {"en": "Gulnara Zhaksylykova", "ru": "Гульнара Жаксылыкова", "kk": "Гүлнара Жақсылықова"},
        _MEMBER,
        party="People's Party",
    ),
    # Precinct commission No. 101, Almaty.
    MemberData(
        precinct("almaty", 101),
        {"en": "Marat Iskakov", "ru": "Марат Искаков", "kk": "Марат Ысқақов"},
        _CHAIR,
        party="AMANAT",
        email="m.iskakov@example.org",
    ),
    MemberData(
        precinct("almaty", 101),
        {"en": "Saule Bekova", "ru": "Сауле Бекова", "kk": "Сәуле Бекова"},
        _SECRETARY,
        party="NSDP",
    ),
    MemberData(
        precinct("almaty", 101),
        {"en": "Olga Ivanova", "ru": "Ольга Иванова", "kk": "Ольга Иванова"},
        _MEMBER,
        party="Baitak",
    ),
    # Precinct commission No. 310, Aktobe.
    MemberData(
        precinct("aktobe", 310),
        {"en": "Nurbol Zhumabayev", "ru": "Нурбол Жумабаев", "kk": "Нұрбол Жұмабаев"},
        _CHAIR,
        party="AMANAT",
    ),
    MemberData(
        precinct("aktobe", 310),
        {"en": "Asel Kairatova", "ru": "Асель Кайратова", "kk": "Әсел Қайратова"},
        _SECRETARY,
        party="Auyl",
    ),
)
