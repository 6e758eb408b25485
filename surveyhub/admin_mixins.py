"""Admin pages for records the product writes itself, never typed in by hand.

Put the mixin before `admin.ModelAdmin` (or an inline class) in the bases.
"""


class NoAddOrChange:
    """Listed and viewed, deleted where the role may delete; never added or edited here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ViewOnly(NoAddOrChange):
    """Listed and viewed only (logs, immutable records)."""

    def has_delete_permission(self, request, obj=None):
        return False
