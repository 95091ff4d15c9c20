"""Resolve a `{chatId}` path parameter to the sandbox's chat key (handle or group id)."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from blooio_desktop.sandbox.context import CTX
from blooio_desktop.sandbox.http import ApiFailure, path_chat_id
from blooio_desktop.sandbox.state import MessageRec, SandboxState


@dataclass(frozen=True)
class ChatRef:
    chat_id: str  # a handle for 1:1 chats, grp_… for groups (ad-hoc lists resolve to their group)
    group_created: bool = False
    participants: tuple[str, ...] = ()


def resolve_chat(request: web.Request, *, create: bool = False) -> ChatRef:
    """The chat a request names; 404 unless it exists or `create` (sending starts new chats)."""
    state = request.app[CTX].state
    chat_id = path_chat_id(request)
    if chat_id.startswith("grp_"):
        if state.group(chat_id) is None:
            raise ApiFailure(404, f"Group '{chat_id}' not found.")
        return ChatRef(chat_id)
    if "," in chat_id:
        handles = list(dict.fromkeys(chat_id.split(",")))
        if not create:
            group = next(
                (
                    g
                    for g in state.groups.values()
                    if g.deleted_at is None and set(g.members) == set(handles)
                ),
                None,
            )
            if group is None:
                raise ApiFailure(404, f"No chat with participants {', '.join(handles)}.")
            return ChatRef(group.group_id, participants=tuple(handles))
        group, created = state.group_for_participants(handles)
        return ChatRef(group.group_id, created, tuple(handles))
    if not create and not state.chats.get(chat_id) and state.contact(chat_id) is None:
        raise ApiFailure(404, f"Chat '{chat_id}' not found.")
    return ChatRef(chat_id)


def find_message(
    state: SandboxState, chat_id: str, message_id: str, direction: str | None = None
) -> MessageRec:
    """A message of the chat by id, or by relative index (-1 = latest) within `direction`."""
    msgs = state.chat_messages(chat_id)
    if message_id.lstrip("-").isdigit() and message_id.startswith("-"):
        candidates = [m for m in msgs if direction is None or m.direction == direction]
        index = int(message_id)
        if -index > len(candidates):
            raise ApiFailure(404, f"Chat '{chat_id}' has fewer than {-index} messages.")
        return candidates[index]
    m = state.messages.get(message_id)
    if m is None or m.chat_id != chat_id:
        raise ApiFailure(404, f"Message '{message_id}' not found in chat '{chat_id}'.")
    return m
