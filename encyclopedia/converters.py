from encyclopedia.text import JOINERS


class UnicodeSlugConverter:
    """Like Django's ``slug`` converter, but accepting what
    ``encyclopedia.text.slugify`` keeps: Unicode letters and digits
    (``русские-в-афганистане``) and the zero-width non-joiner and joiner
    inside a Persian, Dari, Pashto or Indic word (``هزاره‌ها-در-ایران``)."""

    regex = rf"[-\w{JOINERS}]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
