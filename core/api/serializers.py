"""Serializer pieces every app's API shares."""

from __future__ import annotations

import copy

from rest_framework import serializers


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ModelSerializer that works out its fields from the model once per class.

    DRF introspects the model and builds every field again for each serializer instance (each
    request, each row of a list with `many=True` shares one): about a third of the cost of a
    one-row API read. Here the first instance's `get_fields()` is kept as the class's prototype
    and later instances get a copy of each field (`_copy`).

    Only for serializers whose fields do not depend on the instance, the request or the user:
    a serializer that overrides `get_fields` or `__init__` to change its fields must derive from
    DRF's class instead.
    """

    def get_fields(self):
        cls = type(self)
        prototype = cls.__dict__.get("_saylau_field_prototype")
        if prototype is None:
            prototype = super().get_fields()
            cls._saylau_field_prototype = prototype
        return {name: _copy(field) for name, field in prototype.items()}


def _copy(field):
    """A field ready to be bound: binding only assigns attributes (name, parent, source), so a
    shallow copy of a plain field is enough; a field holding another (a nested serializer, a
    list's child, a many-related field) is copied deeply, as binding it binds the one inside."""
    if (
        isinstance(field, serializers.BaseSerializer)
        or hasattr(field, "child")
        or hasattr(field, "child_relation")
    ):
        return copy.deepcopy(field)
    return copy.copy(field)
