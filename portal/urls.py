from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from portal.api.errors import not_found as api_not_found

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("portal.account_urls")),
    path("practice/", include("portal.practice_urls")),
    path("invite/", include("portal.onboarding_urls")),
    path("policy/", include("policies.urls")),
    path("consent/", include("consent.urls")),
    path("messages/", include("messaging.urls")),
    path("audit/", include("audit.urls")),
    path("api/v1/", include("portal.api.urls")),
    re_path(r"^api/", api_not_found),  # after every API route: unknown API paths answer JSON
    path("django-admin/", admin.site.urls),
]

if settings.PORTAL_BENCH_ENDPOINTS:  # benchmark settings only
    from .bench_views import BaselineInsert

    urlpatterns.append(path("bench/baseline", BaselineInsert.as_view()))
