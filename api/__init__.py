"""The REST API for external tools."""
