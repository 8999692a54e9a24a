"""A consent as an HL7 FHIR R4 Consent resource (validated with fhir.resources' R4B model,
whose Consent has the same shape as R4's)."""

from __future__ import annotations

from django.conf import settings

from portal.api.fields import utc_iso

from .models import Consent


def consent_resource(consent: Consent) -> dict:
    version = consent.policy_version
    status = "active" if consent.status == Consent.Status.ACTIVE else "inactive"
    resource = {
        "resourceType": "Consent",
        "id": str(consent.pk),
        "status": status,
        "scope": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                    "code": "treatment",
                    "display": "Treatment",
                }
            ]
        },
        "category": [
            {
                "coding": [{"system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent"}],
                "text": "Contact outside therapy sessions",
            }
        ],
        "patient": {"reference": f"Patient/{consent.client_id}", "display": consent.signed_name},
        "dateTime": utc_iso(consent.signed_at),
        "performer": [{"reference": f"Patient/{consent.client_id}"}],
        "organization": [{"reference": f"Organization/{consent.practice_id}"}],
        "sourceAttachment": {
            "contentType": "text/plain; charset=utf-8",
            "url": f"{settings.PORTAL_BASE_URL.rstrip('/')}/api/v1/policies/{version.pk}",
            "hash": _b64(consent.content_sha256),
            "title": f"Contact policy version {version.version}",
        },
        "policyRule": {
            "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}]
        },
        "provision": {
            "type": "permit",
            "period": {
                "start": utc_iso(consent.signed_at),
                **(
                    {"end": utc_iso(consent.revoked_at or consent.superseded_at)}
                    if status == "inactive" and (consent.revoked_at or consent.superseded_at)
                    else {}
                ),
            },
            "actor": [
                {
                    "role": {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                "code": "PRCP",
                            }
                        ]
                    },
                    "reference": {"reference": f"Practitioner/{consent.therapist_id}"},
                }
            ],
            "purpose": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "TREAT"}],
            "code": [
                {"coding": [{"system": "urn:contact-policy-portal:channel", "code": ch}]}
                for ch in consent.channels
            ],
        },
    }
    return resource


def _b64(hex_digest: str) -> str:
    import base64

    return base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")


def validate(resource: dict) -> None:
    """Raise if the resource is not a valid FHIR Consent."""
    from fhir.resources.R4B.consent import Consent as FhirConsent

    FhirConsent.model_validate(resource) if hasattr(FhirConsent, "model_validate") else FhirConsent.parse_obj(
        resource
    )
