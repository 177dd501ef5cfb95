/**
 * A real pino logger writing JSON lines to memory, for tests of what torii logs.
 *
 * @module
 */
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

/** One line pino wrote. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
}

const LEVELS: Record<number, LogLine['level']> = {
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
};

/** A pino logger at `level` and the lines it wrote. */
export interface PinoCapture {
  readonly logger: Logger;
  /** Every line written so far, parsed. */
  lines(): LogLine[];
  /** The messages written at `level`. */
  at(level: LogLine['level']): string[];
  /** Everything written, raw, for leak checks. */
  raw(): string;
}

/**
 * Creates a pino logger (the real package) whose destination is an in-memory stream.
 *
 * @example
 * ```ts
 * const log = pinoCapture('debug');
 * createVerifier({ issuer, logger: log.logger });
 * expect(log.at('warn')).toHaveLength(1);
 * ```
 */
export function pinoCapture(level: 'debug' | 'info' = 'debug'): PinoCapture {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  const logger = pino({ level }, stream);
  const lines = (): LogLine[] =>
    text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const parsed = JSON.parse(line) as { level: number; msg: string };
        return { level: LEVELS[parsed.level] ?? 'error', msg: parsed.msg };
      });
  return {
    logger,
    lines,
    at: (wanted) =>
      lines()
        .filter((l) => l.level === wanted)
        .map((l) => l.msg),
    raw: () => text,
  };
}
