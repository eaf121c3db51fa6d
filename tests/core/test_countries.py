"""Country names as readers know them, in each language."""

import pytest
from django.utils import translation
from django_countries import countries


@pytest.mark.parametrize(("language", "name"), [("en", "Nauru"), ("ru", "Науру"), ("kk", "Науру")])
def test_nauru_is_named_as_readers_know_it(language, name):
    """django-countries calls it "Naoero", its name in Nauruan."""
    with translation.override(language):
        assert countries.name("NR") == name
