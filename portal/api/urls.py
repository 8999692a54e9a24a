from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

urlpatterns = [
    path("auth/token", views.TokenView.as_view(), name="api-token"),
    path("auth/logout", views.LogoutView.as_view(), name="api-logout"),
    path("therapists", views.TherapistsView.as_view(), name="api-therapists"),
    path(
        "schema",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="api-schema",
    ),
    path(
        "docs",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", authentication_classes=[], permission_classes=[]
        ),
        name="api-docs",
    ),
    path("", include("policies.api_urls")),
    path("", include("consent.api_urls")),
    path("", include("messaging.api_urls")),
    path("", include("audit.api_urls")),
]
