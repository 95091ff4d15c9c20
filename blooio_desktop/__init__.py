"""Blooio Desktop: a native desktop client and webhook workbench for the Blooio API."""

__version__ = "0.1.0"
