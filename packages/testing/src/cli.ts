#!/usr/bin/env node
/**
 * The `torii-dev` executable: wires {@link runCli} to the process (argv, env, stdout, signals).
 *
 * @module
 */
import { runCli } from './cli/run-cli.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  onShutdown(stop) {
    let stopping = false;
    const handle = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      stop(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`torii-dev: error while stopping: ${(error as Error).message}\n`);
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', handle);
    process.once('SIGTERM', handle);
  },
});
if (code !== 0) process.exitCode = code;
