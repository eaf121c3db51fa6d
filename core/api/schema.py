"""The OpenAPI schema documents the errors every operation can answer, not only its success, so
that clients (and the schema-driven tests) know every status they may meet."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in the request's language.")


class ValidationErrorSerializer(serializers.Serializer):
    """Messages by field (`{"field": ["message", ...]}`), `non_field_errors` for the whole input,
    or `detail` for input that could not be read at all."""


class AutoSchema(SpectacularAutoSchema):
    def get_auth(self):
        auths = super().get_auth()
        # ScopedPermission lets anyone read a public view: no credentials is a valid choice.
        public_read = self.method.upper() in ("GET", "HEAD") and getattr(self.view, "public", False)
        if public_read and {} not in auths:
            auths.append({})
        return auths

    def _error_responses(self) -> dict[str, OpenApiResponse]:
        view = self.view
        method = self.method.upper()
        errors = {
            "401": OpenApiResponse(
                ErrorSerializer, "The API token is invalid, expired or revoked."
            ),
            "429": OpenApiResponse(ErrorSerializer, "Too many requests; retry later."),
        }
        if method not in ("GET", "HEAD") or not getattr(view, "public", False):
            errors["403"] = OpenApiResponse(ErrorSerializer, "Not allowed for these credentials.")
        if "{" in self.path:
            errors["404"] = OpenApiResponse(ErrorSerializer, "No such object in your scope.")
        elif self._is_list_view():
            errors["404"] = OpenApiResponse(ErrorSerializer, "No such page.")
        if method in ("POST", "PUT", "PATCH") or self._is_list_view():
            errors["400"] = OpenApiResponse(
                ValidationErrorSerializer, "The input (body or filters) is not valid."
            )
        return errors

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in self._error_responses().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses
