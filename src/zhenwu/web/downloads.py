"""What every export and import shares: the xlsx content type, a download name in Chinese, and a
signed dry-run payload so that a confirmation saves exactly what the user was shown."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.core import signing
from django.core.exceptions import ValidationError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PENDING_MAX_AGE = 60 * 60


def attachment(filename: str) -> str:
    """A Content-Disposition value that keeps a Chinese file name in every browser."""
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def sign_pending(payload: Any, salt: str) -> str:
    return signing.dumps(payload, salt=salt, compress=True)


def unsign_pending(token: str, salt: str) -> Any:
    try:
        return signing.loads(token, salt=salt, max_age=PENDING_MAX_AGE)
    except signing.BadSignature as error:
        raise ValidationError("导入已过期或被改动，请重新上传文件。") from error
