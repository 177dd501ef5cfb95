// Starts a Node child with an IPC channel (optionally pinned to one CPU with taskset, or run under
// a wrapper such as valgrind) and talks to it by request/answer messages: `{ id, type, ... }` out,
// `{ id, ... }` back.

import { spawn } from 'node:child_process';

/**
 * @param {string} script - module to run
 * @param {object} options
 * @param {string[]} [options.nodeArgs] - flags for node itself (e.g. --cpu-prof)
 * @param {Record<string, string>} [options.env] - added to the environment
 * @param {string} [options.cpu] - a taskset CPU list, e.g. '0'; undefined: not pinned
 * @param {string[]} [options.wrapper] - a command and flags that run node (e.g. valgrind)
 * @param {string} options.label - name used in error messages
 */
export function startChild(script, { nodeArgs = [], env = {}, cpu, wrapper = [], label }) {
  // wrapper: a command that runs node (e.g. valgrind with its flags); taskset goes outside it.
  const command = [...wrapper, process.execPath, ...nodeArgs, script];
  const full = cpu === undefined ? command : ['taskset', '-c', cpu, ...command];
  const child = spawn(full[0], full.slice(1), {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  const pending = new Map();
  const listeners = new Set();
  let nextId = 1;
  let exited = null;

  child.on('message', (message) => {
    const waiter = pending.get(message.id);
    if (waiter !== undefined) {
      pending.delete(message.id);
      if (message.error !== undefined) waiter.reject(new Error(`${label}: ${message.error}`));
      else waiter.resolve(message);
      return;
    }
    for (const listener of listeners) listener(message);
  });
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    const error = new Error(`${label} exited (code ${code}, signal ${signal})`);
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
    for (const listener of listeners) listener({ type: 'exit', code, signal });
  });

  return {
    pid: child.pid,
    /** Sends `{ type, ...payload }` and resolves with the child's answer to it. */
    request(type, payload = {}) {
      if (exited !== null) return Promise.reject(new Error(`${label} has exited`));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, type, ...payload });
      });
    },
    /** Resolves with the first unsolicited message of `type` (e.g. 'listening'). */
    once(type, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`${label}: no '${type}' message within ${timeoutMs} ms`));
        }, timeoutMs);
        const listener = (message) => {
          if (message.type === 'exit') {
            clearTimeout(timer);
            listeners.delete(listener);
            reject(new Error(`${label} exited before '${type}' (code ${message.code})`));
          } else if (message.type === type) {
            clearTimeout(timer);
            listeners.delete(listener);
            resolve(message);
          }
        };
        listeners.add(listener);
      });
    },
    /** Asks the child to leave, then waits for it (SIGTERM after `graceMs`). */
    async stop(graceMs = 5_000) {
      if (exited !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'exit' });
      const timer = setTimeout(() => child.kill('SIGTERM'), graceMs);
      await gone;
      clearTimeout(timer);
    },
  };
}

/**
 * In a child: answers the parent's requests with `handlers[type](message)`; `exit` ends the
 * process after `onExit`.
 */
export function serveParent(handlers, onExit = async () => {}) {
  process.on('message', async (message) => {
    if (message.type === 'exit') {
      await onExit();
      process.exit(0);
    }
    const handler = handlers[message.type];
    try {
      if (handler === undefined) throw new Error(`unknown request '${message.type}'`);
      process.send({ id: message.id, ...(await handler(message)) });
    } catch (error) {
      process.send({ id: message.id, error: error?.stack ?? String(error) });
    }
  });
  // The parent went away: do not linger.
  process.on('disconnect', () => process.exit(0));
}
