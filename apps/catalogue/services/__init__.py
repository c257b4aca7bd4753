"""Every state change of the resource catalogue.

Each service runs in ``transaction.atomic()`` and writes its audit event in
the same transaction. Editing rights: only provincial administrators change
the catalogue (``Resource.scope_rule``); ``actor=None`` is the system (the
``load_catalogue`` command). Published versions are immutable: every draft
service refuses them with :class:`ConflictError`.
"""

from __future__ import annotations

from .common import (
    FIELD_DIFF_KEYS,
    FIELD_KEYS,
    REGIME_KEYS,
    VERSION_KEYS,
    version_published,
)
from .definitions import (
    diff_definitions,
    diff_is_empty,
    diff_versions,
    field_definition,
    version_definition,
)
from .drafts import (
    add_field,
    create_draft,
    create_resource,
    get_or_create_draft,
    publish_version,
    remove_field,
    reorder_fields,
    set_suppliers,
    update_draft,
    update_field,
)
from .imports import (
    ImportSummary,
    import_catalogue,
    merged_proposal_document,
    version_document,
)
from .supplements import (
    add_regime,
    approve_proposal,
    reject_proposal,
    set_resource_liaison,
    submit_proposal,
    update_regime,
)

__all__ = [
    "FIELD_DIFF_KEYS",
    "FIELD_KEYS",
    "ImportSummary",
    "REGIME_KEYS",
    "VERSION_KEYS",
    "add_field",
    "add_regime",
    "approve_proposal",
    "create_draft",
    "create_resource",
    "diff_definitions",
    "diff_is_empty",
    "diff_versions",
    "field_definition",
    "get_or_create_draft",
    "import_catalogue",
    "merged_proposal_document",
    "publish_version",
    "reject_proposal",
    "remove_field",
    "reorder_fields",
    "set_resource_liaison",
    "set_suppliers",
    "submit_proposal",
    "update_draft",
    "update_field",
    "update_regime",
    "version_definition",
    "version_document",
    "version_published",
]
