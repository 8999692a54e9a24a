"""A database outage answers a clear 503 (JSON for the API, a page for the browser), no trace."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.http import HttpResponse

log = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        log.error("database unavailable: %s", exception.__class__.__name__)
        # Drop the broken connection so the next request reconnects by itself.
        for conn in connections.all(initialized_only=True):
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - it is already broken
                pass
        if request.path.startswith("/api/"):
            resp = JsonResponse({"detail": "The service is briefly unavailable. Please try again in a minute."},
                                status=503)
        else:
            resp = HttpResponse(render_to_string("503.html"), status=503)
        resp["Retry-After"] = "30"
        return resp
