"""All errors a verdict can raise; each carries an exit code and a message that names the file."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    ok = 0
    bad_args = 2
    some_failed = 1  # a batch finished, but at least one file could not be read
    input_file = 4
    encrypted = 5
    corrupt = 6
    not_a_verdict = 8
    other_error = 15
    ctrl_c = 130


class VerdictError(Exception):
    """Base of the errors the pipeline knows how to report."""

    exit_code: ExitCode = ExitCode.other_error
    code: str = "other_error"
    message: str = "could not process the file"

    def __init__(self, path: Path | str, detail: str | None = None) -> None:
        self.path = str(path)
        self.detail = detail
        super().__init__(self.describe())

    def describe(self) -> str:
        text = f"{self.path}: {self.message}"
        return f"{text} ({self.detail})" if self.detail else text


class InputFileError(VerdictError):
    exit_code = ExitCode.input_file
    code = "input_file"
    message = "cannot read the file"


class FileMissingError(InputFileError):
    code = "file_missing"
    message = "the file is gone (moved or deleted after the run listed it, or a broken link)"


class PermissionDeniedError(InputFileError):
    code = "permission_denied"
    message = "no permission to read the file; ask for read access or copy it"


def input_error(path: Path | str, exc: OSError) -> InputFileError:
    """The error for an OS failure to read ``path``, specific where the cause is common."""
    import errno

    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return FileMissingError(path)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return PermissionDeniedError(path)
    return InputFileError(path, exc.strerror)


class EmptyFileError(InputFileError):
    code = "empty_file"
    message = "the file is empty (0 bytes); re-export or re-scan it"


class NotAPdfError(InputFileError):
    code = "not_a_pdf"
    message = "not a PDF file (no %PDF header); convert it to PDF first"


class EncryptedVerdictError(VerdictError):
    exit_code = ExitCode.encrypted
    code = "encrypted"
    message = "the PDF is encrypted or password-protected; save an unprotected copy and retry"


class CorruptPdfError(VerdictError):
    exit_code = ExitCode.corrupt
    code = "corrupt_pdf"
    message = "the PDF is damaged and cannot be parsed; re-export or re-scan it"


class TooManyPagesError(VerdictError):
    exit_code = ExitCode.corrupt
    code = "too_many_pages"
    message = "too many pages for one verdict (likely a whole case file); run it alone with a higher --max-pages"


class ImageTooLargeError(VerdictError):
    exit_code = ExitCode.corrupt
    code = "image_too_large"
    message = "a page image is too large to decode safely (a decompression bomb or a mis-made scan)"


class NotAVerdictError(VerdictError):
    exit_code = ExitCode.not_a_verdict
    code = "not_a_verdict"
    message = "no verdict structure found (no operative part such as ПРИГОВОРИЛ / ҮКІМ ЕТТІ / SENTENCED)"
