"""The site's form pieces in templates: `{% select_field %}` (a labelled select from a list of
objects, optionally in groups), `{% search_field %}` (a labelled search box) and
`{% query_form %}…{% endquery_form %}` (a GET form of such fields with its submit button).
Markup in templates/includes/, styles in static/css/site.css."""

from __future__ import annotations

from django import template
from django.template.base import token_kwargs
from django.utils.translation import gettext as _

register = template.Library()


def _grouped(options, selected, group_by: str) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """[(group label or "", [(value, text, is selected), ...]), ...]; consecutive options with
    the same group form one group, as {% regroup %} does (so sort options by group first)."""
    groups: list[tuple[str, list[tuple[str, str, bool]]]] = []
    for option in options:
        label = ""
        if group_by:
            label = getattr(option, group_by)
            label = str(label() if callable(label) else label)
        if not groups or groups[-1][0] != label:
            groups.append((label, []))
        value = getattr(option, "pk", option)
        groups[-1][1].append((str(value), str(option), option == selected))
    return groups


@register.inclusion_tag("includes/select_field.html")
def select_field(name, label, options, selected=None, empty_label="", group_by="", field_id=""):
    """A `<select name=name>` with its label: an option per object of `options` (value its pk,
    text its str()), `selected` (an object, or None) marked; `empty_label` adds a first option
    with an empty value; `group_by` (an attribute or method name) puts options in optgroups."""
    return {
        "name": name,
        "id": field_id or f"id_{name}",
        "label": label,
        "empty_label": empty_label,
        "nothing_selected": selected in (None, ""),
        "groups": _grouped(options, selected, group_by),
    }


@register.inclusion_tag("includes/search_field.html")
def search_field(name, label, value="", help_id="", maxlength=100, field_id=""):
    """An `<input type="search" name=name>` with its label, holding `value` (what was searched
    for); `help_id` names the element that explains it (aria-describedby), e.g. a line under the
    form, which keeps the form's fields on one baseline."""
    return {
        "name": name,
        "id": field_id or f"id_{name}",
        "label": label,
        "value": value or "",
        "help_id": help_id,
        "maxlength": maxlength,
    }


class QueryFormNode(template.Node):
    def __init__(self, nodelist, options):
        self.nodelist = nodelist
        self.options = options

    def render(self, context):
        options = {key: value.resolve(context) for key, value in self.options.items()}
        form = context.template.engine.get_template("includes/query_form.html")
        with context.push(
            fields=self.nodelist.render(context),
            action=options.get("action", ""),
            submit=options.get("submit") or _("Show"),
        ):
            return form.render(context)


@register.tag
def query_form(parser, token):
    """`{% query_form action=url submit=label %}fields{% endquery_form %}`: a GET form of the
    fields inside (e.g. select_field), with a submit button ("Show" unless `submit` says)."""
    bits = token.split_contents()[1:]
    options = token_kwargs(bits, parser)
    if bits:
        raise template.TemplateSyntaxError("query_form takes only action= and submit=.")
    nodelist = parser.parse(("endquery_form",))
    parser.delete_first_token()
    return QueryFormNode(nodelist, options)
