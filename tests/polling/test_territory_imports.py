"""Territories imported from a territorial commission's spreadsheet (polling.territory_imports)
and its management command: encodings, delimiters, row errors, overlaps, all or nothing."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from commissions.choices import MemberRole
from core.choices import Role
from core.xlsx import xlsx_bytes
from polling.choices import LocalityKind, Parity, RuleKind
from polling.models import Street, TerritoryRule
from polling.selectors import station_for_address, streets_matching
from polling.services import RULE_OVERLAP
from polling.territory_imports import (
    IMPORT_OUTSIDE_SCOPE,
    LOCALITY_UNKNOWN,
    NUMBER_INVALID,
    STATION_UNKNOWN,
    territory_import,
)
from tests.commissions.factories import (
    CommissionMemberFactory,
    PrecinctCommissionFactory,
    TerritorialCommissionFactory,
)
from tests.core.factories import UserFactory
from tests.polling.factories import (
    LocalityFactory,
    PollingStationFactory,
    StreetFactory,
    TerritoryRuleFactory,
)

pytestmark = pytest.mark.django_db

HEADER = ["station", "locality", "street", "street_ru", "former_names", "from", "to", "parity",
          "buildings"]  # fmt: skip


@pytest.fixture
def place():
    territorial = TerritorialCommissionFactory()
    city = LocalityFactory(region=territorial.region, name="Астана", name_ru="Астана")
    village = LocalityFactory(
        region=territorial.region, name="Қосшы", name_ru="Косшы", kind=LocalityKind.VILLAGE
    )
    stations = {
        number: PollingStationFactory(
            precinct_commission=PrecinctCommissionFactory(parent=territorial, number=number)
        )
        for number in (12, 45, 230)
    }
    return territorial, city, village, stations


ROWS = [
    [
        "12",
        "Астана",
        "Абай көшесі",
        "улица Абая",
        "ул. Ленина|Lenin street",
        "1",
        "29",
        "нечет",
        "",
    ],
    ["12", "Астана", "Абай көшесі", "улица Абая", "", "2", "30", "чет", ""],
    ["45", "Астана", "Абай көшесі", "", "", "", "", "", "12А, 14/1"],
    ["45", "Астана", "Тұран даңғылы", "проспект Туран", "", "", "", "", ""],
    ["230", "Косшы", "", "", "", "", "", "", ""],
]


def csv_bytes(rows, *, delimiter=",", encoding="utf-8"):
    def cell(value):
        return f'"{value}"' if delimiter in value or "," in value else value

    text = "\r\n".join(delimiter.join(cell(v) for v in row) for row in [HEADER, *rows])
    return text.encode(encoding)


def run(territorial, data, name="territories.csv", actor=None):
    return territory_import(actor=actor, commission=territorial, file=io.BytesIO(data), name=name)


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1251", ";"), ("cp1251", ","), ("utf-8", ";")],
)
def test_a_file_in_each_encoding_and_delimiter_gives_the_territories(place, encoding, delimiter):
    territorial, city, village, stations = place
    rows = ROWS if encoding != "cp1251" else [[c.replace("ә", "а") for c in r] for r in ROWS]
    rows = [[c.replace("Тұран даңғылы", "Туран") for c in r] for r in rows]
    if encoding == "cp1251":  # no Kazakh letters in Windows-1251: the Russian names
        rows = [[c.replace("Абай көшесі", "улица Абая") for c in r] for r in rows]

    report = run(territorial, csv_bytes(rows, delimiter=delimiter, encoding=encoding))

    assert report.ok, report.errors
    assert report.created == 6
    abai = streets_matching("Абая", locality=city)[0]
    assert station_for_address(street=abai, building="7") == stations[12]
    assert station_for_address(street=abai, building="8") == stations[12]
    assert station_for_address(street=abai, building="12а") == stations[45]
    assert station_for_address(locality=village) == stations[230]
    assert streets_matching("Ленина", locality=city) == [abai]


def test_an_xlsx_workbook_gives_the_territories(place):
    territorial, city, village, stations = place

    report = run(territorial, xlsx_bytes(ROWS, header=HEADER), name="territories.xlsx")

    assert report.ok, report.errors
    assert report.created == 6


def test_a_second_import_of_the_same_file_writes_nothing(place):
    territorial = place[0]
    run(territorial, csv_bytes(ROWS))
    before = list(TerritoryRule.objects.values_list("pk", flat=True).order_by("pk"))

    report = run(territorial, csv_bytes(ROWS))

    assert (report.created, report.deleted, report.unchanged) == (0, 0, 6)
    assert list(TerritoryRule.objects.values_list("pk", flat=True).order_by("pk")) == before
    assert Street.objects.count() == 2


def test_the_file_is_each_listed_stations_whole_territory(place):
    territorial, city, village, stations = place
    run(territorial, csv_bytes(ROWS))

    report = run(territorial, csv_bytes(ROWS[:1]))

    assert (report.created, report.deleted, report.unchanged) == (0, 1, 1)
    assert TerritoryRule.objects.filter(station=stations[45]).count() == 3


def test_row_errors_name_their_row_and_column_and_nothing_is_saved(place):
    territorial = place[0]
    rows = [
        ROWS[0],
        ["99", "Астана", "Абай көшесі", "", "", "", "", "", ""],
        ["12", "Атлантида", "Абай көшесі", "", "", "", "", "", ""],
        ["12", "Астана", "Абай көшесі", "", "", "1a", "9", "", ""],
    ]

    report = run(territorial, csv_bytes(rows))

    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "station", str(STATION_UNKNOWN).format(number=99)),
        (4, "locality", str(LOCALITY_UNKNOWN).format(value="Атлантида")),
        (5, "from", str(NUMBER_INVALID).format(value="1a")),
    ]
    assert not TerritoryRule.objects.exists()
    assert not Street.objects.exists()


def test_an_overlap_with_another_stations_rule_is_refused_with_its_row(place):
    territorial, city, village, stations = place
    street = StreetFactory(locality=city, name="Абай көшесі")
    other = PollingStationFactory(
        precinct_commission=PrecinctCommissionFactory(parent=territorial, number=77)
    )
    TerritoryRuleFactory(
        street=street, station=other, kind=RuleKind.RANGE, number_from=25, number_to=40
    )

    report = run(territorial, csv_bytes(ROWS))

    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "from", str(RULE_OVERLAP).format(number=77)),
        (3, "from", str(RULE_OVERLAP).format(number=77)),
    ]
    assert TerritoryRule.objects.count() == 1


def test_two_rows_giving_one_address_to_two_stations_are_refused(place):
    territorial = place[0]
    rows = [ROWS[0], ["45", "Астана", "Абай көшесі", "", "", "21", "41", "", ""]]

    report = run(territorial, csv_bytes(rows))

    assert [(e.row, e.column) for e in report.errors] == [(3, "from")]
    assert "No. 12" in report.errors[0].message
    assert not TerritoryRule.objects.exists()


def test_a_file_that_is_no_spreadsheet_is_one_error(place):
    report = run(place[0], b"\x00\x01", name="territories.pdf")

    assert len(report.errors) == 1 and report.errors[0].row is None


def staff(commission, role=Role.TERRITORIAL_STAFF):
    user = UserFactory(role=role, is_staff=True)
    CommissionMemberFactory(commission=commission, user=user, role=MemberRole.STAFF)
    return user


def test_territorial_staff_import_their_own_commissions_file(place):
    territorial = place[0]

    report = run(territorial, csv_bytes(ROWS), actor=staff(territorial))

    assert report.ok and report.created == 6


@pytest.mark.parametrize("who", ["territorial_other", "precinct", "signed_in"])
def test_others_cannot_import_a_commissions_territories(place, who):
    territorial, _city, _village, stations = place
    actor = {
        "territorial_other": lambda: staff(TerritorialCommissionFactory()),
        "precinct": lambda: staff(stations[12].precinct_commission, Role.PRECINCT_MEMBER),
        "signed_in": lambda: UserFactory(),
    }[who]()

    with pytest.raises(PermissionDenied, match=str(IMPORT_OUTSIDE_SCOPE)):
        run(territorial, csv_bytes(ROWS), actor=actor)

    assert not TerritoryRule.objects.exists()


def test_the_command_imports_a_file(place, tmp_path):
    territorial = place[0]
    path = tmp_path / "territories.csv"
    path.write_bytes(csv_bytes(ROWS, delimiter=";", encoding="utf-8-sig"))
    out = io.StringIO()

    call_command("import_territories", str(path), "--commission", str(territorial.pk), stdout=out)

    assert "6 rules created" in out.getvalue()
    assert TerritoryRule.objects.filter(parity=Parity.ODD).count() == 1


def test_the_command_reports_row_errors_and_saves_nothing(place, tmp_path):
    territorial = place[0]
    path = tmp_path / "territories.csv"
    path.write_bytes(csv_bytes([["99", "Астана", "", "", "", "", "", "", ""]]))
    err = io.StringIO()

    with pytest.raises(CommandError, match="nothing was saved"):
        call_command(
            "import_territories", str(path), "--commission", str(territorial.pk), stderr=err
        )

    assert "row 2, column station" in err.getvalue()


def test_a_range_running_downwards_is_reported_on_its_row(place):
    territorial = place[0]

    report = run(
        territorial, csv_bytes([["12", "Астана", "Абай көшесі", "", "", "9", "1", "", ""]])
    )

    assert [(e.row, e.column) for e in report.errors] == [(2, "from")]
    assert not Street.objects.exists()


def test_a_downward_range_is_reported_with_the_other_rows_errors(place):
    territorial = place[0]
    rows = [
        ["12", "Астана", "Абай көшесі", "", "", "60", "1", "", ""],
        ["99", "Астана", "Абай көшесі", "", "", "", "", "", ""],
        ["12", "Атлантида", "Абай көшесі", "", "", "", "", "", ""],
    ]

    report = run(territorial, csv_bytes(rows))

    assert [(e.row, e.column) for e in report.errors] == [
        (2, "from"),
        (3, "station"),
        (4, "locality"),
    ]
    assert not TerritoryRule.objects.exists()
    assert not Street.objects.exists()
