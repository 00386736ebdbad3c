#!/bin/sh
# A bot that talks to kissmon from the shell with OpenBSD netcat (Debian: netcat-openbsd).
# Usage: sh nc.sh [channel]   Socket: $KISSMON_SOCKET, else /tmp/kissbot_monitor.sock
set -eu

SOCK="${KISSMON_SOCKET:-/tmp/kissbot_monitor.sock}"
CHANNEL="${1:-example_bot}"
PID=$$

# The channel goes into JSON unescaped: only the protocol's own characters are let through.
case "$CHANNEL" in
  *[!A-Za-z0-9_.:-]* | [.:-]* | '') echo "invalid channel: $CHANNEL" >&2; exit 2 ;;
esac

# -N half-closes after the input and nc waits for the monitor to close its end: the line has
# then been read, so the next one (on a new connection) cannot overtake it.
send() {
  printf '%s\n' "$1" | nc -N -U -w 1 "$SOCK" || echo "monitor unreachable" >&2
}

send "{\"type\":\"register\",\"channel\":\"$CHANNEL\",\"pid\":$PID,\"features\":{\"llm\":true}}"
send "{\"type\":\"heartbeat\",\"channel\":\"$CHANNEL\",\"pid\":$PID}"
send "{\"type\":\"llm_usage\",\"channel\":\"$CHANNEL\",\"pid\":$PID,\"model\":\"gpt-4o-mini\",\"feature\":\"chat\",\"tokens_in\":812,\"tokens_out\":64}"
sleep 0.5 # the bot's real work goes here, for hours
send "{\"type\":\"unregister\",\"channel\":\"$CHANNEL\",\"pid\":$PID,\"reason\":\"shutdown\"}"
