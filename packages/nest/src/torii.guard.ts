/**
 * `ToriiGuard`: verifies the request's token with core and attaches the user, or denies.
 *
 * @module
 */
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import {
  type AuthDecision,
  type AuthGuard,
  type DecisionOverrides,
  ToriiConfigError,
  type ToriiHealth,
  type VerifierStatus,
} from '@torii/core';
import type { ToriiAuthorize, ToriiModuleOptions, ToriiRequest } from './options.js';
import {
  TORII_AUTH_GUARD,
  TORII_AUTHORIZE_KEY,
  TORII_OPTIONAL_KEY,
  TORII_OPTIONS,
  TORII_PUBLIC_KEY,
} from './tokens.js';
import { ToriiDeniedException } from './torii-denied.exception.js';

/** What a route says about auth: `@Public()`, `@OptionalAuth()`, or nothing (the module's rule). */
type RouteMode = 'public' | 'optional' | undefined;

/** `@OptionalAuth()` routes: the same guard (verifier, token cache, authorize, getToken). */
const OPTIONAL_ROUTE: DecisionOverrides<ToriiRequest> = Object.freeze({ optional: true });

/** What the guard does on one route, read from the route's decorators on its first request. */
interface RoutePlan {
  readonly mode: RouteMode;
  /** The route's overrides of the module's options (`@OptionalAuth()`, `@Authorize()`). */
  readonly overrides: DecisionOverrides<ToriiRequest> | undefined;
}

/**
 * Requires a valid torii token (per the module's options) and puts the user on `request.auth`,
 * where `@Auth()` reads it. Routes marked `@Public()` ignore auth: the guard lets them through
 * without reading the token. Routes marked `@OptionalAuth()` let a request without a token through
 * with `auth` `null` (a bad token is still a 401). Both count only where they are written (the
 * handler, or the controller class itself), never on a base class it extends. Routes (or
 * controllers) marked `@Authorize(predicate)` also need the predicate to return `true` (403
 * otherwise), on top of the module's `authorize`, checked right after the one verification. Use
 * it per controller or route with `@UseGuards(ToriiGuard)`, or everywhere with
 * `ToriiModule.forRoot({ globalGuard: true })`.
 *
 * Inject it to report torii's health: `status()` for a `/health` route, `ready()` for a startup
 * check of your own (the module already runs one in `onApplicationBootstrap`).
 *
 * @example
 * ```ts
 * @UseGuards(ToriiGuard)
 * @Controller('me')
 * class MeController { @Get() me(@Auth() auth: ToriiAuth) { return auth } }
 *
 * @Controller('health')
 * class HealthController {
 *   constructor(@Inject(ToriiGuard) private readonly torii: ToriiGuard) {}
 *   @Public() @Get() health() { return this.torii.status() }
 * }
 * ```
 */
@Injectable()
export class ToriiGuard implements CanActivate, ToriiHealth {
  constructor(
    @Inject(TORII_AUTH_GUARD) private readonly guard: AuthGuard<ToriiRequest>,
    @Inject(TORII_OPTIONS) private readonly options: ToriiModuleOptions,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * Each route's plan, by handler, then by controller class (a handler a base class declares is
   * one function for every controller that extends it, each with decorators of its own). A
   * route's decorators are fixed once its class is defined, so they are read on its first request
   * (up to four own-metadata reads and a Reflector lookup through the prototype chains), not on
   * every one.
   */
  private readonly plans = new WeakMap<object, WeakMap<object, RoutePlan>>();

  /** The verifier's status now: `ready`, the key set, the token cache (see `VerifierStatus`). */
  status(): VerifierStatus {
    return this.guard.status();
  }

  /** Fetches the issuer's key set: the module's startup check, callable again. */
  ready(): Promise<VerifierStatus> {
    return this.guard.ready();
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') {
      throw new ToriiConfigError(
        `torii: ToriiGuard protects HTTP routes only (got a ${context.getType()} handler).`,
      );
    }
    const plan = this.planFor(context.getHandler(), context.getClass());
    if (plan.mode === 'public') return true;
    const request = context.switchToHttp().getRequest<ToriiRequest>();
    // The Node request (Express's request is one; Fastify's wraps it in `raw`): core then sees
    // a header sent twice, which the platforms' `headers` objects fold into one.
    // A decision made without waiting (a cached token, or one verified synchronously by
    // node:crypto) is answered at once, without the promise and microtask turns of `decide`.
    const decision = this.guard.decideNow(request, request.raw ?? request, plan.overrides);
    if (decision instanceof Promise) {
      return decision.then((answer) => this.settle(answer, request, context));
    }
    return this.settle(decision, request, context);
  }

  /** Lets the request through, or throws the denial for Nest's exception layer. */
  private settle(
    decision: AuthDecision,
    request: ToriiRequest,
    context: ExecutionContext,
  ): boolean {
    if (decision.ok) {
      request.auth = decision.auth;
      return true;
    }
    if (this.options.exceptionFactory) throw this.options.exceptionFactory(decision, context);
    const response: unknown = context.switchToHttp().getResponse();
    for (const [name, value] of Object.entries(decision.headers)) {
      this.adapterHost.httpAdapter.setHeader(response, name, value);
    }
    throw new ToriiDeniedException(decision);
  }

  /** The plan of the route of `handler` in `controller`: read once, then kept. */
  private planFor(
    handler: ReturnType<ExecutionContext['getHandler']>,
    controller: ReturnType<ExecutionContext['getClass']>,
  ): RoutePlan {
    let byController = this.plans.get(handler);
    const known = byController?.get(controller);
    if (known !== undefined) return known;
    const targets = [handler, controller];
    const mode = routeMode(targets);
    // The route's @Authorize() (handler over class): core checks it after the module's authorize.
    // Unlike @Public(), it is inherited from a base class: a restriction that carries over can only
    // refuse more.
    const authorize =
      mode === 'public'
        ? undefined
        : this.reflector.getAllAndOverride<ToriiAuthorize | undefined>(
            TORII_AUTHORIZE_KEY,
            targets,
          );
    const plan: RoutePlan = Object.freeze({ mode, overrides: this.overrides(mode, authorize) });
    if (byController === undefined) {
      byController = new WeakMap();
      this.plans.set(handler, byController);
    }
    byController.set(controller, plan);
    return plan;
  }

  private overrides(
    mode: RouteMode,
    authorize: ToriiAuthorize | undefined,
  ): DecisionOverrides<ToriiRequest> | undefined {
    if (authorize === undefined) return mode === 'optional' ? OPTIONAL_ROUTE : undefined;
    return Object.freeze(mode === 'optional' ? { optional: true, authorize } : { authorize });
  }
}

/**
 * The closest of `@Public()` and `@OptionalAuth()`: the handler's, else its controller's. Read as
 * each target's own metadata: the Reflector (like `Reflect.getMetadata`) would also find them on a
 * base class, and a decorator that lets requests through must not carry over to every subclass.
 */
function routeMode(targets: readonly object[]): RouteMode {
  for (const target of targets) {
    if (Reflect.getOwnMetadata(TORII_PUBLIC_KEY, target) === true) return 'public';
    if (Reflect.getOwnMetadata(TORII_OPTIONAL_KEY, target) === true) return 'optional';
  }
  return undefined;
}
