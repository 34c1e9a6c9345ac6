"""Django's ModelBackend, with a user's permissions read in one query.

Every request from a signed-in editor asks for them (the article page's
editing tools, every admin page); ModelBackend reads the user's own and
their groups' permissions in two queries. The rule is the same: an active
user's permissions are their own and their groups', a superuser's are all.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class PermissionsBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = Permission.objects.values_list("content_type__app_label", "codename")
            else:
                fields = ("content_type__app_label", "codename")
                own = Permission.objects.filter(user=user_obj).values_list(*fields).order_by()
                groups = Permission.objects.filter(group__user=user_obj).values_list(*fields)
                rows = own.union(groups.order_by())
            user_obj._perm_cache = {f"{label}.{codename}" for label, codename in rows}
        return user_obj._perm_cache
