"""A national-size station registry for the demo and the benchmarks: `load_demo --stations N`.

N stations in the proportions of 19 March 2023 (10,146 at home in the 20 regions, 77 abroad in
10,223): the home stations shared among the regions, numbered from HOME_FIRST in each, each run
by its own precinct commission of that number; the stations abroad numbered from ABROAD_FIRST,
run by precinct commissions of Astana's territorial commission, in the time zone of their
country. Names, addresses, coordinates (near the region's centre), accessibility, e-Gov checks
(about 40 %, 4,055 of 10,223 in 2023) and temporary registration (about 188 of 10,223) are
invented, deterministic: the same N always gives the same registry.

Written through the services, not in bulk: each missing precinct commission through
`core.services.model_create`, the stations through the station import (`polling.imports`,
`polling_station_create`/`polling_station_update`), so the generated registry keeps every rule
and has its audit records like any other. Idempotent: a commission or station that exists is
found by its key and left as it is when it does not differ (a second load writes nothing).
The numbers stay clear of the hand-written demo's stations (below 1000 at home, 9001 and 9002
abroad).
"""

from __future__ import annotations

from collections.abc import Iterator

from commissions.choices import CommissionLevel
from commissions.models import Commission, Region
from core.demo import Demo
from core.services import model_create
from core.spreadsheets import SpreadsheetRow

from .. import imports
from ..models import PollingStation

NATIONAL_STATIONS = 10_223
NATIONAL_ABROAD = 77
HOME_FIRST = 1001
ABROAD_FIRST = 9101
ABROAD_REGION = "astana"

# Approximate centres (degrees north, east) of the regions' main towns.
CENTRES = {
    "abai": (50.41, 80.25),
    "akmola": (53.28, 69.39),
    "aktobe": (50.28, 57.17),
    "almaty-region": (43.90, 77.00),
    "atyrau": (47.10, 51.92),
    "west-kazakhstan": (51.23, 51.37),
    "zhambyl": (42.90, 71.37),
    "zhetysu": (45.02, 78.38),
    "karaganda": (49.80, 73.09),
    "kostanay": (53.21, 63.62),
    "kyzylorda": (44.85, 65.51),
    "mangystau": (43.65, 51.16),
    "pavlodar": (52.29, 76.97),
    "north-kazakhstan": (54.87, 69.15),
    "turkistan": (43.30, 68.25),
    "ulytau": (47.78, 67.71),
    "east-kazakhstan": (49.95, 82.62),
    "astana": (51.17, 71.45),
    "almaty": (43.24, 76.89),
    "shymkent": (42.32, 69.59),
}
# Countries of the missions and their zones (cycled).
ABROAD = [
    ("RU", "Europe/Moscow", "Moscow", "Москва", "Мәскеу"),
    ("TR", "Europe/Istanbul", "Ankara", "Анкара", "Анкара"),
    ("DE", "Europe/Berlin", "Berlin", "Берлин", "Берлин"),
    ("US", "America/New_York", "Washington", "Вашингтон", "Вашингтон"),
    ("CN", "Asia/Shanghai", "Beijing", "Пекин", "Бейжің"),
    ("UZ", "Asia/Tashkent", "Tashkent", "Ташкент", "Ташкент"),
    ("KG", "Asia/Bishkek", "Bishkek", "Бишкек", "Бішкек"),
    ("AE", "Asia/Dubai", "Abu Dhabi", "Абу-Даби", "Әбу-Даби"),
    ("GB", "Europe/London", "London", "Лондон", "Лондон"),
    ("KR", "Asia/Seoul", "Seoul", "Сеул", "Сеул"),
    ("JP", "Asia/Tokyo", "Tokyo", "Токио", "Токио"),
    ("FR", "Europe/Paris", "Paris", "Париж", "Париж"),
]
SPECIAL = ["military", "hospital", "sanatorium", "detention", "pasture", "shift_camp"]


def _share(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _facilities(serial: int) -> dict[str, str]:
    special = SPECIAL[serial // 97 % len(SPECIAL)] if serial % 97 == 0 else ""
    return {
        "phone": f"+7717{serial % 10_000_000:07d}",
        "special_kind": special,
        "step_free_entrance": _flag(serial % 3 != 0),
        "has_ramp": _flag(serial % 4 == 0),
        "accessible_booth": _flag(serial % 5 < 2),
        "egov_check_available": _flag(serial * 4055 % NATIONAL_STATIONS < 4055),
        "temporary_registration_allowed": _flag(serial % 54 == 0),
    }


def national_rows(total: int, regions: dict[str, Region]) -> Iterator[dict[str, str]]:
    """The registry's rows, as the import's columns (`polling.imports.COLUMNS`)."""
    abroad = round(total * NATIONAL_ABROAD / NATIONAL_STATIONS)
    codes = [code for code in CENTRES if code in regions]
    serial = 0
    for code, count in zip(codes, _share(total - abroad, len(codes)), strict=True):
        region = regions[code]
        latitude, longitude = CENTRES[code]
        for index in range(count):
            serial += 1
            number = HOME_FIRST + index
            yield {
                "number": str(number),
                "region": code,
                "precinct_commission": str(number),
                "country": "KZ",
                "timezone": "",
                "name_kk": f"№ {number} жалпы білім беретін мектеп",
                "name_ru": f"Средняя школа № {number}",
                "name_en": f"Secondary school No. {number}",
                "address_kk": f"{region.name_kk}, Абай көшесі, {index % 300 + 1}",
                "address_ru": f"{region.name_ru}, улица Абая, {index % 300 + 1}",
                "address_en": f"{region.name_en}, {index % 300 + 1} Abay Street",
                "latitude": f"{latitude + (index % 41 - 20) / 400:.6f}",
                "longitude": f"{longitude + (index % 37 - 18) / 400:.6f}",
                **_facilities(serial),
            }
    for index in range(abroad):
        serial += 1
        number = ABROAD_FIRST + index
        country, zone, city_en, city_ru, city_kk = ABROAD[index % len(ABROAD)]
        yield {
            "number": str(number),
            "region": ABROAD_REGION,
            "precinct_commission": str(number),
            "country": country,
            "timezone": zone,
            "name_kk": f"{city_kk} қаласындағы № {number} сайлау учаскесі",
            "name_ru": f"Избирательный участок № {number} в городе {city_ru}",
            "name_en": f"Polling station No. {number} in {city_en}",
            "address_kk": f"{city_kk}, Қазақстан елшілігі",
            "address_ru": f"{city_ru}, посольство Казахстана",
            "address_en": f"{city_en}, Embassy of Kazakhstan",
            "latitude": "",
            "longitude": "",
            **_facilities(serial),
        }


def _precinct_commissions(demo: Demo, rows: list[dict[str, str]], regions) -> None:
    """The precinct commission of each row, made when missing."""
    territorial = {
        c.region_id: c for c in Commission.objects.filter(level=CommissionLevel.TERRITORIAL)
    }
    existing = set(
        Commission.objects.filter(level=CommissionLevel.PRECINCT).values_list(
            "region__code", "number"
        )
    )
    created = 0
    for row in rows:
        number = int(row["precinct_commission"])
        if (row["region"], number) in existing:
            continue
        region = regions[row["region"]]
        model_create(
            actor=None,
            instance=Commission(
                level=CommissionLevel.PRECINCT,
                parent=territorial[region.pk],
                region=region,
                number=number,
                name_en=f"Precinct Election Commission No. {number}",
                name_ru=f"Участковая избирательная комиссия № {number}",
                name_kk=f"№ {number} учаскелік сайлау комиссиясы",
            ),
        )
        created += 1
    demo.count(Commission, created=created)


def load_national(demo: Demo, total: int) -> None:
    """`total` stations across every region and abroad (see the module's docstring)."""
    regions = Region.objects.in_bulk(field_name="code")
    rows = list(national_rows(total, regions))
    demo.expect(Commission, demo.expected.get(Commission, 0) + len(rows))
    demo.expect(PollingStation, demo.expected.get(PollingStation, 0) + len(rows))
    _precinct_commissions(demo, rows, regions)
    importer = imports.StationImport(actor=None, columns=imports.COLUMNS)
    sheet_rows = (
        imports.parse_row(SpreadsheetRow(number=index + 2, values=row), imports.COLUMNS)
        for index, row in enumerate(rows)
    )
    for start in range(0, len(rows), imports.BATCH_SIZE):
        batch = [next(sheet_rows) for _ in range(min(imports.BATCH_SIZE, len(rows) - start))]
        importer.add(batch)
    if importer.errors:
        lines = imports.error_lines(importer.errors[:20])
        raise ValueError("The generated registry was refused:\n" + "\n".join(lines))
    demo.count(PollingStation, created=importer.result.created, updated=importer.result.updated)
    demo.note(
        f"Generated registry: {importer.result.created} stations created, "
        f"{importer.result.updated} updated, {importer.result.unchanged} unchanged."
    )
