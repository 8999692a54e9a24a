from django.urls import path

from . import api

urlpatterns = [
    path("invitations", api.InvitationsView.as_view(), name="api-invitations"),
    path("invitations/<str:token>/accept", api.AcceptView.as_view(), name="api-invitation-accept"),
    path("consents", api.ConsentsView.as_view(), name="api-consents"),
    path("consents/<int:pk>/revoke", api.RevokeView.as_view(), name="api-consent-revoke"),
    path("consents/<int:pk>/fhir", api.FhirView.as_view(), name="api-consent-fhir"),
]
