from rest_framework import serializers


class StrictSerializer(serializers.Serializer):
    """Rejects a body that is not a JSON object, with a field-named 400."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"body": ["Expected a JSON object."]})
        return super().to_internal_value(data)


class TokenRequest(StrictSerializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False)
    otp = serializers.CharField(required=False, allow_blank=False, max_length=16)


class TokenResponse(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.CharField(help_text="ISO 8601 UTC time with Z: PORTAL_TOKEN_HOURS after the login.")


class TherapistCreate(StrictSerializer):
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=200)
    password = serializers.CharField(trim_whitespace=False, max_length=128)
    timezone = serializers.CharField(max_length=64)


class TherapistOut(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
