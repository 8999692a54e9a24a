from django.urls import path

from . import event_views, views

app_name = "audit"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("exceptions/", views.exceptions, name="exceptions"),
    path("exceptions/export.csv", views.export_csv, name="export"),
    path("exceptions/<int:pk>/", views.exception_detail, name="exception"),
    path("exceptions/<int:pk>/review/", views.review, name="review"),
    path("events/", event_views.events, name="events"),
    path("events/export.csv", event_views.events_export, name="events_export"),
    path("exceptions/<int:pk>/read/", views.break_glass, name="break_glass"),
    path("verify/", views.verify_view, name="verify"),
    path("verify/checkpoint.json", views.checkpoint_download, name="checkpoint_download"),
    path("verify/full/", views.verify_full_request, name="verify_full"),
    path("reads/<int:pk>/", views.break_glass_notice, name="break_glass_notice"),
]
