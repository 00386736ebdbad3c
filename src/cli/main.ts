#!/usr/bin/env node
/** The `kissmon` command. */
import { Command, Option } from 'commander';
import { monitorOptions, type MonitorConfig } from '../config.js';
import { connectionOptions, type ConnectionOptions } from './connection-options.js';
import { runInspect } from './inspect.js';
import { reportFailure } from './output.js';
import { runStart } from './start.js';
import { runStats } from './stats.js';
import { runStatus } from './status.js';
import { USAGE_GROUPS } from './usage-query.js';
import { runUsage, type UsageOptions } from './usage.js';
import { readPackageVersion } from './version.js';
import { runWatch } from './watch.js';

const program = new Command('kissmon')
  .description('Monitor a fleet of long-running bot processes.')
  .version(readPackageVersion());

const start = program
  .command('start')
  .description('run the monitor: ingest socket, bot actors, SQLite persistence');
for (const option of monitorOptions()) start.addOption(option);
start.action((options: MonitorConfig) => runStart(options));

/** Adds a command that asks a running monitor, with the options to find it. */
function askingCommand(name: string, description: string): Command {
  const command = program.command(name).description(description);
  for (const option of connectionOptions()) command.addOption(option);
  command.addHelpText(
    'after',
    '\nExits 1 with one line on stderr when no monitor answers on the debug socket.',
  );
  return command;
}

askingCommand('status', 'every bot: state, pid, uptime, last heartbeat, CPU, memory, flags').action(
  (options: ConnectionOptions) => runStatus(options).catch(reportFailure),
);

askingCommand('inspect', "one bot's state, context and last transitions")
  .argument('<channel>', 'the bot to show')
  .action((channel: string, options: ConnectionOptions) =>
    runInspect(channel, options).catch(reportFailure),
  );

askingCommand('watch', 'stream bot transitions, and a stats line every 5 s, until Ctrl-C').action(
  (options: ConnectionOptions) => runWatch(options).catch(reportFailure),
);

askingCommand('stats', 'connections, messages, rejects, mailbox, persistence, uptime').action(
  (options: ConnectionOptions) => runStats(options).catch(reportFailure),
);

program
  .command('usage')
  .description('LLM calls, tokens, latency and cost from the database (monitor running or not)')
  .addOption(
    new Option('--db <path>', 'SQLite database file, opened read-only')
      .env('KISSMON_DB')
      .default('./kissbot_monitor.db'),
  )
  .addOption(new Option('--since <duration>', 'window: 90s, 30m, 24h, 7d').default('24h'))
  .addOption(new Option('--by <column>', 'group by').choices(USAGE_GROUPS).default('channel'))
  .addOption(new Option('--json', 'print the rows as JSON'))
  .action((options: UsageOptions) => {
    try {
      runUsage(options);
    } catch (error) {
      reportFailure(error);
    }
  });

await program.parseAsync();
