"""Role checks (403). Object scoping (404) is done by the views' querysets."""

from rest_framework.permissions import BasePermission


class IsPracticeAdmin(BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_practice_admin and request.user.practice_id)


class IsTherapist(BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_therapist and request.user.practice_id)


class IsClient(BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_client)


class IsTherapistOrClient(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and (user.is_client or (user.is_therapist and user.practice_id)))


class IsParticipantRole(IsTherapistOrClient):
    """Therapist or client; whether they take part in the thread is checked by scoping (404)."""
