#!/usr/bin/env python3
"""A bot that talks to kissmon from asyncio, standard library only, on one connection kept
open. Usage: python3 python_asyncio.py [channel]

Socket path: $KISSMON_SOCKET, else /tmp/kissbot_monitor.sock.
"""
import asyncio
import json
import os
import sys

SOCKET_PATH = os.environ.get("KISSMON_SOCKET", "/tmp/kissbot_monitor.sock")
TIMEOUT_S = 1.0


class Monitor:
    """One connection to kissmon. Every method returns False instead of raising."""

    def __init__(self, channel):
        self.channel = channel
        self.pid = os.getpid()
        self.writer = None

    async def connect(self):
        try:
            _, self.writer = await asyncio.wait_for(
                asyncio.open_unix_connection(SOCKET_PATH), TIMEOUT_S)
            return True
        except (OSError, asyncio.TimeoutError):
            return False

    async def send(self, message):
        if self.writer is None and not await self.connect():
            return False
        line = json.dumps({"channel": self.channel, "pid": self.pid, **message},
                          separators=(",", ":")) + "\n"
        try:
            self.writer.write(line.encode("utf-8"))
            # A monitor that stops reading must not stall the bot: give up after a moment.
            await asyncio.wait_for(self.writer.drain(), TIMEOUT_S)
            return True
        except (OSError, asyncio.TimeoutError):
            self.writer = None
            return False

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            try:
                await asyncio.wait_for(self.writer.wait_closed(), TIMEOUT_S)
            except (OSError, asyncio.TimeoutError):
                pass


async def main():
    monitor = Monitor(sys.argv[1] if len(sys.argv) > 1 else "example_bot")

    await monitor.send({"type": "register", "features": {"llm": True, "tts": False}})
    await monitor.send({"type": "heartbeat", "rss_mb": 48.5})
    await monitor.send({"type": "llm_usage", "model": "gpt-4o-mini", "feature": "chat",
                        "tokens_in": 812, "tokens_out": 64, "estimated_cost": 0.0002})
    await asyncio.sleep(0.5)  # the bot's real work goes here, for hours
    ok = await monitor.send({"type": "unregister", "reason": "shutdown"})
    await monitor.close()
    print("sent" if ok else "monitor unreachable")


if __name__ == "__main__":
    asyncio.run(main())
