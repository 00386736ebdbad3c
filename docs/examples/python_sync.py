#!/usr/bin/env python3
"""A bot that talks to kissmon with the Python standard library only, one message per
connection (as the KissBot client does). Usage: python3 python_sync.py [channel]

Socket path: $KISSMON_SOCKET, else /tmp/kissbot_monitor.sock.
"""
import json
import os
import socket
import sys
import time

SOCKET_PATH = os.environ.get("KISSMON_SOCKET", "/tmp/kissbot_monitor.sock")
TIMEOUT_S = 1.0


def send(message):
    """Sends one message on a connection of its own. Never raises: returns False instead."""
    line = (json.dumps(message, separators=(",", ":")) + "\n").encode("utf-8")
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(TIMEOUT_S)
            sock.connect(SOCKET_PATH)
            sock.sendall(line)
            # Half-close and wait for the monitor to close its end: by then it has read the
            # line, so the next message, on a new connection, cannot overtake this one.
            sock.shutdown(socket.SHUT_WR)
            sock.recv(1)
        return True
    except OSError:
        return False


def main():
    channel = sys.argv[1] if len(sys.argv) > 1 else "example_bot"
    pid = os.getpid()

    send({"type": "register", "channel": channel, "pid": pid,
          "features": {"llm": True, "tts": False}, "version": "1.0.0",
          "heartbeat_interval_s": 30})
    send({"type": "heartbeat", "channel": channel, "pid": pid, "status": "ready"})
    send({"type": "llm_usage", "channel": channel, "pid": pid, "model": "gpt-4o-mini",
          "feature": "chat", "tokens_in": 812, "tokens_out": 64, "latency_ms": 930.5})
    time.sleep(0.5)  # the bot's real work goes here, for hours
    ok = send({"type": "unregister", "channel": channel, "pid": pid, "reason": "shutdown"})
    print("sent" if ok else "monitor unreachable")


if __name__ == "__main__":
    main()
