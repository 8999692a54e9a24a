"""One place where the API turns domain errors and DRF errors into the contract's answers."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.errors import DomainError, PolicyInvalid


def exception_handler(exc, context):
    if isinstance(exc, PolicyInvalid):
        # Field paths of the rules document, under "rules" as the request names it.
        return Response({"rules": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.http_status)
    if isinstance(exc, exceptions.ParseError):
        return Response({"body": [str(exc.detail)]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return Response({"body": [str(exc.detail)]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    return drf_exception_handler(exc, context)


def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any path under /api/ that no endpoint serves: the JSON 404 an API client can read."""
    return JsonResponse({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
