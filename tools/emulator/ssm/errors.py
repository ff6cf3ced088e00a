"""AWS-shaped errors raised by the SSM backend handlers."""


class SSMError(Exception):
    """An error SSM answers with: its AWS error code, message and HTTP status."""

    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def validation_error(message):
    return SSMError("ValidationException", message)


def does_not_exist(message):
    return SSMError("DoesNotExistException", message)


def invalid_resource_id(message="The specified resource ID is not valid."):
    return SSMError("InvalidResourceId", message)
