"""The FastAPI receiver from Blooio's Python guide (../shared/blooio-python-guide.txt), unchanged.

It only checks the (legacy, body-only) signature and prints inbound texts; the ingest benchmark runs
it under uvicorn as the peer: `uvicorn bench.peers.guide_webhook:app --port P`.
"""


import hashlib
import hmac
import os

from fastapi import FastAPI, Header, HTTPException, Request

SIGNING_SECRET = os.environ["BLOOIO_WEBHOOK_SECRET"]
app = FastAPI()


def verify_signature(body: bytes, signature: str) -> bool:
    expected = hmac.new(
        SIGNING_SECRET.encode(),
        body,
        hashlib.sha256,
    ).hexdigest()
    return hmac.compare_digest(expected, signature or "")


@app.post("/webhooks/blooio")
async def blooio_webhook(
    request: Request,
    x_blooio_signature: str = Header(default=""),
    x_blooio_event: str = Header(default=""),
):
    body = await request.body()
    if not verify_signature(body, x_blooio_signature):
        raise HTTPException(status_code=401, detail="Invalid signature")

    event = await request.json()

    if x_blooio_event == "message.received":
        text = event.get("data", {}).get("text")
        sender = event.get("data", {}).get("from")
        print(f"{sender}: {text}")

    return {"ok": True}
