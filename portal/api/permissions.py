"""Role checks (403), by the predicates of portal.roles. Object scoping (404) is done by the
views' querysets."""

from rest_framework.permissions import BasePermission

from portal import roles


class IsPracticeAdmin(BasePermission):
    def has_permission(self, request, view) -> bool:
        return roles.is_practice_admin(request.user)


class IsTherapist(BasePermission):
    def has_permission(self, request, view) -> bool:
        return roles.is_therapist(request.user)


class IsClient(BasePermission):
    def has_permission(self, request, view) -> bool:
        return roles.is_client(request.user)


class IsTherapistOrClient(BasePermission):
    def has_permission(self, request, view) -> bool:
        return roles.is_participant(request.user)
