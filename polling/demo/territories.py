"""The demo stations' territories: `localities.csv` (cities and villages of the demo regions)
and `territories.csv` (the import's columns, with the region of each row's territorial
commission), with renamed streets (ул. Ленина, проспект Победы, ул. Дзержинского...) found by
their former names too.

Localities are found by region and English name and created through `polling.services`
(`locality_create`) when missing; territories go through the import itself
(`polling.territory_imports.territory_import`), one file per territorial commission, so the
demo is checked as staff files are, and a second load writes nothing (the import keeps the
rules it finds stored).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict

from commissions.choices import CommissionLevel
from commissions.models import Commission, Region
from core.demo import Demo, DemoDataError, read_csv, translated

from .. import services
from ..models import Locality, TerritoryRule
from ..territory_imports import territory_import


def load(demo: Demo) -> None:
    """Load `localities.csv`, then `territories.csv`, into `demo`."""
    _load_localities(demo)
    _load_territories(demo)


def _load_localities(demo: Demo) -> None:
    rows = read_csv(__name__.rpartition(".")[0], "localities.csv")
    demo.expect(Locality, len(rows))
    regions = Region.objects.in_bulk(field_name="code")
    for row in rows:
        region = regions[row["region"]]
        if Locality.objects.filter(region=region, name_en=row["name_en"]).exists():
            continue
        parent = (
            Locality.objects.get(region=region, name_en=row["parent"]) if row["parent"] else None
        )
        services.locality_create(
            actor=None,
            locality=Locality(
                region=region, kind=row["kind"], parent=parent, **translated(row, "name")
            ),
        )
        demo.count(Locality, created=1)


def _load_territories(demo: Demo) -> None:
    rows = read_csv(__name__.rpartition(".")[0], "territories.csv")
    by_region: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_region[row.pop("region")].append(row)
    commissions = {
        commission.region.code: commission
        for commission in Commission.objects.filter(
            level=CommissionLevel.TERRITORIAL, parent__level=CommissionLevel.CEC
        ).select_related("region")
    }
    created = 0
    for code, region_rows in by_region.items():
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=list(region_rows[0]))
        writer.writeheader()
        writer.writerows(region_rows)
        report = territory_import(
            actor=None,
            commission=commissions[code],
            file=io.BytesIO(text.getvalue().encode("utf-8")),
            name=f"{code}-territories.csv",
        )
        if not report.ok:
            errors = "; ".join(f"row {e.row} {e.column}: {e.message}" for e in report.errors)
            raise DemoDataError(f"polling/demo/territories.csv ({code}): {errors}")
        created += report.created
    demo.expect(TerritoryRule, TerritoryRule.objects.count())
    demo.count(TerritoryRule, created=created)
