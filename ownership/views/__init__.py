"""Admin views of the organisation and of the results."""

from .organisation import OrgImportView, forbidden

__all__ = ["OrgImportView", "forbidden"]
