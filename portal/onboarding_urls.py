from django.urls import path

from . import onboarding_views

urlpatterns = [
    path("therapist/<str:token>/", onboarding_views.accept_therapist, name="therapist_invitation_accept"),
    path("<str:token>/", onboarding_views.accept, name="invitation_accept"),
]
