from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("", views.index, name="index"),
    path("therapist/", views.therapist_home, name="therapist_home"),
    path("me/", views.client_home, name="client_home"),
    path("me/record/", views.client_record_page, name="record"),
    path("poll/", views.poll, name="poll"),
    path("alerts/<int:alert_pk>/acknowledge/", views.alert_ack, name="alert_ack"),
    path("threads/<int:pk>/", views.thread, name="thread"),
    path("threads/<int:pk>/send/", views.send, name="send"),
    path("threads/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("threads/<int:pk>/messages/<int:mid>/cancel/", views.cancel, name="cancel"),
    path("threads/<int:pk>/calls/", views.call_book, name="call_book"),
    path("threads/<int:pk>/calls/<int:call_pk>/confirm/", views.call_confirm, name="call_confirm"),
    path("threads/<int:pk>/calls/<int:call_pk>/decline/", views.call_decline, name="call_decline"),
    path("threads/<int:pk>/contacts/", views.contact_log, name="contact_log"),
    path("threads/<int:pk>/end-care/", views.care_end, name="care_end"),
    path("threads/<int:pk>/reopen/", views.care_reopen, name="care_reopen"),
]
