"""User settings: a typed, frozen dataclass with every default in one place, stored as JSON.

Loading is forgiving (unknown keys ignored, bad values replaced by defaults, a corrupt file kept as
`.bak`); saving is atomic and private (temp file + os.replace, mode 0600). Secrets never go here:
they live in the OS keyring (config/secrets.py).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from blooio_desktop.core.errors import ConfigError, ValidationError
from blooio_desktop.core.identifiers import normalize_phone
from blooio_desktop.core.urls import DEFAULT_BASE_URL, normalize_base_url, validate_http_url

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
TUNNEL_PROVIDERS = ("none", "ngrok", "external")
THEMES = ("system", "light", "dark")


@dataclass(frozen=True, slots=True)
class ForwardTarget:
    """Where the webhook inspector re-posts deliveries; empty `events` means every event."""

    url: str
    events: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Settings:
    schema_version: int = SCHEMA_VERSION
    base_url: str = DEFAULT_BASE_URL
    default_from_number: str | None = None
    listener_host: str = "127.0.0.1"
    listener_port: int = 0  # 0 = let the OS pick a free port
    listener_path: str = "/webhooks/blooio"
    tunnel_provider: str = "none"
    ngrok_region: str | None = None
    ngrok_path: str | None = None
    external_url: str | None = None
    allow_legacy_signature: bool = False
    signature_tolerance_s: int = 300
    notifications: bool = True
    theme: str = "system"
    launch_minimized: bool = False
    forward_targets: tuple[ForwardTarget, ...] = ()
    window_geometry: str | None = None  # base64, written by the UI
    window_state: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def replace(self, **changes: Any) -> Settings:
        """A copy with `changes` applied and checked; raises ValidationError on a bad value."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)} - {"extra"}
        if unknown:
            raise ValidationError(f"Unknown setting(s): {', '.join(sorted(unknown))}.")
        merged = {**self._as_dict(), **changes}
        return _build(merged, strict=True)

    def to_json(self) -> dict[str, Any]:
        data = self._as_dict()
        data["forward_targets"] = [
            {"url": t.url, "events": list(t.events)} for t in self.forward_targets
        ]
        extra = data.pop("extra")
        return {**extra, **data}  # unknown keys from a newer version survive a round trip

    def _as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read settings; a missing file gives defaults, a corrupt one is moved to `.bak`."""
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        except OSError as exc:
            log.warning("Cannot read settings %s (%s); using defaults.", path, exc.strerror or exc)
            return cls()
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError("the top level is not an object")
        except ValueError as exc:
            backup = path.with_name(path.name + ".bak")
            log.warning(
                "Settings file %s is corrupt (%s); kept as %s, using defaults.", path, exc, backup
            )
            try:
                os.replace(path, backup)
            except OSError as move_error:
                log.warning("Could not keep the corrupt settings as %s: %s", backup, move_error)
            return cls()
        return _build(data, strict=False)

    def save(self, path: Path) -> None:
        """Write atomically with mode 0600, so a crash never leaves half a file."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(self.to_json(), handle, indent=2, sort_keys=True)
                    handle.write("\n")
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(tmp, 0o600)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise ConfigError(f"Could not save settings to {path}: {exc.strerror or exc}") from exc


# --- checking values -------------------------------------------------------------------------


def _check(name: str, value: Any) -> Any:
    """The value to store for setting `name`, or ValidationError saying what is wrong."""
    if name == "base_url":
        return normalize_base_url(value)
    if name in ("tunnel_provider", "theme"):
        allowed = TUNNEL_PROVIDERS if name == "tunnel_provider" else THEMES
        if value not in allowed:
            raise ValidationError(
                f"{name} must be one of {', '.join(allowed)} (got {value!r}).", field=name
            )
        return value
    if name == "forward_targets":
        return _forward_targets(value)
    if name == "default_from_number" and value is not None:
        return normalize_phone(value) if isinstance(value, str) else _check_type(name, value)
    if name == "external_url" and value is not None:
        return validate_http_url(value, what="external URL", field=name)
    if name == "listener_port":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 65535:
            raise ValidationError(f"listener_port must be 0–65535 (got {value!r}).", field=name)
        return value
    if name == "listener_path" and (not isinstance(value, str) or not value.startswith("/")):
        raise ValidationError(f"listener_path must start with “/” (got {value!r}).", field=name)
    if name == "signature_tolerance_s" and (
        isinstance(value, bool) or not isinstance(value, int) or value <= 0
    ):
        raise ValidationError(
            f"signature_tolerance_s must be a positive number of seconds (got {value!r}).",
            field=name,
        )
    return _check_type(name, value)


def _check_type(name: str, value: Any) -> Any:
    default = _DEFAULTS[name]
    if value is None and default is None:
        return None
    expected = type(default) if default is not None else str
    if isinstance(value, bool) != (expected is bool) or not isinstance(value, expected):
        raise ValidationError(f"{name} must be a {expected.__name__} (got {value!r}).", field=name)
    return value


def _forward_targets(value: Any) -> tuple[ForwardTarget, ...]:
    if isinstance(value, tuple) and all(isinstance(t, ForwardTarget) for t in value):
        items: list[Any] = [{"url": t.url, "events": list(t.events)} for t in value]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        raise ValidationError(
            "forward_targets must be a list of {url, events}.", field="forward_targets"
        )
    targets: list[ForwardTarget] = []
    for item in items:
        url = item.get("url") if isinstance(item, dict) else getattr(item, "url", None)
        events = item.get("events", ()) if isinstance(item, dict) else getattr(item, "events", ())
        if not isinstance(events, list | tuple) or not all(isinstance(e, str) for e in events):
            raise ValidationError(
                "A forward target's events must be a list of event names.", field="forward_targets"
            )
        targets.append(
            ForwardTarget(validate_http_url(url, what="forward target URL"), tuple(events))
        )
    return tuple(targets)


def _build(data: dict[str, Any], *, strict: bool) -> Settings:
    """Settings from a dict: `strict` raises on a bad value, otherwise it is logged and defaulted."""
    values: dict[str, Any] = {}
    extra = dict(data.get("extra") or {}) if strict else {}
    for key, value in data.items():
        if key == "extra":
            continue
        if key not in _DEFAULTS:
            extra[key] = value
            continue
        if key == "schema_version":
            continue
        try:
            values[key] = _check(key, value)
        except ValidationError as exc:
            if strict:
                raise
            log.warning("Ignoring setting %s: %s", key, exc.message)
    for secret_like in ("api_key", "webhook_secret", "ngrok_authtoken", "signing_secret"):
        extra.pop(secret_like, None)  # never carried, never written back
    return Settings(**values, extra=extra)


_DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {f.name: f.default for f in dataclasses.fields(Settings) if f.name != "extra"}
)
