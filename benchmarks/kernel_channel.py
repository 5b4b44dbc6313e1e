"""Talk to a Voilà kernel over its websocket the way a page's widget manager does (tornado only).

    ch = await KernelChannel.connect("http://127.0.0.1:8866", kernel_id, timeout_s=30)
    states = await ch.widget_states(timeout_s=60)       # {comm_id: {"model_name", "state"}}
    reply = await ch.update_widget(comm_id, {"value": 80.0}, timeout_s=60)
    reply.latency_ms, reply.messages, reply.figure, reply.errors
    ch.close()

Messages are Jupyter protocol v5.3 as JSON text frames (jupyter_server's default websocket format
when no subprotocol is asked for); frames that carry binary buffers arrive as binary frames.
"""
from __future__ import annotations

import asyncio
import json
import struct
import time
import uuid
from dataclasses import dataclass, field

from tornado.websocket import WebSocketClientConnection, websocket_connect

PROTOCOL_VERSION = "5.3"
WIDGET_CONTROL_VERSION = "1.0.0"  # ipywidgets 8 rejects a control comm without it
WIDGET_PROTOCOL_VERSION = "2.1.0"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
MAX_FRAME_BYTES = 64 * 2**20  # tornado's default (10 MiB) is near a busy app's full widget state


@dataclass
class Reply:
    """What one request caused, up to the kernel's `idle` status for it."""
    latency_ms: float
    messages: int = 0     # iopub/shell messages parented by the request (status messages included)
    kib: float = 0.0      # their size on the wire
    figure: bool = False  # one of them carried a plotly figure
    errors: list[str] = field(default_factory=list)  # error messages and stderr text
    found: list[dict] = field(default_factory=list)  # the messages themselves


def _decode(frame: str | bytes) -> dict:
    """A websocket frame as a message dict; binary frames are <n><n offsets><json><buffers...>."""
    if isinstance(frame, str):
        return json.loads(frame)
    (n,) = struct.unpack("!I", frame[:4])
    offsets = struct.unpack(f"!{n}I", frame[4:4 + 4 * n]) + (len(frame),)
    return json.loads(frame[offsets[0]:offsets[1]].decode())


class KernelChannel:
    """One websocket to one kernel, plus the widget states it has seen (kept up to date)."""

    def __init__(self, ws: WebSocketClientConnection, session: str):
        self.ws, self.session = ws, session
        self.states: dict[str, dict] = {}  # comm_id -> {"model_name": ..., "state": {...}}

    @classmethod
    async def connect(cls, base_url: str, kernel_id: str, *, timeout_s: float) -> KernelChannel:
        session = uuid.uuid4().hex  # the page passes one too; without it the server logs a warning
        url = (base_url.replace("http://", "ws://", 1)
               + f"/api/kernels/{kernel_id}/channels?session_id={session}")
        ws = await asyncio.wait_for(
            websocket_connect(url, max_message_size=MAX_FRAME_BYTES), timeout_s)
        return cls(ws, session)

    def close(self) -> None:
        self.ws.close()

    async def send(self, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        """Send a shell message; return its msg_id."""
        msg_id = uuid.uuid4().hex
        await self.ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "session": self.session,
                       "username": "load-test", "date": "", "version": PROTOCOL_VERSION},
            "parent_header": {}, "metadata": metadata or {}, "content": content,
            "channel": "shell", "buffers": [],
        }))
        return msg_id

    async def request(self, msg_type: str, content: dict, *, metadata: dict | None = None,
                      timeout_s: float) -> Reply:
        """Send a message and read until the kernel reports `idle` for it (TimeoutError if not)."""
        t0 = time.perf_counter()
        msg_id = await self.send(msg_type, content, metadata)
        reply = Reply(latency_ms=0.0)
        deadline = time.monotonic() + timeout_s
        while True:
            frame = await asyncio.wait_for(self.ws.read_message(),
                                           max(0.0, deadline - time.monotonic()))
            if frame is None:
                raise ConnectionError("the server closed the websocket")
            msg = _decode(frame)
            self._track_widgets(msg)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            reply.messages += 1
            reply.kib += len(frame) / 1024
            reply.figure |= PLOTLY_MIME in (frame if isinstance(frame, str) else "")
            reply.found.append(msg)
            kind, c = msg["msg_type"], msg["content"]
            if kind == "error":
                reply.errors.append(f"{c.get('ename')}: {c.get('evalue')}")
            elif kind == "stream" and c.get("name") == "stderr":
                reply.errors.append("stderr: " + c.get("text", "").strip())
            elif kind == "status" and c.get("execution_state") == "idle":
                reply.latency_ms = (time.perf_counter() - t0) * 1000
                return reply

    def _track_widgets(self, msg: dict) -> None:
        """Apply the kernel's widget updates to self.states, as the page would."""
        if msg["msg_type"] != "comm_msg":
            return
        data = msg["content"].get("data", {})
        if data.get("method") == "update_states":  # reply to request_states: every widget
            self.states.update(data["states"])
        elif data.get("method") in ("update", "echo_update"):
            known = self.states.get(msg["content"]["comm_id"])
            if known is not None:
                known["state"].update(data.get("state", {}))

    async def widget_states(self, *, timeout_s: float) -> dict[str, dict]:
        """Every widget's state, fetched like the ipywidgets 8 frontend: a `jupyter.widget.control`
        comm and its `request_states` method."""
        comm_id = uuid.uuid4().hex
        opened = await self.request(
            "comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
            metadata={"version": WIDGET_CONTROL_VERSION}, timeout_s=timeout_s)
        if opened.errors:
            raise RuntimeError("control comm refused: " + opened.errors[0][:300])
        reply = await self.request("comm_msg", {"comm_id": comm_id,
                                                "data": {"method": "request_states"}},
                                   timeout_s=timeout_s)
        if not any(m["msg_type"] == "comm_msg" for m in reply.found):
            raise RuntimeError("no update_states reply to request_states: "
                               + "; ".join(reply.errors)[:300])
        return self.states

    async def update_widget(self, comm_id: str, state: dict, *, timeout_s: float) -> Reply:
        """Set widget attributes as the browser does after a user changes a control."""
        reply = await self.request(
            "comm_msg",
            {"comm_id": comm_id, "data": {"method": "update", "state": state, "buffer_paths": []}},
            metadata={"version": WIDGET_PROTOCOL_VERSION}, timeout_s=timeout_s)
        self.states[comm_id]["state"].update(state)
        return reply
