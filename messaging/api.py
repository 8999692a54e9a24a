"""The thread endpoints of REST API v1: thin callers of messaging.services."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from policies.selectors import governing_version_id
from portal import roles
from portal.api.fields import utc_iso
from portal.api.permissions import IsClient, IsTherapist, IsTherapistOrClient
from portal.errors import NotFound

from . import selectors
from .export import client_record
from .models import Message
from .serializers import (
    CallIn,
    CallOut,
    ContactIn,
    MessageIn,
    MessageOut,
    MessagesQuery,
    NoteIn,
    OkOut,
    PreviewIn,
    PreviewOut,
    SendOut,
    ThreadOut,
)
from .services import calls, care, reading, send


def send_answer(result: send.SendResult) -> Response:
    m, d = result.message, result.decision
    decision = d.as_dict(for_client=m.sender_role == "client")
    decision.pop("deliver_at", None)
    body = {
        "id": m.pk,
        "status": m.status,
        "deliver_at": utc_iso(m.deliver_at),
        "decision": decision,
    }
    return Response(body, status=422 if d.outcome == "blocked" else 201)


def message_row(m: Message) -> dict:
    return {
        "id": m.pk,
        "sender": m.sender_role,
        "category": m.category,
        "channel": m.channel,
        "body": m.body,
        "status": m.status,
        "created_at": utc_iso(m.created_at),
        "deliver_at": utc_iso(m.deliver_at),
    }


class ThreadsView(APIView):
    permission_classes = [IsTherapistOrClient]

    @extend_schema(responses={200: ThreadOut(many=True)})
    def get(self, request):
        now = timezone.now()
        rows = [
            {
                "id": t.pk,
                "therapist_id": t.therapist_id,
                "client_id": t.client_id,
                "care_ended": t.care_ended,
                "governing_version_id": governing_version_id(t.consent, now),
            }
            for t in selectors.threads_for(request.user).order_by("id")
        ]
        return Response(rows)


class MessagesView(APIView):
    permission_classes = [IsTherapistOrClient]

    @extend_schema(parameters=[MessagesQuery], responses={200: MessageOut(many=True)})
    def get(self, request, pk: int):
        thread = selectors.thread_for(request.user, pk)
        query = MessagesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        before = None
        if query.validated_data.get("before") is not None:
            before = (
                selectors.visible_messages(thread, request.user)
                .filter(pk=query.validated_data["before"])
                .first()
            )
            if before is None:
                raise ValidationError({"before": ["No such message in this thread."]})
        reading.thread_viewed(thread=thread, viewer=request.user)
        page = selectors.visible_page(
            thread, request.user, limit=query.validated_data["limit"], before=before
        )
        return Response([message_row(m) for m in page])

    @extend_schema(request=MessageIn, responses={201: SendOut, 422: SendOut})
    def post(self, request, pk: int):
        ser = MessageIn(data=request.data)
        if not ser.is_valid():
            selectors.thread_for(request.user, pk)  # someone else's thread is 404, whatever the body
            raise ValidationError(ser.errors)
        # The hot path has no separate scoping read: the service reads the thread once, locked,
        # and answers 404 unless the caller is its client or its therapist.
        return send_answer(send.message_send(sender=request.user, thread=pk, **ser.validated_data))


class PreviewView(APIView):
    permission_classes = [IsTherapistOrClient]

    @extend_schema(
        request=PreviewIn,
        responses={200: PreviewOut, 400: OpenApiResponse(description="Wherever the send is 400.")},
        summary="The decision a send would get now",
        description="The same body as POST .../messages, decided now by the same loading and the same function, "
        "whatever the outcome (blocked answers 200 here). Nothing is stored or audited: no message, "
        "event, exception, alert, crisis pause, auto-reply or rate-limit count. A client's answer "
        "never carries `reading.crisis_kind`.",
    )
    def post(self, request, pk: int):
        thread = selectors.thread_for(request.user, pk)
        ser = PreviewIn(data=request.data)
        ser.is_valid(raise_exception=True)
        decision = send.message_preview(sender=request.user, thread=thread, **ser.validated_data)
        return Response(decision.as_dict(for_client=request.user.pk == thread.client_id))


class CancelView(APIView):
    permission_classes = [IsTherapistOrClient]

    @extend_schema(request=None, responses={200: MessageOut})
    def post(self, request, pk: int, mid: int):
        thread = selectors.thread_for(request.user, pk)
        message = Message.objects.filter(pk=mid, thread=thread, sender=request.user).first()
        if message is None:
            raise NotFound("No such message.")
        return Response(message_row(send.message_cancel(sender=request.user, message=message)))


class CallsView(APIView):
    permission_classes = [IsTherapistOrClient]

    @extend_schema(
        request=CallIn, responses={201: CallOut, 422: SendOut, 409: OpenApiResponse(description="slot taken")}
    )
    def post(self, request, pk: int):
        thread = selectors.thread_for(request.user, pk)
        ser = CallIn(data=request.data)
        ser.is_valid(raise_exception=True)
        result = calls.call_request(sender=request.user, thread=thread, **ser.validated_data)
        if result.call is None:
            return send_answer(result)
        c = result.call
        return Response(
            {
                "id": c.pk,
                "status": c.status,
                "start": utc_iso(c.start),
                "minutes": c.minutes,
                "decision": result.decision.as_dict(for_client=roles.is_client(request.user)),
            },
            status=201,
        )


class ContactsView(APIView):
    permission_classes = [IsTherapist]

    @extend_schema(request=ContactIn, responses={201: SendOut, 422: SendOut})
    def post(self, request, pk: int):
        thread = selectors.thread_for(request.user, pk)
        ser = ContactIn(data=request.data)
        ser.is_valid(raise_exception=True)
        return send_answer(send.contact_log(therapist=request.user, thread=thread, **ser.validated_data))


class EndCareView(APIView):
    permission_classes = [IsTherapist]

    @extend_schema(request=NoteIn, responses={200: OkOut})
    def post(self, request, pk: int):
        thread = selectors.thread_for(request.user, pk)
        ser = NoteIn(data=request.data)
        ser.is_valid(raise_exception=True)
        t = care.care_end(therapist=request.user, thread=thread, note=ser.validated_data["note"])
        return Response({"id": t.pk, "care_ended": t.care_ended})


class ReopenView(APIView):
    permission_classes = [IsTherapist]

    @extend_schema(request=None, responses={200: OkOut})
    def post(self, request, pk: int):
        thread = selectors.thread_for(request.user, pk)
        t = care.care_reopen(therapist=request.user, thread=thread)
        return Response({"id": t.pk, "care_ended": t.care_ended})


# GET /api/v1/me/export: the client's own record (messaging.export; no docstring: the schema
# describes the endpoint as before).
class ExportView(APIView):
    permission_classes = [IsClient]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        resp = Response(client_record(request.user))
        if request.query_params.get("download"):
            resp["Content-Disposition"] = 'attachment; filename="my-portal-record.json"'
        return resp
