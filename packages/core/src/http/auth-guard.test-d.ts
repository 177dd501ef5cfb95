import { describe, expectTypeOf, it } from 'vitest';
import type { ToriiAuth } from '../auth.js';
import type { DecisionOverrides } from '../options.js';
import { type AuthGuard, createAuthGuard } from './auth-guard.js';
import type { AuthDecision } from './types.js';

interface Req {
  headers: Record<string, string>;
  tenant: string;
}

describe('AuthGuard.decide overrides', () => {
  it('types the per-call overrides with the guard’s request type', () => {
    const guard: AuthGuard<Req> = createAuthGuard<Req>({ issuer: 'https://acme.torii.so' });
    expectTypeOf(guard.decide).parameter(2).toEqualTypeOf<DecisionOverrides<Req> | undefined>();
    expectTypeOf(guard.decide).returns.toEqualTypeOf<Promise<AuthDecision>>();
    expectTypeOf<DecisionOverrides<Req>['authorize']>().toEqualTypeOf<
      ((auth: ToriiAuth, request: Req) => boolean | Promise<boolean>) | undefined
    >();
    const request: Req = { headers: {}, tenant: 'acme' };
    guard.decide(request, undefined, {
      optional: true,
      authorize: (auth, req) => auth.raw.tenant === req.tenant,
    });
    // @ts-expect-error optional is a boolean
    guard.decide(request, undefined, { optional: 'yes' });
    // @ts-expect-error the request has no `user`
    guard.decide(request, undefined, { authorize: (_auth, req) => req.user === 'x' });
  });
});
