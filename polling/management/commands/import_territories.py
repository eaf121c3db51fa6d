"""Import a territorial commission's territories (polling.territory_imports), all or nothing.

    python manage.py import_territories territories.csv --commission 12

Every error is printed with its row and column, and then nothing is saved (exit status 1).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commissions.models import Commission
from polling.territory_imports import territory_import


class Command(BaseCommand):
    help = "Import the territories of a territorial commission's stations from CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A .csv or .xlsx file.")
        parser.add_argument(
            "--commission", type=int, required=True, help="The territorial commission's id."
        )

    def handle(self, *args, file: Path, commission: int, **options):
        try:
            territorial = Commission.objects.select_related("region").get(pk=commission)
        except Commission.DoesNotExist:
            raise CommandError(f"No commission with id {commission}.") from None
        if not file.is_file():
            raise CommandError(f"No file {file}.")
        with file.open("rb") as data:
            report = territory_import(actor=None, commission=territorial, file=data, name=file.name)
        for error in report.errors:
            where = "file" if error.row is None else f"row {error.row}"
            if error.column:
                where += f", column {error.column}"
            self.stderr.write(f"{where}: {error.message}")
        if not report.ok:
            raise CommandError(f"{len(report.errors)} error(s); nothing was saved.")
        self.stdout.write(
            f"{report.rows} rows: {report.created} rules created, {report.deleted} deleted, "
            f"{report.unchanged} unchanged; {report.streets_created} streets created."
        )
