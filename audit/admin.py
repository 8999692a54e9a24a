from django.contrib import admin

from .models import AuditEvent, BoundaryException


class ReadOnlyAdmin(admin.ModelAdmin):
    """The audit log is append-only: Django admin can look, never change."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "practice", "seq", "at", "action", "actor_role", "therapist_id", "client_id")
    list_filter = ("action",)


@admin.register(BoundaryException)
class BoundaryExceptionAdmin(ReadOnlyAdmin):
    list_display = ("id", "practice", "kind", "at", "therapist", "client", "reviewed")
    exclude = ("review_note",)
