"""The benchmark's baseline: one authenticated POST that inserts one row, nothing else.

Routed only when settings.PORTAL_BENCH_ENDPOINTS is true (portal.settings.bench)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import OutboxItem


class BaselineInsert(APIView):
    @extend_schema(exclude=True)
    def post(self, request):
        from django.utils import timezone

        now = timezone.now()
        row = OutboxItem.objects.create(task="bench.baseline", payload={}, created_at=now, done_at=now)
        return Response({"id": row.pk}, status=201)
