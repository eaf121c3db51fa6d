"""The polling stations of the demo of 19 March 2023 (`stations.csv`).

Loaded by `python manage.py load_demo` (core.demo) after the commissions' demo, whose precinct
commissions run the stations: a station numbered N is run by precinct commission No. N of the
region in `commission_region` (its own region; Astana for the two stations abroad, which have no
region and keep their country's time zone). The stations are invented but plausible: both time
zones of 2023, e-Gov checks, temporary registration, a hospital, a shift camp, and embassies in
Ankara and Moscow. Each is found by its region and number and written only when it differs, so a
second load writes nothing.
"""

from __future__ import annotations

from commissions.choices import CommissionLevel
from commissions.models import Commission, Region
from core.demo import Demo, parse_bool, read_csv, translated

from ..models import PollingStation


def load(demo: Demo) -> None:
    """Load `stations.csv` into `demo`."""
    rows = read_csv(__name__, "stations.csv")
    demo.expect(PollingStation, len(rows))
    regions = Region.objects.in_bulk(field_name="code")
    commissions = {
        (commission.region.code, commission.number): commission
        for commission in Commission.objects.filter(level=CommissionLevel.PRECINCT).select_related(
            "region"
        )
    }
    for row in rows:
        number = int(row["number"])
        demo.upsert(
            PollingStation,
            {"region": regions[row["region"]] if row["region"] else None, "number": number},
            {
                **translated(row, "name"),
                **translated(row, "address"),
                "country": row["country"],
                "timezone": row["timezone"],
                "is_abroad": not row["region"],
                "egov_check_available": parse_bool(row["egov_check_available"]),
                "temporary_registration_allowed": parse_bool(row["temporary_registration_allowed"]),
                "special_kind": row["special_kind"],
                "precinct_commission": commissions[row["commission_region"], number],
            },
        )
