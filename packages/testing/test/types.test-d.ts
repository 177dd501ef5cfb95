import type { ToriiJwks, ToriiSession, ToriiUser, VerifyOptions } from '@torii/core';
import { describe, expectTypeOf, it } from 'vitest';
import type { MockSession, MockToriiApi, MockUser, TestIssuer, TestJwks } from '../src/index.js';

describe('types line up with @torii/core', () => {
  it('the issuer plugs into VerifyOptions', () => {
    expectTypeOf<TestJwks>().toExtend<ToriiJwks>();
    expectTypeOf<TestIssuer['fetch']>().toExtend<NonNullable<VerifyOptions['fetch']>>();
  });

  it('mock resources are the REST client types', () => {
    expectTypeOf<MockUser>().toExtend<ToriiUser>();
    expectTypeOf<MockSession>().toExtend<ToriiSession>();
    expectTypeOf<MockToriiApi['fetch']>().toEqualTypeOf<typeof fetch>();
  });
});
