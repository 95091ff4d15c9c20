"""`blooio-desktop trigger` against a running listener: signed fixtures and deliberate rejects."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from blooio_desktop.config.paths import AppPaths
from blooio_desktop.core.events import WebhookEvent
from blooio_desktop.webhook.listener import WebhookListener
from tests.support.cli_process import run_to_end

SECRET = "whsec_cli_trigger_secret"


@pytest.fixture
async def listener() -> AsyncIterator[tuple[WebhookListener, list[WebhookEvent]]]:
    events: list[WebhookEvent] = []
    server = WebhookListener(
        secret_provider=lambda: [SECRET], on_event=events.append, allow_legacy=True
    )
    await server.start()
    yield server, events
    await server.stop()


def env() -> dict[str, str]:
    return {**os.environ, "BLOOIO_WEBHOOK_SECRET": SECRET}


@pytest.mark.parametrize(
    ("flags", "status"),
    [
        ([], 200),
        (["--bad-signature"], 401),
        (["--expired"], 401),
        (["--unsigned"], 401),
        (["--legacy"], 200),
    ],
)
async def test_trigger_prints_the_status(
    listener: tuple[WebhookListener, list[WebhookEvent]], flags: list[str], status: int
) -> None:
    server, events = listener
    code, out, _ = await run_to_end(
        "trigger", "message.reaction", "--url", server.url, *flags, env=env()
    )
    line = json.loads(out)
    assert (code, line["status"], line["event"]) == (0, status, "message.reaction")
    await server.drain()
    assert len(events) == (1 if status == 200 else 0)


async def test_data_overrides_and_user_fixtures(
    listener: tuple[WebhookListener, list[WebhookEvent]], app_home: Path
) -> None:
    server, events = listener
    fixtures = AppPaths.default().config_dir / "fixtures"
    fixtures.mkdir(parents=True)
    (fixtures / "my-hello.json").write_text(
        '{"event": "message.received", "message_id": "u1", "text": "saved"}'
    )
    code, out, _ = await run_to_end(
        "trigger", "my-hello", "--url", server.url, "--data", '{"text": "over"}', env=env()
    )
    assert (code, json.loads(out)["status"]) == (0, 200)
    await server.drain()
    assert [(e.message_id, e.text) for e in events] == [("u1", "over")]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["message.nope", "--url", "http://127.0.0.1:9/x"], "no fixture named"),
        (["message.sent", "--url", "http://127.0.0.1:9/x", "--data", "[1]"], "JSON object"),
        (["message.sent", "--url", "http://127.0.0.1:9/x"], "could not reach"),
    ],
)
async def test_bad_input_is_a_clear_message(args: list[str], needle: str) -> None:
    code, out, err = await run_to_end("trigger", *args, env=env())
    assert code in (1, 2) and out == "" and needle in err and "Traceback" not in err
