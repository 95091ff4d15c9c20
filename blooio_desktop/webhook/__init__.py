"""Webhook receiving: signature verification, payload parsing, the local listener. No Qt."""
