#!/bin/sh
# A bot that talks to kissmon from the shell with socat, all its lines on one connection.
# Usage: sh socat.sh [channel]   Socket: $KISSMON_SOCKET, else /tmp/kissbot_monitor.sock
set -eu

SOCK="${KISSMON_SOCKET:-/tmp/kissbot_monitor.sock}"
CHANNEL="${1:-example_bot}"
PID=$$

# The channel goes into JSON unescaped: only the protocol's own characters are let through.
case "$CHANNEL" in
  *[!A-Za-z0-9_.:-]* | [.:-]* | '') echo "invalid channel: $CHANNEL" >&2; exit 2 ;;
esac

# One connection, one line each; socat ends when the monitor closes its end (or after -t 1 s).
{
  printf '{"type":"register","channel":"%s","pid":%d,"features":{"llm":true}}\n' "$CHANNEL" "$PID"
  printf '{"type":"heartbeat","channel":"%s","pid":%d}\n' "$CHANNEL" "$PID"
  printf '{"type":"llm_usage","channel":"%s","pid":%d,"model":"gpt-4o-mini","feature":"chat","tokens_in":812,"tokens_out":64}\n' "$CHANNEL" "$PID"
  sleep 0.5 # the bot's real work goes here, for hours
  printf '{"type":"unregister","channel":"%s","pid":%d,"reason":"shutdown"}\n' "$CHANNEL" "$PID"
} | socat -t 1 - "UNIX-CONNECT:$SOCK" || echo "monitor unreachable" >&2
