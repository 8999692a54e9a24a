from rest_framework import serializers

from policies.vocabulary import CHANNELS
from portal.api.fields import UtcDateTimeField
from portal.api.serializers import StrictSerializer


class InvitationIn(StrictSerializer):
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=200)


class InvitationOut(serializers.Serializer):
    id = serializers.IntegerField()
    token = serializers.CharField()
    expires_at = UtcDateTimeField()


class AcceptIn(StrictSerializer):
    password = serializers.CharField(trim_whitespace=False, max_length=128)


class AcceptOut(serializers.Serializer):
    client_id = serializers.IntegerField()
    thread_id = serializers.IntegerField()
    token = serializers.CharField()


class ConsentIn(StrictSerializer):
    policy_version_id = serializers.IntegerField()
    content_sha256 = serializers.CharField(max_length=64)
    signature = serializers.CharField(max_length=200)
    channels = serializers.ListField(child=serializers.ChoiceField(choices=CHANNELS), allow_empty=False)
    acknowledged = serializers.BooleanField()


class ConsentOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    signed_at = UtcDateTimeField()


class RevokeIn(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class RevokeOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
