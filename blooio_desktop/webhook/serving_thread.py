"""An aiohttp low-level server on a dedicated thread with its own plain asyncio loop.

Under qasync every socket readiness is a QSocketNotifier and every `call_soon` a Qt timer, so HTTP
served on the app's loop costs the UI twice: the request work and the dispatch around it. Here both
run on a loop of their own; the handler decides the answer there and hands results back itself.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import threading
from collections.abc import Awaitable, Callable

from aiohttp import web

log = logging.getLogger(__name__)

Handler = Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]


class ServingThread:
    """Serve `handler` on host:port from a thread; `start`/`stop` are awaited on the caller's loop."""

    def __init__(
        self, handler: Handler, *, host: str, port: int, name: str, shutdown_timeout: float
    ) -> None:
        self._handler = handler
        self._host = host
        self._port = port
        self._name = name
        self._shutdown_timeout = shutdown_timeout
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._finished: concurrent.futures.Future[None] = concurrent.futures.Future()

    async def start(self) -> int:
        """Bind and serve; returns the bound port. A bind error (port in use) raises OSError here."""
        bound: concurrent.futures.Future[int] = concurrent.futures.Future()
        # Daemon only as a last resort: `stop` joins it; a wedged handler must not block exit.
        self._thread = threading.Thread(
            target=self._run, args=(bound,), name=self._name, daemon=True
        )
        self._thread.start()
        port = asyncio.wrap_future(bound)
        try:
            return await asyncio.shield(port)  # cancelled or not, the bind runs to its end...
        except asyncio.CancelledError:
            with contextlib.suppress(OSError):  # ...so stop what it started
                await port
                await self.stop()
            raise
        except BaseException:
            self._thread.join(self._shutdown_timeout)  # a bind error: the thread is ending
            raise

    async def stop(self) -> None:
        """Stop accepting, let in-flight requests finish (bounded), end the loop and join the thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        with contextlib.suppress(RuntimeError):  # its loop already ended
            loop.call_soon_threadsafe(loop.stop)
        finished = asyncio.wrap_future(self._finished)
        done, _ = await asyncio.wait({finished}, timeout=self._shutdown_timeout + 5)
        if not done:
            log.warning("the webhook serving thread did not stop in time; left as a daemon")
            return
        thread.join(self._shutdown_timeout)

    def _run(self, bound: concurrent.futures.Future[int]) -> None:
        loop = asyncio.new_event_loop()
        try:
            try:
                runner = loop.run_until_complete(self._bind())
            except BaseException as exc:
                bound.set_exception(exc)
                return
            self._loop = loop
            bound.set_result(int(runner.addresses[0][1]))
            loop.run_forever()
            loop.run_until_complete(runner.cleanup())  # in-flight requests get shutdown_timeout
        except Exception:
            log.exception("the webhook serving thread failed")
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
            self._finished.set_result(None)

    async def _bind(self) -> web.ServerRunner:
        runner = web.ServerRunner(
            web.Server(self._handler), handle_signals=False, shutdown_timeout=self._shutdown_timeout
        )
        await runner.setup()
        try:
            await web.TCPSite(runner, self._host, self._port).start()
        except BaseException:
            await runner.cleanup()
            raise
        return runner
