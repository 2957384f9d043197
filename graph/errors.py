"""Domain exceptions. Every message names what the user must look at: a setting, a file, a row, a field."""

from __future__ import annotations


class DutygraphError(Exception):
    """Base of every error the project raises on purpose."""


class SettingError(DutygraphError):
    """A setting has a value the program cannot use."""

    def __init__(self, setting: str, reason: str):
        self.setting = setting
        self.reason = reason
        super().__init__(f"setting {setting}: {reason}")


class StoreUnavailable(DutygraphError):
    """The graph store could not be reached or started."""

    def __init__(self, reason: str, setting: str | None = None):
        self.setting = setting
        hint = f" (check the setting {setting})" if setting else ""
        super().__init__(f"graph store unavailable: {reason}{hint}")


class InvalidInput(DutygraphError):
    """A request value the graph store cannot take (a NUL character in a text): the caller's to fix."""

    def __init__(self, field: str, reason: str):
        self.field, self.reason = field, reason
        super().__init__(f"{field}: {reason}")


class IngestError(DutygraphError):
    """A source file, row or field could not be read; nothing from it was stored."""

    def __init__(self, file: str, reason: str, row: int | str | None = None, field: str | None = None):
        self.file, self.row, self.field, self.reason = str(file), row, field, reason
        where = self.file
        if row is not None:
            where += f", row {row}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {reason}")


class ModelNotFound(DutygraphError):
    """An embedding model named in the settings is not on disk."""

    def __init__(self, model: str, setting: str, fallback: str | None = None):
        self.model, self.setting, self.fallback = model, setting, fallback
        msg = f"embedding model {model!r} not found on disk; change {setting}"
        if fallback:
            msg += f" (using the bundled {fallback} instead)"
        super().__init__(msg)


