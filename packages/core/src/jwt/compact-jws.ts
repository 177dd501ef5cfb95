/**
 * Strict parsing of a JWS in compact serialization (`header.payload.signature`).
 *
 * @module
 */
import { ToriiAuthError } from '../errors.js';
import { decodeBase64Url } from './base64url.js';
import { decodeJsonObject, type JsonObject } from './json-object.js';

/** A compact JWS split and decoded, before any check of its meaning. */
export interface CompactJws {
  /** The protected header, a JSON object. */
  readonly header: JsonObject;
  /** The decoded payload bytes. */
  readonly payload: Uint8Array;
  /** The ASCII bytes of `header.payload`, what the signature covers. */
  readonly signingInput: Uint8Array<ArrayBuffer>;
  /** The decoded signature bytes. */
  readonly signature: Uint8Array<ArrayBuffer>;
}

/** The default cap on a token's length: 8 KiB. */
export const DEFAULT_MAX_TOKEN_BYTES = 8192;

const ASCII = new TextEncoder();

function malformed(message: string): ToriiAuthError {
  return new ToriiAuthError('token_malformed', `torii: ${message}`);
}

/**
 * Splits and decodes a compact JWS, rejecting with `token_malformed` anything that is not exactly
 * three canonical base64url segments with a JSON-object header. The length cap comes first, so an
 * oversized token costs one comparison.
 *
 * @param token - The raw token, exactly as received.
 * @param maxLength - Longest token accepted, in bytes (the token is ASCII when it is valid).
 * @throws {@link ToriiAuthError} `token_malformed`
 *
 * @example
 * ```ts
 * const jws = parseCompactJws(token, 8192);
 * jws.header.alg; // 'ES256'
 * ```
 */
export function parseCompactJws(token: string, maxLength: number): CompactJws {
  if (token.length > maxLength) {
    throw malformed(
      `the token is longer than ${maxLength} bytes. Send the torii session token as issued, or raise maxTokenBytes.`,
    );
  }
  const firstDot = token.indexOf('.');
  const secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
  if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
    throw malformed('the token is not a JWT: it must have exactly three dot-separated parts.');
  }
  const headerSegment = token.slice(0, firstDot);
  const payloadSegment = token.slice(firstDot + 1, secondDot);
  const signatureSegment = token.slice(secondDot + 1);
  const headerBytes = decodeBase64Url(headerSegment);
  const payload = decodeBase64Url(payloadSegment);
  const signature = decodeBase64Url(signatureSegment);
  if (headerBytes === null || payload === null || signature === null) {
    throw malformed(
      'the token is not canonical base64url (only A-Z a-z 0-9 - _, no padding, no whitespace).',
    );
  }
  const header = headerBytes.length === 0 ? null : decodeJsonObject(headerBytes);
  if (header === null) {
    throw malformed('the token header is not a JSON object with unique member names.');
  }
  return {
    header,
    payload,
    signingInput: ASCII.encode(token.slice(0, secondDot)),
    signature,
  };
}
