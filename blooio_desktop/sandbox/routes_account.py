"""Account routes (`/me`, `/me/numbers`) and the small feature areas the sandbox only stubs.

Stubs follow the documented behaviour of the real API: contact cards and FaceTime are "coming soon"
(501), phone-number lookup is enterprise-only (403), Find My has no friends in the sandbox.
"""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import web

from blooio_desktop.sandbox.context import CTX
from blooio_desktop.sandbox.http import ApiFailure, coming_soon
from blooio_desktop.sandbox.state import NUMBERS, ORGANIZATION_ID, now_ms

routes = web.RouteTableDef()
_CREATED_AT = 1735689600000


@routes.get("/me")
async def get_me(request: web.Request) -> web.Response:
    ctx = request.app[CTX]
    messages = list(ctx.state.messages.values())
    outbound = [m.time_sent for m in messages if m.direction == "outbound"]
    return web.json_response(
        {
            "auth_type": "api_key",
            "valid": True,
            "user_id": None,
            "api_key": ctx.api_key,
            "organization_id": ORGANIZATION_ID,
            "organization": {
                "organization_id": ORGANIZATION_ID,
                "name": "Sandbox Org",
                "country_code": "US",
                "created_at": _CREATED_AT,
            },
            "metadata": {"sandbox": True},
            "integration_details": None,
            "devices": [
                {
                    "phone_number": n,
                    "is_active": True,
                    "last_active": now_ms(),
                    "plan_kind": "dedicated",
                }
                for n in NUMBERS
            ],
            "usage": {
                "inbound_messages": len(messages) - len(outbound),
                "outbound_messages": len(outbound),
                "last_message_sent": max(outbound) if outbound else None,
            },
        }
    )


@routes.get("/me/numbers")
async def list_numbers(request: web.Request) -> web.Response:
    last_active = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return web.json_response(
        {
            "numbers": [
                {
                    "phone_number": n,
                    "is_active": True,
                    "last_active": last_active,
                    "plan_kind": "dedicated",
                }
                for n in NUMBERS
            ]
        }
    )


@routes.route("*", "/me/numbers/{number}/contact-card")
async def contact_card(request: web.Request) -> web.Response:
    raise coming_soon("The contact card")


@routes.post("/me/numbers/{number}/call-forwarding")
async def call_forwarding(request: web.Request) -> web.Response:
    raise coming_soon("Call forwarding")


@routes.post("/facetime/calls")
async def facetime(request: web.Request) -> web.Response:
    raise coming_soon("FaceTime calling")


@routes.get("/location/contacts")
async def location_list(request: web.Request) -> web.Response:
    return web.json_response({"friends": []})


@routes.post("/location/contacts/refresh")
async def location_refresh(request: web.Request) -> web.Response:
    return web.json_response({"success": True, "friends": []})


@routes.get("/location/contacts/{handle}")
async def location_get(request: web.Request) -> web.Response:
    raise ApiFailure(404, f"No Find My location shared by '{request.match_info['handle']}'.")


@routes.route("*", "/phone-numbers/{tail:.*}")
async def phone_lookup(request: web.Request) -> web.Response:
    raise ApiFailure(403, "Phone number lookup is available on Enterprise plans only.")
