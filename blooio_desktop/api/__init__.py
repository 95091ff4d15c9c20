"""Async client for the Blooio REST API v2 (no Qt): typed core models in, typed core models out."""

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.api.retry import RetryPolicy
from blooio_desktop.core.urls import DEFAULT_BASE_URL

__all__ = ["DEFAULT_BASE_URL", "BlooioClient", "RetryPolicy"]
