"""`manage.py import_stations` on a small generated file, and `load_demo --stations N`."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from commissions.models import Commission, Region
from core.demo import Demo
from polling import imports
from polling.demo.national import _precinct_commissions, national_rows
from polling.models import PollingStation
from tests.commissions.factories import CecFactory, RegionFactory, TerritorialCommissionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    """Three of the regions, each with its territorial commission."""
    cec = CecFactory()
    made = {}
    for code in ("astana", "aktobe", "mangystau"):
        region = RegionFactory(code=code, name=code.title(), name_kk=code, name_ru=code)
        TerritorialCommissionFactory(region=region, parent=cec)
        made[code] = region
    return made


def national_file(tmp_path, regions, total, *, change=None):
    rows = list(national_rows(total, regions))
    _precinct_commissions(Demo(), rows, regions)
    for row in rows:
        row.update(change or {})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=imports.COLUMNS, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "stations.csv"
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_stations", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_national_file_at_home_and_abroad(tmp_path, regions):
    path = national_file(tmp_path, regions, 300)
    out, _err = run(path)
    assert "300 rows: 300 stations created, 0 updated, 0 unchanged" in out
    assert PollingStation.objects.abroad().count() == 2  # 300 × 77 / 10,223
    assert set(PollingStation.objects.at_home().values_list("region__code", flat=True)) == set(
        regions
    )
    out, _err = run(path)
    assert "0 stations created, 0 updated, 300 unchanged" in out


def test_the_command_updates_what_changed(tmp_path, regions):
    run(national_file(tmp_path, regions, 30))
    out, _err = run(national_file(tmp_path, regions, 30, change={"has_ramp": "1"}))
    changed = 30 - sum(1 for row in national_rows(30, regions) if row["has_ramp"] == "1")
    assert f"0 stations created, {changed} updated" in out
    assert not PollingStation.objects.filter(has_ramp=False).exists()


def test_a_dry_run_saves_nothing(tmp_path, regions):
    out, _err = run(national_file(tmp_path, regions, 30), "--dry-run")
    assert "30 stations created" in out and "nothing saved" in out
    assert not PollingStation.objects.exists()


def test_errors_are_printed_with_row_and_column_and_nothing_is_saved(tmp_path, regions):
    path = national_file(tmp_path, regions, 30)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[3] = lines[3].replace(";KZ;", ";XX;")  # row 4: no such country
    path.write_text("\n".join(lines), encoding="utf-8-sig")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_stations", str(path), stderr=err)
    assert err.getvalue().startswith("Row 4, country: ")
    assert not PollingStation.objects.exists()


def test_with_a_commission_rows_of_another_region_are_refused(tmp_path, regions):
    path = national_file(tmp_path, regions, 30)
    aktobe = Commission.objects.get(level="territorial", region__code="aktobe")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_stations", str(path), "--commission", str(aktobe.pk), stderr=err)
    assert "Row 12, region: The file is imported for Aktobe" in err.getvalue()
    assert not PollingStation.objects.exists()


def test_an_unknown_commission_or_file_is_an_error(tmp_path, regions):
    with pytest.raises(CommandError, match="No territorial commission"):
        run(tmp_path / "x.csv", "--commission", 999_999)
    with pytest.raises(CommandError, match="No file"):
        run(tmp_path / "missing.csv")


def test_load_demo_generates_a_registry_once(regions):
    from polling.demo.national import load_national

    load_national(Demo(), 60)
    assert PollingStation.objects.count() == 60
    assert Commission.objects.filter(level="precinct").count() == 60
    demo = Demo()
    load_national(demo, 60)
    assert demo.written[PollingStation, "created"] == demo.written[PollingStation, "updated"] == 0
    assert demo.written[Commission, "created"] == 0
    assert Region.objects.count() == 3
