"""All errors a verdict can raise; each carries an exit code and a message that names the file."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    ok = 0
    bad_args = 2
    some_failed = 3  # a batch finished, but at least one file could not be read
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


class NotAVerdictError(VerdictError):
    exit_code = ExitCode.not_a_verdict
    code = "not_a_verdict"
    message = "no verdict structure found (no operative part such as ПРИГОВОРИЛ/ПОСТАНОВИЛ)"
