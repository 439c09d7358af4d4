"""The one error hierarchy. Every message says what went wrong, where, and how to fix it.

Bugs are not wrapped in these: they crash loudly. These are for bad input, bad configuration
and missing artefacts, which a batch records as failures and the CLI prints as one clean line.
"""

from __future__ import annotations


class DisclosureCheckError(Exception):
    """Base class. ``code`` is stable (documented in the README); ``where`` names the input."""

    code = "DC000"

    def __init__(self, what: str, *, where: str | None = None, fix: str | None = None) -> None:
        self.what = what
        self.where = where
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        parts = [f"[{self.code}]"]
        if self.where:
            parts.append(f"{self.where}:")
        parts.append(self.what)
        text = " ".join(parts)
        if self.fix:
            text += f" Fix: {self.fix}"
        return text


class InputError(DisclosureCheckError):
    """A path that cannot be read or is not a supported document."""

    code = "DC100"


class FileTooLargeError(InputError):
    code = "DC101"


class EncryptedPDFError(InputError):
    code = "DC102"


class CorruptPDFError(InputError):
    code = "DC103"


class NoTextLayerError(InputError):
    """A PDF whose pages have no extractable text: scanned images, or empty."""

    code = "DC104"


class LanguageError(InputError):
    """A document in a language the classifiers were not trained on: reported, not scored."""

    code = "DC105"

    def __init__(self, what: str, *, language: str, where: str | None = None, fix: str | None = None) -> None:
        self.language = language
        super().__init__(what, where=where, fix=fix)


class TimeLimitError(InputError):
    """Scoring one document took longer than the time limit: its worker was stopped."""

    code = "DC106"


class MemoryLimitError(InputError):
    """Scoring one document needed more memory than the memory limit: its worker was stopped."""

    code = "DC107"


class WorkerDiedError(InputError):
    """The worker process scoring one document died (a crash in a PDF library, or killed)."""

    code = "DC108"


class InternalError(InputError):
    """An unexpected exception while scoring one document: a bug, named so it can be reported.
    The batch records it as that document's failure and goes on."""

    code = "DC109"


class FetchError(InputError):
    """A manifest's URL could not be fetched (refused, timed out, too large, not http/https)."""

    code = "DC111"


class CancelledError(DisclosureCheckError):
    """The caller stopped scoring before it finished (a dashboard session that ended)."""

    code = "DC110"


class BusyError(DisclosureCheckError):
    """The server is already scoring as many uploads as it may, and its queue is full."""

    code = "DC112"


class RubricError(DisclosureCheckError):
    """A rubric file that does not load or does not validate."""

    code = "DC200"


class ModelError(DisclosureCheckError):
    """A missing, incompatible or corrupt model artefact."""

    code = "DC300"


class DataError(DisclosureCheckError):
    """A training or evaluation file with missing columns or bad values."""

    code = "DC400"


class StoreError(DisclosureCheckError):
    """Where results are kept failed: a database URL that cannot be opened, a file that is not a
    database or is damaged, a schema this version cannot use, a server that went away, or a disk
    that filled up or failed while writing (the database or an output file)."""

    code = "DC500"


class ConfigError(DisclosureCheckError):
    """A setting or option with a value the tool cannot use."""

    code = "DC600"


# What a business uploading its own statement is told, by error code: no command-line options, no
# codes, one thing to do. The batch and CLI keep the full what/where/fix message.
UPLOAD_MESSAGES = {
    "DC100": "We could not open this file as a PDF. Export your statement as PDF and upload that.",
    "DC101": "This PDF is too large for us to check here. Save a smaller copy (fewer pages, compressed "
             "images) and upload that.",
    "DC102": "This PDF is password-protected. Save a copy without a password and upload that.",
    "DC103": "This PDF is damaged and cannot be read. Export it again from the original document and upload "
             "the new copy.",
    "DC104": "This PDF has no text we can read (it looks like scanned images). Export the statement from the "
             "original document, so the text can be selected, and upload that.",
    "DC105": "This statement is not in English, the only language we can check for now.",
    "DC106": "Checking this PDF took too long. Try a smaller copy, for example the statement without "
             "appendices.",
    "DC107": "This PDF needs more memory than we can give one check. Try a smaller copy, for example with "
             "compressed images.",
    "DC108": "Something in this PDF stopped our reader. Export the statement again and upload the new copy.",
    "DC109": "Something went wrong while checking this PDF. Please try again; if it keeps happening, send the "
             "file to the Commissioner's office.",
}
UPLOAD_FALLBACK = "We could not check this PDF. Export your statement as PDF again and upload the new copy."


def upload_message(code: str) -> str:
    """A failure's code as plain words for someone who uploaded a file (see ``UPLOAD_MESSAGES``)."""
    return UPLOAD_MESSAGES.get(code, UPLOAD_FALLBACK)
