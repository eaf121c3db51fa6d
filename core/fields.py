"""Model fields that hold normalised input, whatever path it comes by (see `core.normalize`).

`IdentifierField` normalises in `to_python` (so `full_clean`, model forms, the admin and
serializers see the normalised value), in `pre_save` (so a plain `save()` cannot store another
spelling) and in `get_prep_value` (so `filter(document_number="ab 12-34")` and `__in` look-ups
find `AB1234`); pattern look-ups (`icontains`...) are left as given. `NameField` stores names
NFC with their spaces collapsed and validates their characters (and, with `script`, their
script).
"""

from __future__ import annotations

from django import forms
from django.db import models

from .normalize import (
    NameValidator,
    normalize_identifier,
    normalize_name,
    normalize_phone,
    validate_identifier,
    validate_phone,
    validate_title,
)


class IdentifierFormField(forms.CharField):
    """A form's identifier: normalised before its length is checked, so `AB 12-34` fits where
    `AB1234` does; the browser does not cut the typed text at `max_length`."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_identifier(value) if value not in self.empty_values else value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class IdentifierField(models.CharField):
    """A document number, IIN or station number: stored and compared as ASCII upper-case
    letters and digits (`normalize_identifier`), refused otherwise (`validate_identifier`)."""

    default_validators = [validate_identifier]

    def to_python(self, value):
        value = super().to_python(value)
        return value if value is None else normalize_identifier(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value is None else normalize_identifier(value)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is not None:
            value = normalize_identifier(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": IdentifierFormField, **kwargs})


class NameFormField(forms.CharField):
    """A form's name: normalised as the model stores it."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_name(value) if value not in self.empty_values else value


class _NormalizedTextField(models.CharField):
    """Text stored as `normalize_name` gives it (NFC, spaces collapsed), whatever path it comes
    by: `to_python` for forms and `full_clean`, `pre_save` for a plain `save()`."""

    def to_python(self, value):
        value = super().to_python(value)
        return value if value is None else normalize_name(value)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is not None:
            value = normalize_name(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NameFormField, **kwargs})


class NameField(_NormalizedTextField):
    """A person's name (or a part of it): NFC, spaces collapsed (`normalize_name`), checked by
    `NameValidator(script)`; `script` is "latin", "cyrillic" or None (any letters)."""

    def __init__(self, *args, script: str | None = None, **kwargs):
        self.script = script
        self.name_validator = NameValidator(script)  # checks the script's name now
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.script is not None:
            kwargs["script"] = self.script
        return name, path, args, kwargs

    @property
    def validators(self):
        return [*super().validators, self.name_validator]


class TitleField(_NormalizedTextField):
    """The name of an organisation, a place or a document (a commission, a party, a polling
    station and its address, an agency, a nominating body): stored NFC with its spaces
    collapsed like a person's name, refused with invisible or direction-changing characters or
    without a letter or digit (`core.normalize.TitleValidator`); digits and punctuation allowed."""

    default_validators = [validate_title]


class PhoneFormField(forms.CharField):
    """A form's phone number: normalised before its length is checked, so `8 (7172) 12-34-56`
    fits where `+77172123456` does; the browser does not cut the typed text at `max_length`."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_phone(value) if value not in self.empty_values else value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class PhoneField(models.CharField):
    """A contact phone number: stored E.164 (`core.normalize.normalize_phone`: `8 (7172)
    12-34-56` is `+77172123456`) whatever path it comes by, refused otherwise
    (`validate_phone`)."""

    default_validators = [validate_phone]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value if value is None else normalize_phone(value)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is not None:
            value = normalize_phone(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhoneFormField, **kwargs})
