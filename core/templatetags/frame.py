"""The site's frame in templates: `{% site_nav %}` (the main navigation, in base.html),
`{% section_nav %}` (the pages of the current app's section) and `{% home_section %}` (an app's
block on the home page). What they show comes from core.frame."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template

from core import frame

register = template.Library()


def _match(context):
    request = context.get("request")
    return getattr(request, "resolver_match", None)


@register.inclusion_tag("includes/site_nav.html", takes_context=True)
def site_nav(context):
    """The main navigation: every entry of core.frame.nav_entries(), the current one marked."""
    match = _match(context)
    return {
        "items": [
            {"label": entry.label, "url": entry.url(), "current": entry.is_current(match)}
            for entry in frame.nav_entries()
        ]
    }


@register.inclusion_tag("includes/section_nav.html", takes_context=True)
def section_nav(context, **query):
    """The pages of the app section the current page belongs to (its entry's `children`), the
    current page marked. Keyword arguments with a value are kept in every link's query, e.g.
    `{% section_nav election=election.pk %}` gives `?election=3`. Nothing outside a section."""
    match = _match(context)
    entry = frame.current_entry(match)
    if entry is None or not entry.children:
        return {"entry": None, "items": []}
    kept = urlencode({key: value for key, value in query.items() if value not in (None, "")})
    suffix = f"?{kept}" if kept else ""
    return {
        "entry": entry,
        "items": [
            {
                "label": child.label,
                "url": child.url() + suffix,
                "current": match is not None and match.view_name == child.url_name,
            }
            for child in entry.children
        ],
    }


@register.simple_tag(takes_context=True)
def home_section(context, section):
    """An app's block on the home page (a core.frame.RenderedSection): its template, rendered
    with the page's context plus the section's own."""
    partial = context.template.engine.get_template(section.template)
    with context.push(section.context):
        return partial.render(context)
