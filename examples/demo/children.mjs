/**
 * The demo's child processes: start one, wait for the line that says it is ready, and stop them
 * all (SIGTERM, then SIGKILL after a grace period) so that no process outlives the demo.
 *
 * @module
 */
import { spawn } from 'node:child_process';

/** @type {Set<import('node:child_process').ChildProcess>} */
const running = new Set();

/**
 * @typedef {object} StartedChild
 * @property {string} name What the demo calls this process.
 * @property {import('node:child_process').ChildProcess} child The process.
 * @property {RegExpExecArray} ready The match of `readyPattern` on its output.
 * @property {() => string} output Everything it printed so far (stdout and stderr).
 */

/**
 * Start `command args` and resolve once a line of its stdout matches `readyPattern`.
 * Rejects, with what the process printed, when it exits first or is not ready in time.
 *
 * @param {string} name
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, readyPattern: RegExp, timeoutMs?: number }} options
 * @returns {Promise<StartedChild>}
 */
export function startChild(name, command, args, { cwd, env, readyPattern, timeoutMs = 30_000 }) {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let log = '';
  let pending = '';
  child.once('exit', () => running.delete(child));
  child.stderr.on('data', (chunk) => {
    log += chunk;
  });
  const output = () => log;

  return new Promise((resolve, reject) => {
    /** @param {string} why */
    const fail = (why) => {
      clearTimeout(timer);
      reject(new Error(`${name} ${why}. It printed:\n${indent(log) || '  (nothing)'}`));
    };
    const timer = setTimeout(() => fail(`was not ready after ${timeoutMs} ms`), timeoutMs);
    child.once('error', (err) => fail(`could not start (${err.message})`));
    child.once('exit', (code, signal) => fail(`exited before it was ready (${signal ?? code})`));
    child.stdout.on('data', (chunk) => {
      log += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const ready = readyPattern.exec(line);
        if (ready === null) continue;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.once('exit', () => running.delete(child));
        resolve({ name, child, ready, output });
        return;
      }
    });
  });
}

/**
 * Run `command args` to completion and resolve with its stdout (trimmed). Tracked like every other
 * child, so an interrupted demo stops it too. Rejects with its stderr when it exits non-zero.
 *
 * @param {string} name
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<string>}
 */
export function runChild(name, command, args) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', (err) => reject(new Error(`${name} could not start (${err.message})`)));
    child.once('close', (code, signal) => {
      running.delete(child);
      if (code === 0) resolve(stdout.trim());
      else
        reject(
          new Error(`${name} failed (${signal ?? code}):\n${indent(stderr) || '  (nothing)'}`),
        );
    });
  });
}

/**
 * Stop every child still running: SIGTERM, then SIGKILL after `graceMs`. Resolves when all have
 * exited. Safe to call more than once.
 *
 * @param {number} [graceMs]
 * @returns {Promise<void>}
 */
export async function stopAll(graceMs = 3_000) {
  const children = [...running];
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined);
          const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(kill);
            running.delete(child);
            resolve(undefined);
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

/**
 * The pids of the children still running (the demo checks this is empty before it exits).
 *
 * @returns {number[]}
 */
export function runningPids() {
  return [...running].flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
}

/** @param {string} text */
function indent(text) {
  if (text.trim() === '') return '';
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
