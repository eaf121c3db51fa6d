"""Write the Kazakh catalogue of country names (kk/LC_MESSAGES/django.po) from CLDR.

django-countries translates its country names with gettext but ships no Kazakh catalogue, so a
Kazakh page would name countries in English. This script takes every name django-countries may
show (its ISO 3166-1 names, plus the common and old names it substitutes or still accepts) as the
msgid, and CLDR's Kazakh name of that country (through Babel) as the msgstr.

    .venv/bin/pip install babel            # only while generating: not a project dependency
    .venv/bin/python locale/countries/generate.py
    msgfmt --check -o locale/countries/kk/LC_MESSAGES/django.mo \\
        locale/countries/kk/LC_MESSAGES/django.po
    .venv/bin/pip uninstall -y babel

See README.md in this folder (CLDR data is under the Unicode License).
"""

from __future__ import annotations

import sys
from pathlib import Path

import django
from django.conf import settings

LANGUAGE = "kk"
OUTPUT = Path(__file__).resolve().parent / LANGUAGE / "LC_MESSAGES" / "django.po"

HEADER = """\
# Kazakh names of countries for django-countries, generated from CLDR by
# locale/countries/generate.py: edit that script, not this file.
# Names: Unicode CLDR {cldr} (through Babel {babel}), Unicode License v3.
msgid ""
msgstr ""
"Project-Id-Version: Saylau country names\\n"
"Last-Translator: locale/countries/generate.py\\n"
"Language-Team: Kazakh\\n"
"Language: kk\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n!=1);\\n"
"""


def english_names() -> dict[str, str]:
    """Every English name django-countries may translate, mapped to its country's code."""
    from django_countries.base import CountriesBase
    from django_countries.data import COUNTRIES

    names: dict[str, str] = {}
    for code, name in COUNTRIES.items():
        names[str(name)] = code
    for code, name in CountriesBase.COMMON_NAMES.items():
        names.setdefault(str(name), code)
    for code, old_names in CountriesBase.OLD_NAMES.items():
        for name in old_names:
            names.setdefault(str(name), code)
    return names


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def catalogue() -> str:
    import babel
    from babel import Locale
    from babel.core import get_cldr_version

    territories = Locale(LANGUAGE).territories
    entries = []
    missing = []
    for msgid, code in sorted(english_names().items(), key=lambda item: (item[1], item[0])):
        msgstr = territories.get(code)
        if not msgstr:
            missing.append(f"{code} ({msgid})")
            continue
        entries.append(f"#. {code}\nmsgid {quote(msgid)}\nmsgstr {quote(msgstr)}\n")
    if missing:
        print("No Kazakh name in CLDR for: " + ", ".join(missing), file=sys.stderr)
    header = HEADER.format(cldr=get_cldr_version(), babel=babel.__version__)
    return header + "\n" + "\n".join(entries)


def main() -> None:
    # Only the names are needed (not the project): no translation, no database.
    settings.configure(USE_I18N=False)
    django.setup()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(catalogue(), encoding="utf-8")
    print(f"Wrote {OUTPUT}")


if __name__ == "__main__":
    main()
