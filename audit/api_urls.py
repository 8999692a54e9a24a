from django.urls import path

from . import api

urlpatterns = [
    path("audit/exceptions", api.ExceptionsView.as_view(), name="api-audit-exceptions"),
    path("audit/exceptions/<int:pk>/review", api.ReviewView.as_view(), name="api-audit-review"),
    path("audit/verify", api.VerifyView.as_view(), name="api-audit-verify"),
    path("audit/checkpoint", api.CheckpointView.as_view(), name="api-audit-checkpoint"),
]
