from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.chain import record
from portal import services, two_factor

from .permissions import IsPracticeAdmin
from .serializers import TherapistCreate, TherapistOut, TokenRequest, TokenResponse


class TokenView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenRequest, responses={200: TokenResponse})
    def post(self, request):
        ser = TokenRequest(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        user = authenticate(request, username=data["email"], password=data["password"])
        if user is None:
            return Response({"non_field_errors": ["Unable to log in with these credentials."]},
                            status=status.HTTP_400_BAD_REQUEST)
        if two_factor.is_enrolled(user):
            otp = data.get("otp")
            if not otp:
                return Response({"otp": ["This account uses two-factor login: enter the code."]},
                                status=status.HTTP_400_BAD_REQUEST)
            if not two_factor.verify(user, otp):
                return Response({"otp": ["That code is not valid."]}, status=status.HTTP_400_BAD_REQUEST)
        token, _ = Token.objects.get_or_create(user=user)
        if user.practice_id:
            record(practice_id=user.practice_id, action="auth.token_issued", actor=user, obj=user)
        return Response({"token": token.key})


class TherapistsView(APIView):
    permission_classes = [IsPracticeAdmin]

    @extend_schema(request=TherapistCreate, responses={201: TherapistOut})
    def post(self, request):
        ser = TherapistCreate(data=request.data)
        ser.is_valid(raise_exception=True)
        t = services.therapist_create(admin=request.user, **ser.validated_data)
        return Response(TherapistOut(t).data, status=status.HTTP_201_CREATED)
