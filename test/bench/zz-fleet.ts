import { runFleet } from './scenarios/fleet.js';
const [bots, seconds] = process.argv.slice(2).map(Number);
console.log(JSON.stringify(await runFleet(bots!, seconds!), null, 1));
process.exit(0);
