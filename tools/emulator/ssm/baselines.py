"""SSM baselines operations of the local endpoint."""

from .registry import operation  # noqa: F401
