"""factory_boy factories for the personas and the objects tests need."""

from __future__ import annotations

import factory
from factory.declarations import BaseDeclaration

from portal.models import Practice, User

PASSWORD = "Test-pass-4821!"


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    name = factory.Sequence(lambda n: f"Practice {n}")


def _save_user(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
    """Save once after the post-generation calls (set_password), as skip_postgeneration_save asks."""
    if create:
        obj.save()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    # A declaration: a SubFactory here, a SelfAttribute in ClientFactory.
    practice: BaseDeclaration = factory.SubFactory(PracticeFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    _save = factory.post_generation(_save_user)


class AdminFactory(UserFactory):
    is_practice_admin = True
    full_name = factory.Sequence(lambda n: f"Admin {n}")


class TherapistFactory(UserFactory):
    is_therapist = True
    timezone = "America/New_York"
    full_name = factory.Sequence(lambda n: f"Dr Therapist {n}")


class ClientFactory(UserFactory):
    """A client of `therapist` (same practice)."""

    therapist = factory.SubFactory(TherapistFactory)
    practice = factory.SelfAttribute("therapist.practice")
    full_name = factory.Sequence(lambda n: f"Client {n}")
