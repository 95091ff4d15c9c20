"""The built-in Blooio-compatible sandbox server (aiohttp, no Qt): `SandboxServer`."""

from blooio_desktop.sandbox.server import SandboxServer

__all__ = ["SandboxServer"]
