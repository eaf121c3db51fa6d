"""Load the demo: every app's demo data, in dependency order (core.demo).

    python manage.py load_demo
    python manage.py load_demo --stations 10223  # and a national-size station registry

Each installed app that has a demo names its loader on its AppConfig (`demo_loader`, and the apps
it needs first in `demo_after`); today the commissions (regions, elections, parties, commissions,
members, demo accounts), then the polling stations and the observers' accreditation: the
elections of 19 March 2023.

Idempotent: every row is found by its natural key and written only when it is missing or differs
from the data, so a second run writes nothing (no audit records, no notifications). Everything is
loaded in one transaction, as the system actor, with English as the language of the untranslated
columns.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation
from modeltranslation.settings import DEFAULT_LANGUAGE

from core.audit import acting_as
from core.demo import Demo, demo_loaders


class Command(BaseCommand):
    help = "Load the demo of the 19 March 2023 elections (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stations",
            type=int,
            default=0,
            metavar="N",
            help="Also generate a national-size registry of N polling stations (10223 as in "
            "2023) with their precinct commissions, in every region and abroad.",
        )

    def handle(self, *args, **options):
        demo = Demo(stations=options["stations"])
        loaders = demo_loaders()
        with translation.override(DEFAULT_LANGUAGE), transaction.atomic(), acting_as(None):
            for loader in loaders:
                loader.load(demo)
        self.stdout.write(
            "Demo of the 19 March 2023 elections loaded ("
            + ", ".join(loader.app_label for loader in loaders)
            + "):"
        )
        for line in demo.report():
            self.stdout.write(line)
