from django.urls import path

from . import api

urlpatterns = [
    path("threads", api.ThreadsView.as_view(), name="api-threads"),
    path("threads/<int:pk>/messages", api.MessagesView.as_view(), name="api-messages"),
    path("threads/<int:pk>/preview", api.PreviewView.as_view(), name="api-preview"),
    path("threads/<int:pk>/messages/<int:mid>/cancel", api.CancelView.as_view(), name="api-message-cancel"),
    path("threads/<int:pk>/calls", api.CallsView.as_view(), name="api-calls"),
    path("threads/<int:pk>/contacts", api.ContactsView.as_view(), name="api-contacts"),
    path("threads/<int:pk>/end-care", api.EndCareView.as_view(), name="api-end-care"),
    path("threads/<int:pk>/reopen", api.ReopenView.as_view(), name="api-reopen"),
    path("me/export", api.ExportView.as_view(), name="api-me-export"),
]
