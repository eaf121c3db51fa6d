"""Check API responses against the project's own OpenAPI 3.1 schema (drf-spectacular)."""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

import jsonschema
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("uri", raises=ValueError)
def _is_uri(value) -> bool:
    if not isinstance(value, str):
        return True  # formats apply to strings only; the type keyword judges the rest
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


@cache
def api_schema() -> dict:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    return schema


def _operation(path: str, method: str) -> dict:
    paths = api_schema()["paths"]
    if path in paths:  # a literal path (observers/stats/) before a template (observers/{id}/)
        return paths[path][method.lower()]
    for template, item in paths.items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path):
            return item[method.lower()]
    raise AssertionError(f"{method} {path} is not in the API schema")


def assert_matches_schema(response, method: str = "GET") -> None:
    """The response's status and body are what the schema says for this path and method."""
    path = response.request["PATH_INFO"]
    operation = _operation(path, method)
    status = str(response.status_code)
    assert status in operation["responses"], (
        f"{method} {path} answered {status}, the schema lists {list(operation['responses'])}"
    )
    content = operation["responses"][status].get("content", {})
    if not content:
        return
    body_schema = content["application/json"]["schema"]
    root = api_schema()
    registry = Registry().with_resource(
        "urn:api", Resource(contents=root, specification=DRAFT202012)
    )
    rewritten = _rewrite_refs(body_schema)
    jsonschema.Draft202012Validator(rewritten, registry=registry, format_checker=FORMATS).validate(
        response.json()
    )


def _rewrite_refs(node):
    if isinstance(node, dict):
        return {
            key: (
                "urn:api" + value
                if key == "$ref" and value.startswith("#")
                else _rewrite_refs(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node
