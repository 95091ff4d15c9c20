"""HTTP helpers shared by every sandbox route: error bodies, JSON bodies, pagination, path ids.

Error bodies follow blooio-api.md §3.1: `{"error": label, "message": text, "status": code}` plus any
endpoint-specific detail fields.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from aiohttp import web

from blooio_desktop.core.errors import ValidationError
from blooio_desktop.core.identifiers import normalize_chat_id, normalize_handle

T = TypeVar("T")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DIRECTORY_SORTS = ("recent", "oldest", "name_asc", "name_desc")

ERROR_LABELS = {
    400: "bad_request",
    401: "unauthorized",
    402: "payment_required",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    429: "too_many_requests",
    500: "internal_server_error",
    501: "not_implemented",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}


class ApiFailure(Exception):
    """Raised by handlers; the error middleware turns it into the documented error body."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> web.Response:
    body = {
        "error": ERROR_LABELS.get(status, "error"),
        "message": message,
        "status": status,
        **extra,
    }
    return web.json_response(body, status=status, headers=headers)


def coming_soon(feature: str) -> ApiFailure:
    return ApiFailure(501, f"{feature} is coming soon and not available yet.")


async def read_json(request: web.Request) -> dict[str, Any]:
    """The request's JSON object body; an empty body is `{}`, anything else malformed is a 400."""
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ApiFailure(400, f"Request body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ApiFailure(400, "Request body must be a JSON object.")
    return data


def query_int(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiFailure(400, f"'{name}' must be an integer, got '{raw}'.") from None
    if not low <= value <= high:
        raise ApiFailure(400, f"'{name}' must be between {low} and {high}, got {value}.")
    return value


def query_choice(
    request: web.Request, name: str, choices: Sequence[str], default: str | None
) -> str | None:
    value = request.query.get(name) or default
    if value is not None and value not in choices:
        raise ApiFailure(400, f"'{name}' must be one of {', '.join(choices)}, got '{value}'.")
    return value


def paginate(request: web.Request, items: Sequence[T]) -> tuple[list[T], dict[str, int]]:
    """Offset pagination (blooio-api.md §2): limit 1..200 (default 50), offset >= 0."""
    limit = query_int(request, "limit", 50, 1, 200)
    offset = query_int(request, "offset", 0, 0, 10**9)
    return list(items[offset : offset + limit]), {
        "limit": limit,
        "offset": offset,
        "total": len(items),
    }


def directory_page(
    request: web.Request,
    key: str,
    items: list[dict[str, Any]],
    name_of: Callable[[dict[str, Any]], str],
) -> web.Response:
    """A contacts or groups listing (§6.2, §6.8): `sort` by recency or by `name_of` (case
    folded), then one page under `key`."""
    sort = query_choice(request, "sort", DIRECTORY_SORTS, "recent")
    if sort in ("name_asc", "name_desc"):
        items.sort(key=lambda item: name_of(item).lower(), reverse=sort == "name_desc")
    else:
        items.sort(
            key=lambda item: item["last_message_time"] or item["created_at"],
            reverse=sort == "recent",
        )
    page, pagination = paginate(request, items)
    return web.json_response({key: page, "pagination": pagination})


def _validated(raw: str, what: str, normalize: Any) -> str:
    if raw[:1] == " ":
        raise ApiFailure(
            400,
            f"Invalid {what} '{raw}': it starts with a space — a '+' that was not percent-encoded "
            "(send it as %2B).",
        )
    try:
        result: str = normalize(raw)
    except ValidationError as exc:
        raise ApiFailure(400, f"Invalid {what}: {exc.message}") from None
    return result


def path_chat_id(request: web.Request) -> str:
    """The decoded `{chatId}`: a group id, a handle, or a comma-separated handle list."""
    return _validated(request.match_info["chat_id"], "chat id", normalize_chat_id)


def path_handle(request: web.Request, key: str = "contact_id") -> str:
    return _validated(request.match_info[key], "contact identifier", normalize_handle)


def body_handle(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ApiFailure(400, f"'{field}' is required: a phone number in E.164 form or an email.")
    return _validated(value, field, normalize_handle)


async def read_upload(request: web.Request, field: str) -> bytes:
    """The bytes of multipart file field `field` (≤10 MB), or a 400 that says what is wrong."""
    if not request.content_type.startswith("multipart/"):
        raise ApiFailure(
            400, f"Upload the image as multipart/form-data with a '{field}' file field."
        )
    form = await request.post()
    upload = form.get(field)
    if not isinstance(upload, web.FileField):
        raise ApiFailure(400, f"Missing file field '{field}'.")
    data = upload.file.read()
    if not data or len(data) > MAX_UPLOAD_BYTES:
        raise ApiFailure(400, f"'{field}' must be a non-empty image of at most 10 MB.")
    return data
