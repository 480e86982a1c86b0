"""The one exception type the services raise for a user's mistake or a refused input."""
from __future__ import annotations


class IpdeskError(Exception):
    """A refusal with a Chinese message for the user and an English one for logs.

    ``field_errors`` maps a field name to its Chinese message when the refusal is
    about a form; screens show each message on its field.
    """

    def __init__(self, zh: str, en: str = "", field_errors: dict[str, str] | None = None):
        super().__init__(zh)
        self.zh = zh
        self.en = en or zh
        self.field_errors = dict(field_errors or {})

    def bilingual(self) -> str:
        return f"{self.zh}\n{self.en}" if self.en != self.zh else self.zh
