"""Secrets go to the keyring; a missing or locked keyring becomes advice, never a traceback or a leak."""

from __future__ import annotations

import logging

import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, NoKeyringError

from blooio_desktop.config.secrets import SecretStore
from blooio_desktop.core.errors import CredentialError, ValidationError
from tests.support.memory_keyring import MemoryKeyring


def test_named_secrets_round_trip(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    store.set_api_key("bl_live_abc123")
    store.set_webhook_secret("wh_1", "whsec_one")
    store.set_ngrok_authtoken("2abcNgrok")
    assert (store.api_key(), store.webhook_secret("wh_1"), store.ngrok_authtoken()) == (
        "bl_live_abc123",
        "whsec_one",
        "2abcNgrok",
    )
    assert store.webhook_secret("wh_2") is None
    assert ("blooio-desktop", "api_key") in memory_keyring.store
    store.delete_api_key()
    store.delete_api_key()  # deleting twice is fine
    store.delete_webhook_secret("wh_1")
    store.delete_ngrok_authtoken()
    assert store.api_key() is None and store.webhook_secret("wh_1") is None
    assert "abc123" not in repr(store)


def test_empty_values_and_ids_are_refused() -> None:
    with pytest.raises(ValidationError, match="empty API key"):
        SecretStore().set_api_key("  ")
    with pytest.raises(ValidationError, match="webhook id"):
        SecretStore().webhook_secret("")


class BrokenKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self, exc: Exception) -> None:
        super().__init__()
        self.exc = exc

    def get_password(self, service: str, username: str) -> str | None:
        raise self.exc

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.exc

    def delete_password(self, service: str, username: str) -> None:
        raise self.exc


@pytest.mark.parametrize(
    ("exc", "fragment"),
    [
        (NoKeyringError("No recommended backend"), "gnome-keyring"),
        (KeyringLocked("locked"), "Unlock your keyring"),
        (RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown"), "D-Bus"),
    ],
)
def test_keyring_failures_explain_what_to_do(
    exc: Exception, fragment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    store = SecretStore(backend=BrokenKeyring(exc))
    with pytest.raises(CredentialError, match=fragment):
        store.api_key()
    with pytest.raises(CredentialError, match="save the API key"):
        store.set_api_key("bl_live_secretvalue")
    with pytest.raises(CredentialError, match="delete the ngrok authtoken"):
        store.delete_ngrok_authtoken()


def test_failure_messages_never_echo_the_value(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store = SecretStore(backend=BrokenKeyring(RuntimeError("cannot store bl_live_topsecret")))
    with pytest.raises(CredentialError) as info:
        store.set_api_key("bl_live_topsecret")
    assert "topsecret" not in str(info.value) + caplog.text
