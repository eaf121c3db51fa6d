"""Permissions by role.

Each app declares in its AppConfig which model permissions each role holds
(`role_permissions = {Role.CEC_STAFF: ["app.codename", ...]}`); this backend grants them on top of
Django's per-user and per-group permissions. Which rows a permission reaches is decided apart, by
`core.scoping`.
"""

from functools import cache

from django.apps import apps
from django.contrib.auth.backends import ModelBackend


@cache
def permissions_by_role() -> dict[str, frozenset[str]]:
    grants: dict[str, set[str]] = {}
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            grants.setdefault(str(role), set()).update(perms)
    return {role: frozenset(perms) for role, perms in grants.items()}


class RoleBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        cached = getattr(user_obj, "_saylau_role_perm_cache", None)
        if cached is None:
            cached = set(super().get_all_permissions(user_obj))
            cached |= permissions_by_role().get(user_obj.role, frozenset())
            user_obj._saylau_role_perm_cache = cached
        return cached

    def has_module_perms(self, user_obj, app_label):
        return user_obj.is_active and any(
            perm.split(".", 1)[0] == app_label for perm in self.get_all_permissions(user_obj)
        )
