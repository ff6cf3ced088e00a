"""SSM documents operations of the local endpoint."""

from .registry import operation  # noqa: F401
