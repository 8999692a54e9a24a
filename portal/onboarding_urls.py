from django.urls import path

from . import onboarding_views

urlpatterns = [
    path("<str:token>/", onboarding_views.accept, name="invitation_accept"),
]
