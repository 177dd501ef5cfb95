/**
 * Decorators and class inheritance: `@Public()` and `@OptionalAuth()` count only on the handler or
 * the class they are written on, never through a base class; `@Authorize()` on a base class does
 * carry over (it can only refuse more).
 */
import { Controller, Get, Req, type Type, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ToriiAuth } from '@torii/core';
import { createTestIssuer, type TestIssuer } from '@torii/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bearer, get, PLATFORMS, startForTest } from '../test/platforms.js';
import { toriiAppModule } from '../test/torii-app-module.js';
import { Auth, Authorize, OptionalAuth, Public } from './decorators.js';
import { ToriiGuard } from './torii.guard.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});

/** A public base: its own routes are public where it is mounted as a controller itself. */
@Public()
@Controller('base')
class PublicBase {
  @Get('secret')
  // Reads request.auth itself: @Auth() throws on a @Public() route, where the guard does not run.
  secret(@Req() request: { auth?: ToriiAuth | null }) {
    return { secret: 'the launch codes', userId: request.auth?.userId ?? null };
  }

  @Public()
  @Get('hello')
  hello() {
    return { hello: 'world' };
  }

  @Public()
  @Get('overridden')
  overridden() {
    return { overridden: false };
  }
}

/** Extends the public base but writes no `@Public()` itself: nothing here is public by class. */
@UseGuards(ToriiGuard)
@Controller('admin')
class AdminController extends PublicBase {
  // An override is a new handler: the base's handler-level @Public() is not on it.
  @Get('overridden')
  override overridden() {
    return { overridden: true };
  }
}

/** The same, under the global guard instead of `@UseGuards`. */
@Controller('staff')
class StaffController extends PublicBase {}

/** A public subclass of a public base stays public: `@Public()` is written on it. */
@Public()
@Controller('docs')
class DocsController extends PublicBase {}

/** An optional base: optional where it is mounted as a controller itself. */
@OptionalAuth()
@Controller('maybe')
class OptionalBase {
  @Get()
  who(@Auth() auth: ToriiAuth | null) {
    return { userId: auth?.userId ?? null };
  }
}

/** Extends the optional base: not optional by class, so it needs a token. */
@Controller('strict')
class StrictController extends OptionalBase {}

const isAdmin = (auth: ToriiAuth) => auth.raw.role === 'admin';

@Authorize(isAdmin)
class AdminOnlyBase {
  @Get('report')
  report(@Auth('userId') userId: string) {
    return { userId };
  }
}

/** Inherits the base's `@Authorize()`: a restriction carries over. */
@Controller('reports')
class ReportsController extends AdminOnlyBase {}

@UseGuards(ToriiGuard)
class GuardedBase {
  @Get()
  list() {
    return { listed: true };
  }
}

/** Inherits the base's `@UseGuards(ToriiGuard)` (Nest's own rule). */
@Controller('invoices')
class InvoicesController extends GuardedBase {}

describe.each(PLATFORMS)('decorators and inheritance on %s', (platform) => {
  const start = async (module: Type) => (await startForTest(platform, module)).url;

  it('a subclass of a @Public() class is not public: no token, bad token → 401', async () => {
    const url = await start(
      toriiAppModule({ issuer: issuer.issuer }, { controllers: [AdminController] }),
    );
    const none = await get(url, '/admin/secret');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: { code: 'authentication_failed' } });
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(JSON.stringify(none.body)).not.toContain('launch codes');
    const tampered = await issuer.sign({}, { tampered: true });
    expect((await get(url, '/admin/secret', bearer(tampered))).status).toBe(401);
    const token = await issuer.sign({ sub: 'user_admin' });
    expect(await get(url, '/admin/secret', bearer(token))).toMatchObject({
      status: 200,
      body: { userId: 'user_admin' },
    });
  });

  it('the same under the global guard, while the @Public() classes stay public', async () => {
    const url = await start(
      toriiAppModule(
        { issuer: issuer.issuer, globalGuard: true },
        { controllers: [StaffController, DocsController, PublicBase] },
      ),
    );
    expect((await get(url, '/staff/secret')).status).toBe(401);
    expect(await get(url, '/docs/secret')).toMatchObject({ status: 200, body: { userId: null } });
    expect(await get(url, '/base/secret')).toMatchObject({ status: 200, body: { userId: null } });
  });

  it('@OptionalAuth() is not inherited either: the subclass needs a token', async () => {
    const url = await start(
      toriiAppModule(
        { issuer: issuer.issuer, globalGuard: true },
        { controllers: [OptionalBase, StrictController] },
      ),
    );
    expect(await get(url, '/maybe')).toMatchObject({ status: 200, body: { userId: null } });
    expect((await get(url, '/strict')).status).toBe(401);
    const token = await issuer.sign({ sub: 'user_strict' });
    expect((await get(url, '/strict', bearer(token))).body).toStrictEqual({
      userId: 'user_strict',
    });
  });

  it('a handler keeps the @Public() written on it; an override without it does not', async () => {
    const url = await start(
      toriiAppModule({ issuer: issuer.issuer }, { controllers: [AdminController] }),
    );
    expect(await get(url, '/admin/hello')).toMatchObject({
      status: 200,
      body: { hello: 'world' },
    });
    expect((await get(url, '/admin/overridden')).status).toBe(401);
    const token = await issuer.sign();
    expect((await get(url, '/admin/overridden', bearer(token))).body).toStrictEqual({
      overridden: true,
    });
  });

  it('a base class’s @Authorize() is inherited: the subclass refuses a non-admin', async () => {
    const url = await start(
      toriiAppModule(
        { issuer: issuer.issuer, globalGuard: true },
        { controllers: [ReportsController] },
      ),
    );
    expect((await get(url, '/reports/report')).status).toBe(401);
    const plain = await get(url, '/reports/report', bearer(await issuer.sign()));
    expect(plain.status).toBe(403);
    expect(plain.body).toMatchObject({ error: { code: 'forbidden' } });
    const admin = await issuer.sign({ sub: 'user_admin', role: 'admin' });
    expect(await get(url, '/reports/report', bearer(admin))).toMatchObject({
      status: 200,
      body: { userId: 'user_admin' },
    });
  });

  it('a base class’s @UseGuards(ToriiGuard) applies to the subclass (Nest’s rule)', async () => {
    const url = await start(
      toriiAppModule({ issuer: issuer.issuer }, { controllers: [InvoicesController] }),
    );
    expect((await get(url, '/invoices')).status).toBe(401);
    expect(await get(url, '/invoices', bearer(await issuer.sign()))).toMatchObject({
      status: 200,
      body: { listed: true },
    });
  });

  it('reads a route’s decorators on its first request only, per controller of a shared handler', async () => {
    const url = await start(
      toriiAppModule(
        { issuer: issuer.issuer, globalGuard: true },
        { controllers: [ReportsController, StaffController, PublicBase] },
      ),
    );
    const reads = vi.spyOn(Reflector.prototype, 'getAllAndOverride');
    const metadata = vi.spyOn(Reflect, 'getOwnMetadata');
    try {
      const admin = bearer(await issuer.sign({ sub: 'user_admin', role: 'admin' }));
      for (let i = 0; i < 3; i++) {
        expect((await get(url, '/reports/report', admin)).status).toBe(200);
        // One handler (PublicBase.secret), two controllers: public in one, guarded in the other.
        expect((await get(url, '/base/secret')).status).toBe(200);
        expect((await get(url, '/staff/secret')).status).toBe(401);
      }
      const torii = (calls: unknown[][]) =>
        calls.filter((args) => String(args[0]).startsWith('torii')).length;
      // @Authorize() is looked up on the two guarded routes (not on the public one), once each.
      expect(torii(reads.mock.calls)).toBe(2);
      // @Public() / @OptionalAuth(): at most two keys on two targets, for each of the three routes.
      expect(torii(metadata.mock.calls)).toBeGreaterThan(0);
      expect(torii(metadata.mock.calls)).toBeLessThanOrEqual(3 * 4);
    } finally {
      reads.mockRestore();
      metadata.mockRestore();
    }
  });
});
