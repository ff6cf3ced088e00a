"""Operation registry: each SSM operation the backend serves is a function(state, params) -> dict."""

OPERATIONS = {}


def operation(name):
    """Register the decorated function as the handler of the SSM operation `name`."""

    def register(handler):
        OPERATIONS[name] = handler
        return handler

    return register


SEEDERS = []


def seeder(function):
    """Register function(state) to fill a new region with what AWS owns (baselines, documents)."""
    SEEDERS.append(function)
    return function
