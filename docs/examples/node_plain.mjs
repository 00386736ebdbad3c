// A bot that talks to kissmon with node:net only, no SDK, on one connection.
// Usage: node node_plain.mjs [channel]   Socket: $KISSMON_SOCKET, else /tmp/kissbot_monitor.sock
import { connect } from 'node:net';

const socketPath = process.env.KISSMON_SOCKET || '/tmp/kissbot_monitor.sock';
const channel = process.argv[2] ?? 'example_bot';
const pid = process.pid;

const messages = [
  { type: 'register', channel, pid, features: { llm: true, tts: false } },
  { type: 'heartbeat', channel, pid },
  {
    type: 'llm_usage',
    channel,
    pid,
    model: 'gpt-4o-mini',
    feature: 'chat',
    tokens_in: 812,
    tokens_out: 64,
  },
];
const goodbye = { type: 'unregister', channel, pid, reason: 'shutdown' };
const line = (message) => `${JSON.stringify(message)}\n`;

const socket = connect(socketPath);
// Without this handler a monitor that is down would crash the bot.
socket.on('error', (error) => console.log(`monitor unreachable: ${error.code}`));
socket.on('connect', () => {
  socket.write(messages.map(line).join(''));
  // The bot's real work goes here, for hours.
  setTimeout(() => socket.end(line(goodbye)), 500);
});
socket.on('finish', () => console.log('sent'));
socket.resume();
