"""The project's own SSM Patch Manager backend for the local AWS endpoint."""
