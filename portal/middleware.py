"""Database errors that reach a view answer the truth.

A lost connection (the server went away, restarted, refuses connections for now) is a
clear 503, JSON for the API and a page for the browser, no trace; the broken connections
are dropped so the next request reconnects by itself. Anything else is a fault: a deadlock
or a serialization failure that came back even after the service ran its transaction a
second time (portal.locks.rerun_on_conflict), a query cancelled by a timeout, SQL that is
wrong. It is logged, with its trace, as the 500 it is; the connections stay.
"""

from __future__ import annotations

import contextlib
import logging

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from .locks import is_conflict, sqlstate

log = logging.getLogger(__name__)

# SQLSTATEs of a connection that is gone or cannot be had now: connection_exception (class
# 08), admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections.
_UNAVAILABLE_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "53300"})
# SQLite: the database file cannot be opened or read.
_SQLITE_UNAVAILABLE = frozenset({"SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_NOTADB", "SQLITE_FULL"})


def is_lost_connection(exc: BaseException) -> bool:
    """The database could not be reached, or the connection broke: a retry later will do."""
    if isinstance(exc, InterfaceError):  # "connection already closed"
        return True
    if not isinstance(exc, OperationalError) or is_conflict(exc):
        return False
    cause = exc.__cause__
    name = getattr(cause, "sqlite_errorname", None)
    if name is not None:
        return any(name == n or name.startswith(n + "_") for n in _SQLITE_UNAVAILABLE)  # also extended codes
    code = sqlstate(exc)
    if code is None:
        # The driver's own error, no answer from a server: it could not connect, or the
        # connection dropped ("server closed the connection unexpectedly").
        return True
    return code.startswith("08") or code in _UNAVAILABLE_SQLSTATES


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DatabaseError):
            return None
        if not is_lost_connection(exception):
            return self._fault(request, exception)
        log.error("database unavailable: %s", exception.__class__.__name__)
        # Drop the broken connection so the next request reconnects by itself.
        for conn in connections.all(initialized_only=True):
            with contextlib.suppress(Exception):  # it is already broken
                conn.close()
        resp: HttpResponse
        if request.path.startswith("/api/"):
            resp = JsonResponse(
                {"detail": "The service is briefly unavailable. Please try again in a minute."}, status=503
            )
        else:
            resp = HttpResponse(render_to_string("503.html"), status=503)
        resp["Retry-After"] = "30"
        return resp

    @staticmethod
    def _fault(request, exception):
        """A 500. Pages get Django's own (which logs it); the API gets JSON, logged here."""
        if not request.path.startswith("/api/"):
            return None
        # The exception's text is the database's (SQLSTATE, lock and relation names), never
        # a request's values; the trace says where.
        log.error(
            "Internal Server Error: %s (database %s, SQLSTATE %s)",
            request.path,
            exception.__class__.__name__,
            sqlstate(exception),
            exc_info=exception,
        )
        return JsonResponse({"detail": "Something went wrong on our side. Please try again."}, status=500)
