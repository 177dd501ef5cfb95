/**
 * The shape of a verified torii token.
 *
 * @module
 */

/**
 * Declare your custom claims here once and `auth.raw` is typed everywhere.
 *
 * @example
 * ```ts
 * declare module '@torii/core' {
 *   interface ToriiCustomClaims { org_role?: 'admin' | 'member' }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmentable by users
export interface ToriiCustomClaims {}

/** The payload of a torii end-user JWT, as verified. */
export type ToriiJwtPayload = {
  /** Issuer: the torii issuer URL. */
  iss: string;
  /** Subject: the user id. */
  sub: string;
  /** The environment (project) id. */
  pid: string;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Expiry, seconds since the epoch. */
  exp: number;
  nbf?: number;
  aud?: string | string[];
  email_verified?: boolean;
  profile_complete?: boolean;
  impersonating?: boolean;
  locale?: string | null;
  [claim: string]: unknown;
} & ToriiCustomClaims;

/**
 * A verified torii end user. Frozen: nothing downstream can change who the request is from.
 */
export interface ToriiAuth {
  /** The user id (`sub`). */
  readonly userId: string;
  /** The environment id (`pid`). */
  readonly environmentId: string;
  /** The issuer (`iss`), equal to the configured issuer. */
  readonly issuer: string;
  /** `email_verified === true`. */
  readonly emailVerified: boolean;
  /** `profile_complete !== false` (true when the claim is absent). */
  readonly profileComplete: boolean;
  /** `impersonating === true`. */
  readonly impersonating: boolean;
  /** `locale` when it is a string, else `null`. */
  readonly locale: string | null;
  /** The whole verified payload, for custom claims. */
  readonly raw: Readonly<ToriiJwtPayload>;
}
