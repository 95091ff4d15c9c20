"""Secrets (API key, webhook signing secrets, ngrok authtoken) in the OS keyring, never in a file.

Every keyring failure becomes a CredentialError whose message says what to do on this machine. No
message, log line or repr here ever contains a secret value. `keyring` is imported on the first
access, not with this module: its import (~30 ms) is not paid before the window paints when the API
key comes from the environment or a `.env` file.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from blooio_desktop.core.errors import CredentialError, ValidationError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE = "blooio-desktop"
API_KEY = "api_key"
NGROK_AUTHTOKEN = "ngrok_authtoken"

_LINUX_HELP = (
    "Install and start a Secret Service keyring (GNOME Keyring: `gnome-keyring`, or KDE Wallet), "
    "make sure a D-Bus session is running, and unlock it. As a last resort `pip install keyrings.alt` "
    "stores secrets unencrypted in a file."
)
_LOCKED_HELP = "Unlock your keyring (log in to the desktop session, or unlock it in Passwords and Keys) and try again."


def _help() -> str:
    if sys.platform.startswith("linux"):
        return _LINUX_HELP
    if sys.platform == "darwin":
        return "Allow Blooio Desktop to use the macOS Keychain when asked, then try again."
    return "Check that Windows Credential Manager is available, then try again."


def webhook_secret_name(webhook_id: str) -> str:
    if not isinstance(webhook_id, str) or not webhook_id.strip():
        raise ValidationError("The webhook id is empty.", field="webhook_id")
    return f"webhook_secret:{webhook_id.strip()}"


class SecretStore:
    """Keyring access under one service name. `backend` is for tests; by default the active keyring."""

    def __init__(self, service: str = SERVICE, backend: KeyringBackend | None = None) -> None:
        self.service = service
        self._backend = backend

    def __repr__(self) -> str:
        return f"SecretStore(service={self.service!r})"

    def _keyring(self) -> KeyringBackend:
        if self._backend is not None:
            return self._backend
        import keyring

        return keyring.get_keyring()

    # --- generic access ----------------------------------------------------------------------

    def get(self, name: str) -> str | None:
        try:
            return self._keyring().get_password(self.service, name)
        except Exception as exc:
            raise self._error("read", name, exc) from None

    def set(self, name: str, value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(f"Refusing to store an empty {_label(name)}.", field=name)
        try:
            self._keyring().set_password(self.service, name, value)
        except Exception as exc:
            raise self._error("save", name, exc) from None

    def delete(self, name: str) -> None:
        """Remove the secret; removing one that is not there is not an error."""
        from keyring.errors import PasswordDeleteError

        try:
            self._keyring().delete_password(self.service, name)
        except PasswordDeleteError:
            return
        except Exception as exc:
            raise self._error("delete", name, exc) from None

    def _error(self, action: str, name: str, exc: Exception) -> CredentialError:
        """Keyring backends raise many types (keyring, SecretStorage, D-Bus, OS errors): map them all,
        without their text, which could echo a value.
        """
        from keyring.errors import KeyringLocked, NoKeyringError

        log.info("Keyring %s of %s failed: %s", action, _label(name), type(exc).__name__)
        if isinstance(exc, KeyringLocked):
            return CredentialError(
                f"Could not {action} the {_label(name)}: the keyring is locked. {_LOCKED_HELP}"
            )
        if isinstance(exc, NoKeyringError):
            return CredentialError(
                f"Could not {action} the {_label(name)}: no keyring is available. {_help()}"
            )
        return CredentialError(
            f"Could not {action} the {_label(name)}: the keyring refused ({type(exc).__name__}). {_help()}"
        )

    # --- named secrets -----------------------------------------------------------------------

    def api_key(self) -> str | None:
        return self.get(API_KEY)

    def set_api_key(self, value: str) -> None:
        self.set(API_KEY, value)

    def delete_api_key(self) -> None:
        self.delete(API_KEY)

    def webhook_secret(self, webhook_id: str) -> str | None:
        return self.get(webhook_secret_name(webhook_id))

    def set_webhook_secret(self, webhook_id: str, value: str) -> None:
        self.set(webhook_secret_name(webhook_id), value)

    def delete_webhook_secret(self, webhook_id: str) -> None:
        self.delete(webhook_secret_name(webhook_id))

    def ngrok_authtoken(self) -> str | None:
        return self.get(NGROK_AUTHTOKEN)

    def set_ngrok_authtoken(self, value: str) -> None:
        self.set(NGROK_AUTHTOKEN, value)

    def delete_ngrok_authtoken(self) -> None:
        self.delete(NGROK_AUTHTOKEN)


def _label(name: str) -> str:
    if name == API_KEY:
        return "API key"
    if name == NGROK_AUTHTOKEN:
        return "ngrok authtoken"
    if name.startswith("webhook_secret:"):
        return f"signing secret of webhook {name.split(':', 1)[1]}"
    return name
