"""Give an agency an API token, creating the agency if it is new.

    python manage.py create_api_token "Ministry of Digital Development" \\
        --scope read:all --kind ministry --name "voter list checks"

The key is written alone on standard output, once (only its hash is stored), so that a script can
capture it; what was done is reported on standard error.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from modeltranslation.settings import DEFAULT_LANGUAGE
from modeltranslation.utils import get_translation_fields

from core import services
from core.audit import acting_as
from core.choices import TokenScope
from core.models import Agency, AgencyKind


def find_agency(name: str) -> Agency | None:
    """The agency with this name in any language."""
    match = Q()
    for field in get_translation_fields("name"):
        match |= Q(**{field: name})
    return Agency.objects.filter(match).first()


class Command(BaseCommand):
    help = "Create an API token for an agency (created too if missing) and print its key once."

    def add_arguments(self, parser):
        parser.add_argument("agency", help="The agency's name; a new agency is created if needed.")
        parser.add_argument(
            "--scope",
            action="append",
            default=[],
            dest="scopes",
            metavar="SCOPE",
            help=f"What the token may do; repeat for several ({', '.join(TokenScope.values)}). "
            "Without any, it reads public data only.",
        )
        parser.add_argument(
            "--kind",
            default=AgencyKind.OTHER,
            help=f"Kind of a new agency ({', '.join(AgencyKind.values)}); default: other.",
        )
        parser.add_argument(
            "--name", default="command line", help="What the token is used for (its label)."
        )

    def handle(self, *args, agency, scopes, kind, name, **options):
        unknown = sorted(set(scopes) - set(TokenScope.values))
        if unknown:
            raise CommandError(
                f"Unknown scope(s): {', '.join(unknown)}. "
                f"Known scopes: {', '.join(TokenScope.values)}."
            )
        if kind not in AgencyKind.values:
            raise CommandError(
                f"Unknown agency kind: {kind}. Known kinds: {', '.join(AgencyKind.values)}."
            )
        with translation.override(DEFAULT_LANGUAGE), transaction.atomic(), acting_as(None):
            found = find_agency(agency)
            if found is None:
                found = services.agency_create(name=agency, kind=kind)
                self._note(f"Agency created: {found.name} ({found.kind})")
            elif found.kind != kind and kind != AgencyKind.OTHER:
                self._note(f"Agency {found.name} exists as {found.kind}; its kind is unchanged.")
            token, key = services.api_token_create(agency=found, name=name, scopes=scopes)
        self._note(
            f"Token {token.name!r} for {found.name} (prefix {token.prefix}), "
            f"scopes: {', '.join(token.scopes) or 'none (public data only)'}. "
            "The key below is shown once: store it now."
        )
        self.stdout.write(key)

    def _note(self, message: str) -> None:
        self.stderr.write(message, style_func=self.style.SUCCESS)
