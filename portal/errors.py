"""Typed domain errors raised by services, turned into a form error or a 4xx in one place per door."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    http_status = 400
    code = "invalid"

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message or self.__class__.__doc__ or self.code)
        self.message = message or (self.__class__.__doc__ or self.code).strip()
        self.field = field

    def as_dict(self) -> dict:
        if self.field:
            return {self.field: [self.message]}
        return {"detail": self.message}


class PolicyInvalid(DomainError):
    """The rules break the contract."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        first = next(iter(errors.items()), ("rules", ["invalid"]))
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()), field=first[0])

    def as_dict(self) -> dict:
        return dict(self.errors)


class Conflict(DomainError):
    """The state moved on."""

    http_status = 409
    code = "conflict"


class Gone(DomainError):
    """This link was already used or has expired."""

    http_status = 410
    code = "gone"


class NotFound(DomainError):
    """Not found."""

    http_status = 404
    code = "not_found"
