from rest_framework import permissions

from core.models import ApiToken


class ScopedPermission(permissions.DjangoModelPermissions):
    """Who may call an endpoint at all (which rows is `restrict`'s business).

    A view declares:
    - `public = True` when anyone may read it;
    - `token_scopes = {"GET": "observers:read", "POST": "observers:submit"}`: what an agency's
      token needs for each method.
    Signed-in staff need the model permission of the method (view for reads).
    """

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view):
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        if method == "GET" and getattr(view, "public", False):
            return True
        if isinstance(request.auth, ApiToken):
            required = getattr(view, "token_scopes", {}).get(method)
            return required is not None and request.auth.has_scope(required)
        if getattr(view, "_ignore_model_permissions", False):
            return bool(request.user and request.user.is_authenticated)
        return super().has_permission(request, view)
