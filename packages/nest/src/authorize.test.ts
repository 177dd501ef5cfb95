import {
  Controller,
  Get,
  HttpException,
  NotFoundException,
  type Type,
  UseGuards,
} from '@nestjs/common';
import { FORBIDDEN_MESSAGE, type ToriiAuth, ToriiConfigError } from '@torii/core';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { bearer, get, PLATFORMS, startForTest } from '../test/platforms.js';
import { toriiAppModule } from '../test/torii-app-module.js';
import { Auth, Authorize, OptionalAuth, Public } from './decorators.js';
import type { ToriiModuleOptions, ToriiRequest } from './options.js';
import { ToriiGuard } from './torii.guard.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});

const FORBIDDEN = { error: { code: 'forbidden', message: FORBIDDEN_MESSAGE } };

// Spied predicates: the tests assert when they are (not) called.
const isAdmin = vi.fn((auth: ToriiAuth) => auth.raw.role === 'admin');
const sameOrg = vi.fn(
  (auth: ToriiAuth, request: ToriiRequest & { params: { org: string } }) =>
    auth.raw.org === request.params.org,
);
const verifiedLater = vi.fn(async (auth: ToriiAuth) => {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return auth.emailVerified;
});
beforeEach(() => {
  vi.clearAllMocks();
});

@Authorize(isAdmin)
@Controller('admin')
class AdminController {
  @Get('users')
  users(@Auth('userId') userId: string) {
    return { userId };
  }

  @Authorize(sameOrg) // replaces the controller's isAdmin on this route
  @Get('orgs/:org')
  org(@Auth('userId') userId: string) {
    return { userId };
  }

  @Public()
  @Get('status')
  status() {
    return { up: true };
  }

  @OptionalAuth() // with the controller's isAdmin: a check needs a user
  @Get('maybe')
  maybe(@Auth('userId') userId: string | null) {
    return { userId };
  }
}

@Controller()
class MeController {
  @Get('me')
  me(@Auth('userId') userId: string) {
    return { userId };
  }

  @Authorize(verifiedLater)
  @Get('verified')
  verified(@Auth('userId') userId: string) {
    return { userId };
  }

  @Authorize(() => {
    throw new NotFoundException({ hidden: true });
  })
  @Get('hidden')
  hidden() {
    return { reached: true };
  }
}

describe.each(PLATFORMS)('@Authorize() on %s', (platform) => {
  /** Starts `module` for the running test; its URL. */
  const start = async (module: Type) => (await startForTest(platform, module)).url;

  describe('with the global guard', () => {
    const app = () =>
      start(
        toriiAppModule(
          { issuer: issuer.issuer, globalGuard: true },
          { controllers: [AdminController, MeController] },
        ),
      );

    it('a false predicate answers core’s exact 403: torii body, no WWW-Authenticate', async () => {
      const url = await app();
      const res = await get(url, '/admin/users', bearer(await issuer.sign({ sub: 'user_plain' })));
      expect(res.status).toBe(403);
      expect(res.body).toStrictEqual(FORBIDDEN);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('www-authenticate')).toBeNull();
      expect(isAdmin).toHaveBeenCalledTimes(1);
      expect(isAdmin.mock.calls[0]?.[0]).toMatchObject({ userId: 'user_plain' });
    });

    it('a true predicate lets the request through with the user', async () => {
      const url = await app();
      const token = await issuer.sign({ sub: 'user_admin', role: 'admin' });
      expect(await get(url, '/admin/users', bearer(token))).toMatchObject({
        status: 200,
        body: { userId: 'user_admin' },
      });
    });

    it('no token or a bad one stays a 401, and the predicate is never called', async () => {
      const url = await app();
      const none = await get(url, '/admin/users');
      expect(none.status).toBe(401);
      expect(none.body).toMatchObject({ error: { code: 'authentication_failed' } });
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      const expired = await issuer.sign({ role: 'admin' }, { expired: true });
      const bad = await get(url, '/admin/users', bearer(expired));
      expect(bad.status).toBe(401);
      expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
      expect(isAdmin).not.toHaveBeenCalled();
    });

    it('a handler’s @Authorize() replaces its controller’s and receives the request', async () => {
      const url = await app();
      const member = await issuer.sign({ sub: 'user_member', org: 'acme' });
      expect(await get(url, '/admin/orgs/acme', bearer(member))).toMatchObject({
        status: 200,
        body: { userId: 'user_member' },
      });
      expect((await get(url, '/admin/orgs/other', bearer(member))).body).toStrictEqual(FORBIDDEN);
      const admin = await issuer.sign({ role: 'admin' });
      expect((await get(url, '/admin/orgs/acme', bearer(admin))).status).toBe(403);
      expect(isAdmin).not.toHaveBeenCalled();
      expect(sameOrg).toHaveBeenCalledTimes(3);
    });

    it('an async predicate is awaited', async () => {
      const url = await app();
      const unverified = await issuer.sign({ email_verified: false });
      expect((await get(url, '/verified', bearer(unverified))).body).toStrictEqual(FORBIDDEN);
      const verified = await issuer.sign({ sub: 'user_v', email_verified: true });
      expect(await get(url, '/verified', bearer(verified))).toMatchObject({
        status: 200,
        body: { userId: 'user_v' },
      });
      expect(verifiedLater).toHaveBeenCalledTimes(2);
    });

    it('routes without @Authorize() need only a valid token', async () => {
      const url = await app();
      const token = await issuer.sign({ sub: 'user_plain' });
      expect((await get(url, '/me', bearer(token))).body).toStrictEqual({ userId: 'user_plain' });
    });

    it('@Public() wins: the guard does not run, the predicate is never called', async () => {
      const url = await app();
      expect(await get(url, '/admin/status')).toMatchObject({ status: 200, body: { up: true } });
      const plain = await issuer.sign({ sub: 'user_plain' });
      expect(await get(url, '/admin/status', bearer(plain))).toMatchObject({ status: 200 });
      expect(isAdmin).not.toHaveBeenCalled();
    });

    it('@OptionalAuth() with @Authorize(): no token 401, refused 403, allowed 200', async () => {
      const url = await app();
      const none = await get(url, '/admin/maybe');
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer');
      expect(isAdmin).not.toHaveBeenCalled();
      const plain = await issuer.sign({ sub: 'user_plain' });
      expect((await get(url, '/admin/maybe', bearer(plain))).body).toStrictEqual(FORBIDDEN);
      const admin = await issuer.sign({ sub: 'user_admin', role: 'admin' });
      expect((await get(url, '/admin/maybe', bearer(admin))).body).toStrictEqual({
        userId: 'user_admin',
      });
    });

    it('an exception thrown by the predicate goes to Nest’s filters', async () => {
      const url = await app();
      const res = await get(url, '/hidden', bearer(await issuer.sign()));
      expect(res).toMatchObject({ status: 404, body: { hidden: true } });
    });
  });

  describe('with the module’s authorize and @UseGuards(ToriiGuard)', () => {
    const emailVerified = vi.fn((auth: ToriiAuth) => auth.emailVerified);

    @UseGuards(ToriiGuard)
    @Controller()
    class GuardedController {
      @Authorize(isAdmin)
      @Get('admin')
      admin() {
        return { ok: true };
      }

      @Get('member')
      member() {
        return { ok: true };
      }
    }

    const app = (extra: Partial<ToriiModuleOptions> = {}) =>
      start(
        toriiAppModule(
          { issuer: issuer.issuer, authorize: emailVerified, ...extra },
          { controllers: [GuardedController] },
        ),
      );

    it('both must pass; the route’s predicate runs only after the module’s said yes', async () => {
      const url = await app();
      const both = await issuer.sign({ role: 'admin', email_verified: true });
      expect(await get(url, '/admin', bearer(both))).toMatchObject({ status: 200 });
      expect(isAdmin).toHaveBeenCalledTimes(1);

      vi.clearAllMocks();
      const unverifiedAdmin = await issuer.sign({ role: 'admin', email_verified: false });
      const refused = await get(url, '/admin', bearer(unverifiedAdmin));
      expect(refused.status).toBe(403);
      expect(refused.body).toStrictEqual(FORBIDDEN);
      expect(emailVerified).toHaveBeenCalledTimes(1);
      expect(isAdmin).not.toHaveBeenCalled();

      const verifiedUser = await issuer.sign({ email_verified: true });
      const notAdmin = await get(url, '/admin', bearer(verifiedUser));
      expect(notAdmin.status).toBe(403);
      expect(notAdmin.body).toStrictEqual(FORBIDDEN);
      expect(await get(url, '/member', bearer(verifiedUser))).toMatchObject({ status: 200 });
    });

    it('exceptionFactory receives the route’s 403', async () => {
      const url = await app({
        exceptionFactory: (denied) =>
          new HttpException({ status: denied.status, error: denied.error }, 418),
      });
      const res = await get(url, '/admin', bearer(await issuer.sign({ email_verified: true })));
      expect(res).toMatchObject({ status: 418, body: { status: 403, error: null } });
    });
  });
});

describe('@Authorize() validation', () => {
  it.each([
    ['a string', 'admin', /got string/],
    ['null', null, /got null/],
    ['a boolean', true, /got boolean/],
  ])('throws ToriiConfigError at decoration time for %s', (_, predicate, message) => {
    expect(() => Authorize(predicate as never)).toThrow(ToriiConfigError);
    expect(() => Authorize(predicate as never)).toThrow(message);
  });
});
