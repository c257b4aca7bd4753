"""Domain exceptions shared by every app; the API handler maps them to HTTP codes."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the operation (HTTP 400)."""

    status_code = 400
    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class ConflictError(DomainError):
    """The operation conflicts with the current state (HTTP 409)."""

    status_code = 409
    code = "conflict"
