from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import services, two_factor
from portal.security import lockout_response

from .authentication import TokenAuthentication
from .fields import utc_iso
from .permissions import IsPracticeAdmin
from .serializers import TherapistCreate, TherapistOut, TokenRequest, TokenResponse


class TokenView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenRequest,
        responses={
            200: TokenResponse,
            400: OpenApiResponse(
                description=(
                    "bad credentials; `otp` missing or wrong for an account enrolled in two-factor login; or a "
                    "therapist or admin whose practice requires two-factor login has not enrolled"
                )
            ),
            429: OpenApiResponse(description="too many failed logins from this address for this account"),
        },
    )
    def post(self, request):
        ser = TokenRequest(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        # The Django request, not DRF's: django-axes marks it when the address is locked out.
        django_request = request._request
        user = authenticate(django_request, username=data["email"], password=data["password"])
        if getattr(django_request, "axes_locked_out", False):
            return lockout_response(django_request)
        if user is None:
            return Response(
                {"non_field_errors": ["Unable to log in with these credentials."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if two_factor.is_enrolled(user):
            otp = data.get("otp")
            if not otp:
                return Response(
                    {"otp": ["This account uses two-factor login: enter the code."]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            if not two_factor.verify(user, otp):
                return Response({"otp": ["That code is not valid."]}, status=status.HTTP_400_BAD_REQUEST)
        elif user.needs_two_factor:
            return Response(
                {
                    "non_field_errors": [
                        "Your practice requires two-factor login. Log in to the portal in a browser and set up "
                        "your authenticator app (Two-factor login) first; then log in here with its code as `otp`."
                    ]
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        key, expiry = services.api_token_issue(user=user)
        return Response({"token": key, "expiry": utc_iso(expiry)})


class LogoutView(APIView):
    """Revokes the token that made this request (only a token can: a session logs out in the browser)."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: OpenApiResponse(description="the token is revoked")})
    def post(self, request):
        services.api_token_revoke(token=request.auth, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TherapistsView(APIView):
    permission_classes = [IsPracticeAdmin]

    @extend_schema(request=TherapistCreate, responses={201: TherapistOut})
    def post(self, request):
        ser = TherapistCreate(data=request.data)
        ser.is_valid(raise_exception=True)
        t = services.therapist_create(admin=request.user, **ser.validated_data)
        return Response(TherapistOut(t).data, status=status.HTTP_201_CREATED)
