"""Domain errors of joint punishment (mapped to 400/409 by the project handler)."""

from __future__ import annotations

from apps.core.exceptions import ConflictError, DomainError


class ListingRefused(DomainError):
    """A listing or removal breaks a list rule; the message names the field and rule.

    Also a ``ValueError`` so that ingestion fails the submission with this message.
    """

    code = "listing_refused"


class IngestedRowRefused(ListingRefused, ValueError):
    """An ingested list row breaks a list rule (row, field and rule in the message)."""

    code = "list_row_refused"


class ProposalConflict(ConflictError):
    """The proposal is no longer pending, or its target changed since it was made."""

    code = "proposal_conflict"
