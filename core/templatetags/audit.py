"""The audit log in templates: `{{ entry|audit_changes }}`, an entry's table of changes as the
audit log's admin shows it (core.admin_audit.changes_html), for django-auditlog's page of an
object's audit history (templates/auditlog/entry_detail.html)."""

from __future__ import annotations

from django import template

from core.admin_audit import changes_html

register = template.Library()


@register.filter
def audit_changes(entry):
    return changes_html(entry)
