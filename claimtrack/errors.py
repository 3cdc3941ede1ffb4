"""The one exception type that carries a user-facing message and an exit code."""


class ClaimtrackError(Exception):
    """A mistake the user can fix: shown as a plain message, never a traceback."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
