"""Import the station registry from a CSV or XLSX file (polling.imports), all or nothing.

    python manage.py import_stations stations.csv                 # the national file
    python manage.py import_stations almaty.xlsx --commission 12  # one territorial commission's
    python manage.py import_stations stations.csv --dry-run       # check, save nothing

The file has the columns of the admin's import and export; without --commission every row names
its precinct commission's region. Rows are read as a stream and written batch by batch through
the services (`polling_station_create`, `polling_station_update`) as the system, in one
transaction: every error is printed with its row and column, and then nothing is saved (exit
status 1). The counts and the time taken are printed at the end.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commissions.choices import CommissionLevel
from commissions.models import Commission
from polling import imports


class Command(BaseCommand):
    help = "Import polling stations from CSV or XLSX (the national file, or one commission's)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A .csv or .xlsx file.")
        parser.add_argument(
            "--commission",
            type=int,
            help="A territorial commission's id: every row must be of its region.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the whole file; save nothing."
        )

    def handle(self, *args, file: Path, commission: int | None, dry_run: bool, **options):
        territorial = None
        if commission is not None:
            territorial = (
                Commission.objects.select_related("region")
                .filter(pk=commission, level=CommissionLevel.TERRITORIAL)
                .first()
            )
            if territorial is None:
                raise CommandError(f"No territorial commission with id {commission}.")
        if not file.is_file():
            raise CommandError(f"No file {file}.")
        started = time.monotonic()

        def progress(rows: int) -> None:
            if options.get("verbosity", 1) > 1:
                self.stdout.write(f"  {rows} rows…")

        with file.open("rb") as data:
            try:
                result = imports.stations_import(
                    actor=None,
                    file=data,
                    name=file.name,
                    commission=territorial,
                    limits=imports.NATIONAL_LIMITS,
                    progress=progress,
                    dry_run=dry_run,
                )
            except imports.ImportFileError as exc:
                raise CommandError(exc.message) from None
            except imports.ImportInvalid as exc:
                for line in imports.error_lines(exc.errors):
                    self.stderr.write(line)
                raise CommandError(
                    f"{len(exc.errors)} error(s) in the file; nothing was saved."
                ) from None
        seconds = time.monotonic() - started
        self.stdout.write(
            f"{result.rows} rows: {result.created} stations created, {result.updated} updated, "
            f"{result.unchanged} unchanged"
            + (" (dry run: nothing saved)" if dry_run else "")
            + f"; {seconds:.1f} s."
        )
