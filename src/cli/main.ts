#!/usr/bin/env node
/** The `kissmon` command. */
import { Command } from 'commander';
import { monitorOptions, type MonitorConfig } from '../config.js';
import { runStart } from './start.js';
import { readPackageVersion } from './version.js';

const program = new Command('kissmon')
  .description('Monitor a fleet of long-running bot processes.')
  .version(readPackageVersion());

const start = program
  .command('start')
  .description('run the monitor: ingest socket, bot actors, SQLite persistence');
for (const option of monitorOptions()) start.addOption(option);
start.action((options: MonitorConfig) => runStart(options));

await program.parseAsync();
