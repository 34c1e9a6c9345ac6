class WikitextError(ValueError):
    """A document that is not valid wiki-text; ``line`` is 1-based."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message, line)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"

    def located(self, name: str) -> str:
        """The error as ``name:line: message``, the form compilers use."""
        return f"{name}:{self.line}: {self.message}"
