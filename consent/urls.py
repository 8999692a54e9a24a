from django.urls import path

from . import views

app_name = "consent"
urlpatterns = [
    path("", views.sign, name="sign"),
    path("<int:pk>/receipt/", views.receipt, name="receipt"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
    path("clients/", views.clients, name="clients"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/cancel/", views.invitation_cancel, name="invitation_cancel"),
]
