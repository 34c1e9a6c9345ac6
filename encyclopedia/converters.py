class UnicodeSlugConverter:
    """Like Django's ``slug`` converter, but accepting the Unicode letters that
    ``slugify(..., allow_unicode=True)`` keeps (``русские-в-афганистане``)."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
