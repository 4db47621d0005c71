"""Admin views of the organisation and of the results."""

from ownership.permissions import forbidden

from .organisation import OrgImportView

__all__ = ["OrgImportView", "forbidden"]
