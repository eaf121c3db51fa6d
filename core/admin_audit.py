"""The audit log in the admin: the project's own admin of django-auditlog's LogEntry, in place of
the library's, which writes part of its pages without gettext (a "Correlation ID" column, a
"system" actor, "3 changes: first_name, ..." summaries, a resource-type filter listing models by
their code names, "None"/"True" and "add" in the table of changes). Its table of changes is also
the one of every object's audit history (templates/auditlog/entry_detail.html).

It keeps what the library's admin offers (read-only, nothing added or deleted here, search, the
date hierarchy, filters by action, resource type and correlation id, the table of changes on an
entry's page) and shows no more of an entry than the library did: when, who, what, its
correlation id, the action and the changes; not the remote address nor the additional data.
Every word is translatable; models and fields are named by their verbose names; resource types
are listed in the alphabet of the reader's language (core.collation). Who may see it is the
model's view permission (only superusers have it, tests/core/test_permissions.py).

Imported at the end of core/admin.py (admin autodiscovery).
"""

from __future__ import annotations

import json
from datetime import UTC
from functools import cached_property
from operator import itemgetter
from urllib.parse import urlencode

import auditlog.admin  # noqa: F401  (registers the library's admin, replaced below)
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.timezone import is_aware, is_naive, localtime, make_aware
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .admin import RowIdsAdminMixin, is_id
from .collation import sorted_by_name

SUMMARY_LENGTH = 75  # characters of field names in a list row's summary of changes
MASKED = "***"  # what the table shows of a field named "password" (as the library does)
# What the library records of a many-to-many change ("operation"), as people read it.
M2M_OPERATIONS = {
    "add": pgettext_lazy("audit log: many-to-many change", "added"),
    "delete": pgettext_lazy("audit log: many-to-many change", "removed"),
}


def resource_type_name(content_type: ContentType) -> str:
    """A model as people read it ("Polling station"), in the active language; the code name
    ("polling.oldmodel") of a model that no longer exists."""
    model = content_type.model_class()
    if model is None:
        return f"{content_type.app_label}.{content_type.model}"
    return capfirst(model._meta.verbose_name)


def recorded_changes(entry: LogEntry) -> list[tuple[str, object, object]]:
    """An entry's changes as (name recorded, the model's field or None, change), in the order
    of the model's fields (the database keeps a record's names in an order of its own), then
    the names of fields no longer there; without the library's noise: a reverse one-to-many
    relation ("observers" of an election), which it records as the text of a manager
    ("observers.Observer.None"), no value. The field is None when the model or the field no
    longer exists."""
    model = entry.content_type.model_class()
    fields = {} if model is None else {f.name: f for f in model._meta.get_fields()}
    position = {name: index for index, name in enumerate(fields)}
    found = [
        (name, fields.get(name), change)
        for name, change in entry.changes_dict.items()
        if name not in fields or not fields[name].one_to_many
    ]
    return sorted(found, key=lambda change: (position.get(change[0], len(position)), change[0]))


def field_label(name: str, field) -> str:
    """A changed field as people read it (its verbose name; a reverse one-to-one relation's
    model's), else the name recorded."""
    if field is None:
        return name
    if field.auto_created and not field.concrete:
        return str(field.related_model._meta.verbose_name)
    return str(getattr(field, "verbose_name", name))


def shown_value(field, value, empty: str):
    """A value recorded in a change as people read it: nothing as `empty`, yes or no, a
    choice's label, a list's items, a date or time in the reader's format (the library records
    moments in UTC); anything else as recorded (a number, an id, a text)."""
    if value is None:
        return empty
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        base = getattr(field, "base_field", None)  # an ArrayField's items
        if base is not None:
            return ", ".join(str(shown_value(base, item, empty)) for item in value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str):
        moment = parsed_moment(field, value)
        if moment is not None:
            return formats.localize(moment)
    if field is not None and field.is_relation and field.concrete and not field.many_to_many:
        return related_object_name(field, value)
    if field is not None and getattr(field, "flatchoices", None):
        try:
            label = dict(field.flatchoices).get(value)
        except TypeError:  # a value that is no key (unhashable)
            label = None
        if label is not None:
            return label
    return value


def related_object_name(field, value):
    """A foreign key's recorded value (the related row's key) as the row's name in the reader's
    language, with its key ("Astana (3)"); the key alone when the row is gone or the value is no
    key. One query per value: used on one entry's page, not on the list."""
    model = field.related_model
    try:
        related = model._base_manager.filter(pk=value).first()
    except (TypeError, ValueError, ValidationError):
        related = None
    if related is None:
        return value
    return format_html("{} ({})", related, value)


def parsed_moment(field, value: str):
    """A date, time or moment (in the current time zone) a date or time field recorded as
    text; None for any other field or a text that is none."""
    try:
        if isinstance(field, models.DateTimeField):
            moment = parse_datetime(value)
            if moment is not None and is_naive(moment):
                moment = make_aware(moment, UTC)
            return None if moment is None else localtime(moment)
        if isinstance(field, models.DateField):
            return parse_date(value)
        if isinstance(field, models.TimeField):
            return parse_time(value)
    except ValueError:
        return None
    return None


def changes_html(entry: LogEntry, empty: str = "-"):
    """An entry's changes as tables: a row per field (its old and new value), then a row per
    many-to-many relation (the objects added or removed). On an entry's page in the admin, and
    on an object's audit history (templates/auditlog/entry_detail.html)."""
    changes = recorded_changes(entry)
    if not changes:
        return gettext("No field changes")
    fields, relations = [], []
    for name, field, change in changes:
        label = capfirst(field_label(name, field))
        if isinstance(change, dict) and change.get("type") == "m2m":
            operation = change.get("operation")
            objects = format_html_join(
                mark_safe("<br>"), "{}", ((o,) for o in change.get("objects", ()))
            )
            relations.append((label, M2M_OPERATIONS.get(operation, operation), objects))
        elif name == "password":
            fields.append((label, MASKED, MASKED))
        else:
            old, new = change
            # Nothing was there before a row was added (a masked field records "**ne").
            if entry.action == LogEntry.Action.CREATE:
                old = None
            fields.append((label, shown_value(field, old, empty), shown_value(field, new, empty)))
    tables = []
    if fields:
        tables.append(_table((gettext("Field"), gettext("From"), gettext("To")), fields))
    if relations:
        headings = (gettext("Relationship"), gettext("Action"), gettext("Objects"))
        tables.append(_table(headings, relations))
    return format_html_join("", "{}", ((table,) for table in tables))


def _table(headings, rows):
    return format_html(
        '<table class="audit-changes"><thead><tr><th>#</th>{}</tr></thead>'
        "<tbody>{}</tbody></table>",
        format_html_join("", "<th>{}</th>", ((heading,) for heading in headings)),
        format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((number, *row) for number, row in enumerate(rows, 1)),
        ),
    )


class ResourceTypeFilter(admin.SimpleListFilter):
    """The models of the entries listed, by their verbose names in the reader's alphabet."""

    title = _("resource type")
    parameter_name = "resource_type"

    def lookups(self, request, model_admin):
        listed = model_admin.get_queryset(request).order_by().values("content_type_id")
        types = [
            (content_type.pk, resource_type_name(content_type))
            for content_type in ContentType.objects.filter(pk__in=listed)
        ]
        return sorted_by_name(types, key=itemgetter(1), unique=itemgetter(0))

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not is_id(ContentType._meta.pk, value):
            return queryset.none()
        return queryset.filter(content_type_id=value)


class CorrelationIdFilter(admin.SimpleListFilter):
    """The entries written by one request or job (a correlation id's link in the list)."""

    title = _("correlation ID")
    parameter_name = "cid"

    def lookups(self, request, model_admin):
        value = self.value()
        return [] if value is None else [(value, value)]

    def has_output(self):
        # Only once a correlation id is chosen from the list: then "All" leaves it.
        return self.value() is not None

    def queryset(self, request, queryset):
        value = self.value()
        return queryset if value is None else queryset.filter(cid=value)


class LogEntryAdmin(RowIdsAdminMixin, admin.ModelAdmin):
    date_hierarchy = "timestamp"
    ordering = ("-timestamp", "-pk")
    list_select_related = ("content_type", "actor")
    list_display = ("created", "resource", "action", "summary", "actor_shown", "correlation_id")
    list_filter = ("action", ResourceTypeFilter, CorrelationIdFilter)
    search_fields = (
        "timestamp",
        "object_repr",
        "changes",
        "actor__first_name",
        "actor__last_name",
        f"actor__{get_user_model().USERNAME_FIELD}",
    )
    readonly_fields = ("created", "actor_shown", "resource", "action", "changes_table")
    fieldsets = (
        (None, {"fields": ("created", "actor_shown", "resource", "cid")}),
        (_("Changes"), {"fields": ("action", "changes_table")}),
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @cached_property
    def _own_url_names(self):
        return {pattern.name for pattern in self.urls if pattern.name}

    def has_delete_permission(self, request, obj=None):
        # Never on these pages; only as a cascade when an object is deleted elsewhere (the
        # library's rule, for a model whose history is deleted with it).
        match = request.resolver_match
        if match and match.url_name not in self._own_url_names:
            return super().has_delete_permission(request, obj)
        return False

    @admin.display(description=_("Created"), ordering="timestamp")
    def created(self, obj):
        moment = localtime(obj.timestamp) if is_aware(obj.timestamp) else obj.timestamp
        return formats.localize(moment)  # the entry's page shows a callable's value as text

    @admin.display(description=_("Resource"))
    def resource(self, obj):
        shown = format_html("{} - {}", resource_type_name(obj.content_type), obj.object_repr)
        key = obj.object_pk if obj.object_id is None else obj.object_id
        try:
            url = reverse(
                f"admin:{obj.content_type.app_label}_{obj.content_type.model}_change", args=[key]
            )
        except NoReverseMatch:
            return shown
        return format_html('<a href="{}">{}</a>', url, shown)

    @admin.display(description=_("Changes"))
    def summary(self, obj):
        """How many fields changed and which ("2 changes: first name, role")."""
        if obj.action in (LogEntry.Action.DELETE, LogEntry.Action.ACCESS):
            return ""
        changes = recorded_changes(obj)
        if not changes:
            return ""
        fields = ", ".join(field_label(name, field) for name, field, _change in changes)
        return ngettext(
            "{count} change: {fields}", "{count} changes: {fields}", len(changes)
        ).format(count=len(changes), fields=Truncator(fields).chars(SUMMARY_LENGTH))

    @admin.display(description=_("User"))
    def actor_shown(self, obj):
        if obj.actor is None:
            return gettext("system")
        app_label, model = settings.AUTH_USER_MODEL.lower().split(".")
        try:
            url = reverse(f"admin:{app_label}_{model}_change", args=[obj.actor.pk])
        except NoReverseMatch:
            return str(obj.actor)
        return format_html('<a href="{}">{}</a>', url, obj.actor)

    @admin.display(description=_("Correlation ID"))
    def correlation_id(self, obj):
        if not obj.cid:
            return ""
        return format_html(
            '<a href="?{}" title="{}">{}</a>',
            urlencode({CorrelationIdFilter.parameter_name: obj.cid}),
            gettext("Click to filter by records with this correlation id"),
            obj.cid,
        )

    @admin.display(description=_("Changes"))
    def changes_table(self, obj):
        return changes_html(obj, self.get_empty_value_display())


admin.site.unregister(LogEntry)
admin.site.register(LogEntry, LogEntryAdmin)
