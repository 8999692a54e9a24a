from django.urls import path

from . import views

app_name = "policies"
urlpatterns = [
    path("", views.editor, name="editor"),
    path("preview/", views.preview, name="preview"),
    path("publish/", views.publish, name="publish"),
    path("history/", views.history, name="history"),
    path("diff/", views.diff, name="diff"),
    path("simulator/", views.simulator, name="simulator"),
]
