"""HEAD probes and thumbnail fetches against a real local HTTP server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from blooio_desktop.services.attachments import MAX_ATTACHMENT_BYTES, AttachmentProber

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


async def _photo(_request: web.Request) -> web.Response:
    return web.Response(body=PNG, content_type="image/png")


async def _huge(request: web.Request) -> web.Response:
    size = MAX_ATTACHMENT_BYTES + 1
    if request.method == "HEAD":
        return web.Response(headers={"Content-Type": "video/mp4", "Content-Length": str(size)})
    return web.Response(body=b"x")


async def _no_head(request: web.Request) -> web.Response:
    if request.method == "HEAD":
        return web.Response(status=405)
    return web.Response(
        status=206,
        body=b"%",
        headers={"Content-Type": "application/pdf", "Content-Range": "bytes 0-0/5000"},
    )


@pytest.fixture
async def files() -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_route("*", "/photo.png", _photo)
    app.router.add_route("*", "/huge.mp4", _huge)
    app.router.add_route("*", "/doc.pdf", _no_head)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.fixture
async def prober() -> AsyncIterator[AttachmentProber]:
    service = AttachmentProber(timeout=5.0)
    yield service
    await service.aclose()


async def test_a_reachable_image_reports_type_and_size(
    files: str, prober: AttachmentProber
) -> None:
    result = await prober.probe(f"{files}/photo.png")
    assert result.reachable and result.is_image
    assert result.content_type == "image/png"
    assert result.size == len(PNG)
    assert not result.too_large and result.problem is None


async def test_over_sixteen_megabytes_is_flagged(files: str, prober: AttachmentProber) -> None:
    result = await prober.probe(f"{files}/huge.mp4")
    assert result.reachable and result.too_large


async def test_servers_refusing_head_are_asked_for_one_byte(
    files: str, prober: AttachmentProber
) -> None:
    result = await prober.probe(f"{files}/doc.pdf")
    assert result.reachable
    assert (result.content_type, result.size) == ("application/pdf", 5000)


async def test_missing_files_and_dead_hosts_say_what_is_wrong(
    files: str, prober: AttachmentProber
) -> None:
    missing = await prober.probe(f"{files}/nope.png")
    assert not missing.reachable and missing.status == 404
    assert missing.problem == "The link answered HTTP 404."
    dead = await prober.probe("http://127.0.0.1:9/file.png")
    assert (
        not dead.reachable and dead.problem is not None and "could not be reached" in dead.problem
    )
    assert not dead.invalid


async def test_text_that_is_not_a_link_is_invalid(prober: AttachmentProber) -> None:
    result = await prober.probe("ftp://example.com/a.png")
    assert result.invalid and not result.reachable
    assert "http://" in (result.problem or "")


async def test_thumbnails_only_for_images(files: str, prober: AttachmentProber) -> None:
    assert await prober.fetch_image(f"{files}/photo.png") == PNG
    assert await prober.fetch_image(f"{files}/doc.pdf") is None
    assert await prober.fetch_image(f"{files}/photo.png", max_bytes=10) is None
