from django.urls import path

from audit import views as audit_views

from . import views

app_name = "practice"
urlpatterns = [
    path("", audit_views.dashboard, name="dashboard"),
    path("therapists/", views.therapists, name="therapists"),
    path(
        "therapists/invitations/<int:pk>/resend/",
        views.therapist_invitation_resend,
        name="therapist_invitation_resend",
    ),
    path("security/", views.practice_security, name="security"),
]
