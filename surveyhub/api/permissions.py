from rest_framework.permissions import DjangoModelPermissions


class ModelPermissions(DjangoModelPermissions):
    """Django model permissions for the API, reads included: GET needs the view permission."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


class ChangePermission(ModelPermissions):
    """For state-changing actions (publish, close, send): needs the change permission."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return super().has_permission(request, view)
        model = self._queryset(view).model
        return request.user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")
