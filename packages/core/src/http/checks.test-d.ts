import { describe, expectTypeOf, it } from 'vitest';
import type { ToriiAuth } from '../auth.js';
import {
  type AuthCheck,
  allOf,
  anyOf,
  type ClaimEqualsValue,
  type ClaimIncludesValue,
  type ClaimScalar,
  claimEquals,
  claimIncludes,
  emailVerified,
  environment,
} from './checks.js';
import { createRouteCheck } from './route-check.js';

// Claims declared the way users do; the names are unique to this file so that no other test
// sees them.
declare module '../auth.js' {
  interface ToriiCustomClaims {
    check_test_role?: 'admin' | 'member';
    check_test_permissions?: ('billing:read' | 'billing:write')[];
    check_test_scope?: string;
    check_test_org?: { id: string };
  }
}

describe('ready-made checks are typed through ToriiCustomClaims', () => {
  it('claimEquals: the value of a declared claim is checked', () => {
    claimEquals('check_test_role', 'admin');
    // @ts-expect-error not a value of the declared claim
    claimEquals('check_test_role', 'owner');
    // @ts-expect-error an array claim is not compared with ===: use claimIncludes
    claimEquals('check_test_permissions', 'billing:read');
    // @ts-expect-error an object claim has no scalar value
    claimEquals('check_test_org', 'acme');
    // built-in claims are declared too
    claimEquals('sub', 'user_1');
    // @ts-expect-error email_verified is a boolean
    claimEquals('email_verified', 'yes');
    // an undeclared claim takes any JSON scalar, and nothing else
    claimEquals('tier', 'gold');
    claimEquals('tier', 3);
    claimEquals('tier', null);
    // @ts-expect-error not a scalar
    claimEquals('tier', ['gold']);
    expectTypeOf<ClaimEqualsValue<'check_test_role'>>().toEqualTypeOf<'admin' | 'member'>();
    expectTypeOf<ClaimEqualsValue<'tier'>>().toEqualTypeOf<ClaimScalar>();
  });

  it('claimIncludes: an element of a declared array claim, a word of a string claim', () => {
    claimIncludes('check_test_permissions', 'billing:write');
    // @ts-expect-error not an element of the declared array
    claimIncludes('check_test_permissions', 'billing:delete');
    claimIncludes('check_test_scope', 'read:users');
    // @ts-expect-error a declared object claim includes nothing
    claimIncludes('check_test_org', 'acme');
    claimIncludes('groups', 'staff');
    expectTypeOf<ClaimIncludesValue<'check_test_permissions'>>().toEqualTypeOf<
      'billing:read' | 'billing:write'
    >();
    expectTypeOf<ClaimIncludesValue<'groups'>>().toEqualTypeOf<ClaimScalar>();
  });

  it('every check is an AuthCheck of any request, and the factories take what they say', () => {
    expectTypeOf(emailVerified).toExtend<AuthCheck<{ headers: unknown }>>();
    expectTypeOf(environment('env_1')).toEqualTypeOf<(auth: ToriiAuth) => boolean>();
    // @ts-expect-error an environment id is a string
    environment(42);
  });

  it('allOf and anyOf infer the request from the checks that read it', () => {
    type Req = { tenant: string };
    const sameTenant = (auth: ToriiAuth, request: Req) => auth.raw.tenant === request.tenant;
    expectTypeOf(allOf(emailVerified, sameTenant)).toEqualTypeOf<AuthCheck<Req>>();
    expectTypeOf(anyOf(emailVerified, claimEquals('check_test_role', 'admin'))).toEqualTypeOf<
      AuthCheck<unknown>
    >();
    // contextual typing: the inline check's request is the route check's request
    createRouteCheck<Req>(
      allOf(emailVerified, (_auth, request) => {
        expectTypeOf(request).toEqualTypeOf<Req>();
        return true;
      }),
    );
    // @ts-expect-error a check answers a boolean
    allOf(() => 'yes');
    // @ts-expect-error checks, not claims
    anyOf('admin');
  });
});
