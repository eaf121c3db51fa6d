"""The API's JSON parser: DRF's, with a limit on how deeply a body may nest.

Python's JSON decoder recurses once per level, so a body of a thousand opening brackets is a
RecursionError (a 500) in the decoder or in whatever walks the parsed value next (a serializer,
the audit log). No request of this API nests more than a few levels: deeper is a 400.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32
TOO_DEEP = _("JSON parse error - the body nests more than {depth} levels deep.")


def nesting_exceeds(value, limit: int) -> bool:
    """Whether `value` (parsed JSON) has arrays or objects nested more than `limit` deep,
    walked without recursion."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSONParser, refusing a body nested deeper than `max_depth` with a 400."""

    max_depth = MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        too_deep = ParseError(TOO_DEEP.format(depth=self.max_depth))
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep from None
        if isinstance(data, dict | list) and nesting_exceeds(data, self.max_depth):
            raise too_deep
        return data
