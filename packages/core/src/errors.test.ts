import { describe, expect, it } from 'vitest';
import { ToriiAuthError, ToriiConfigError } from './errors.js';

describe('ToriiAuthError', () => {
  it('carries no stack frames, and leaves Error.stackTraceLimit as it was', () => {
    const before = Error.stackTraceLimit;
    const error = new ToriiAuthError('signature_invalid', 'torii: the signature does not verify.');
    expect(Error.stackTraceLimit).toBe(before);
    expect(error.stack).toBe('ToriiAuthError: torii: the signature does not verify.');
    expect(error).toMatchObject({ name: 'ToriiAuthError', code: 'signature_invalid' });
    // Other errors keep theirs: a configuration mistake points at the line that made it.
    expect(new ToriiConfigError('torii: bad option').stack).toMatch(/\n\s+at /);
    expect(new Error('plain').stack).toMatch(/\n\s+at /);
  });

  it('keeps its cause', () => {
    const cause = new Error('connection refused');
    expect(new ToriiAuthError('jwks_unavailable', 'torii: x', { cause }).cause).toBe(cause);
  });
});
