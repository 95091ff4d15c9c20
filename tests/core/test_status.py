"""Status only moves forward, so late or duplicated receipts never regress a message."""

from blooio_desktop.core.status import MessageStatus as S
from blooio_desktop.core.status import merge_status


def test_status_moves_forward_only() -> None:
    assert merge_status(S.QUEUED, S.SENT) == S.SENT
    assert merge_status(S.DELIVERED, S.SENT) == S.DELIVERED
    assert merge_status(S.READ, S.DELIVERED) == S.READ
    assert merge_status(S.SENT, S.READ) == S.READ


def test_failed_is_terminal_unless_retried() -> None:
    assert merge_status(S.QUEUED, S.FAILED) == S.FAILED
    assert merge_status(S.FAILED, S.DELIVERED) == S.FAILED
    assert merge_status(S.FAILED, S.QUEUED, retried=True) == S.QUEUED
    assert merge_status(S.DELIVERED, S.FAILED) == S.DELIVERED


def test_unknown_status_parses_leniently() -> None:
    assert S.parse("DELIVERED") == S.DELIVERED
    assert S.parse("weird") == S.PENDING
    assert S.parse(None, S.QUEUED) == S.QUEUED
