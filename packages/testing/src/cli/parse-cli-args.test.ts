import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCliArgs } from './parse-cli-args.js';

describe('parseCliArgs', () => {
  it('start with defaults', () => {
    expect(parseCliArgs([], {})).toEqual({
      command: 'start',
      host: '127.0.0.1',
      issuerPort: 4010,
      apiPort: 4011,
      keySeed: 'torii-dev',
      secretKey: undefined,
      seedDemo: false,
      seedFile: undefined,
      json: false,
    });
  });

  it('environment variables, overridden by flags', () => {
    const env = {
      TORII_DEV_ISSUER_PORT: '5010',
      TORII_DEV_API_PORT: '5011',
      TORII_DEV_HOST: 'localhost',
      TORII_DEV_KEY_SEED: 'team',
      TORII_DEV_SECRET_KEY: 'sk_test_env',
    };
    expect(parseCliArgs([], env)).toMatchObject({
      issuerPort: 5010,
      apiPort: 5011,
      host: 'localhost',
      keySeed: 'team',
      secretKey: 'sk_test_env',
    });
    expect(
      parseCliArgs(
        ['--issuer-port', '0', '--api-port=0', '--host', '::1', '--seed', '--json'],
        env,
      ),
    ).toMatchObject({ issuerPort: 0, apiPort: 0, host: '::1', seedDemo: true, json: true });
  });

  it('token: sub, pid, expires-in and claims parsed as JSON when they can be', () => {
    const parsed = parseCliArgs(
      [
        'token',
        '--sub',
        'user_1',
        '--pid',
        'env_1',
        '--expires-in',
        '2h',
        '--claim',
        'admin=true',
        '--claim',
        'roles=["a"]',
        '--claim',
        'team=blue',
        '--claim',
        'eq=a=b',
      ],
      {},
    );
    expect(parsed).toEqual({
      command: 'token',
      host: '127.0.0.1',
      issuerPort: 4010,
      keySeed: 'torii-dev',
      issuer: undefined,
      expiresIn: 7200,
      expired: false,
      claims: { sub: 'user_1', pid: 'env_1', admin: true, roles: ['a'], team: 'blue', eq: 'a=b' },
    });
  });

  it('token: a negative --expires-in is taken as written, with or without "="', () => {
    expect(parseCliArgs(['token', '--expires-in', '-60'], {})).toMatchObject({
      expiresIn: -60,
      expired: false,
    });
    expect(parseCliArgs(['token', '--expires-in', '-5m', '--sub', 'u'], {})).toMatchObject({
      expiresIn: -300,
      claims: { sub: 'u' },
    });
    expect(parseCliArgs(['token', '--expires-in=-2h'], {})).toMatchObject({ expiresIn: -7200 });
  });

  it('token: --expired', () => {
    expect(parseCliArgs(['token', '--expired'], {})).toMatchObject({
      command: 'token',
      expired: true,
    });
  });

  it('help', () => {
    expect(parseCliArgs(['--help'], {})).toEqual({ command: 'help' });
    expect(parseCliArgs(['token', '-h'], {})).toEqual({ command: 'help' });
  });

  const refusals: Array<[string[], RegExp, Record<string, string>?]> = [
    [['--host', '0.0.0.0'], /loopback/],
    [['--host', '192.168.1.10'], /loopback/],
    [[], /loopback/, { TORII_DEV_HOST: '::' }],
    [['--issuer-port', '70000'], /0 to 65535/],
    [['--api-port', 'http'], /port number/],
    [[], /port number/, { TORII_DEV_API_PORT: '-1' }],
    [['--bogus'], /Unknown option/],
    [['serve'], /Unknown command/],
    [['token', 'extra'], /Unknown command/],
    [['token', '--expires-in', 'soon'], /expires-in/],
    [['token', '--expires-in', '-soon'], /expires-in/],
    [['token', '--expires-in'], /argument missing/],
    [['token', '--expired', '--expires-in', '1h'], /either --expired or --expires-in/],
    [['--expired'], /--expired is not an option of "torii-dev"/],
    [['token', '--claim', 'novalue'], /name=value/],
    [['token', '--seed'], /--seed is not an option of "torii-dev token"/],
    [['--sub', 'x'], /--sub is not an option of "torii-dev"/],
    [['--key-seed', ''], /must not be empty/],
  ];
  it.each(refusals)('refuses %j', (argv, message, env = {}) => {
    expect(() => parseCliArgs(argv, env)).toThrow(CliUsageError);
    expect(() => parseCliArgs(argv, env)).toThrow(message);
  });
});
