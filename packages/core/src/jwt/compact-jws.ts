/**
 * Strict parsing of a JWS in compact serialization (`header.payload.signature`).
 *
 * @module
 */
import { ToriiAuthError } from '../errors.js';
import { deepFreeze } from '../shared/deep-freeze.js';
import { decodeBase64Url, isCanonicalBase64Url, textOfCanonicalBase64Url } from './base64url.js';
import { type JsonObject, parseJsonObject } from './json-object.js';

/** A compact JWS split and checked, before any check of its meaning. */
export interface CompactJws {
  /** The protected header, a frozen JSON object. */
  readonly header: JsonObject;
  /** The payload segment, canonical base64url, not decoded yet (the caller knows its format). */
  readonly payloadSegment: string;
  /** `header.payload` as received (ASCII): what the signature covers. */
  readonly signingInput: string;
  /** The decoded signature bytes. */
  readonly signature: Uint8Array<ArrayBuffer>;
}

/** The default cap on a token's length: 8 KiB. */
export const DEFAULT_MAX_TOKEN_BYTES = 8192;

/**
 * Decoded headers by segment. The tokens of one issuer and key share one header segment, so it is
 * decoded once; a decoded header is a pure function of its segment. Bounded: cleared when full.
 */
const decodedHeaders = new Map<string, JsonObject>();
const DECODED_HEADERS_MAX = 64;

function malformed(message: string): ToriiAuthError {
  return new ToriiAuthError('token_malformed', `torii: ${message}`);
}

/**
 * Splits and checks a compact JWS, rejecting with `token_malformed` anything that is not exactly
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
  const signature = decodeBase64Url(token.slice(secondDot + 1));
  const header = decodedHeaders.get(headerSegment);
  if (
    signature === null ||
    !isCanonicalBase64Url(payloadSegment) ||
    (header === undefined && !isCanonicalBase64Url(headerSegment))
  ) {
    throw malformed(
      `the token is not canonical base64url (only A-Z a-z 0-9 - _, no padding, no whitespace).${likelyMistake(token)}`,
    );
  }
  return {
    header: header ?? decodeHeader(headerSegment),
    payloadSegment,
    signingInput: token.slice(0, secondDot),
    signature,
  };
}

/** The `Bearer` scheme and the space after it, in any case. Linear: a fixed-length prefix. */
const BEARER_PREFIX = /^bearer[ \t]/i;

function isQuote(code: number): boolean {
  return code === 0x22 /* " */ || code === 0x27 /* ' */;
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/**
 * A sentence on how a token that is not base64url was most likely passed wrong (the whole
 * `Authorization` value, a JSON-encoded string, untrimmed input), or `''`. It reads the token's
 * first seven chars and its last one, and never repeats any of it.
 */
function likelyMistake(token: string): string {
  if (BEARER_PREFIX.test(token)) {
    return ' It starts with the "Bearer " scheme: pass the token without it (authenticateRequest() reads a request\'s header for you).';
  }
  const first = token.charCodeAt(0);
  const last = token.charCodeAt(token.length - 1);
  if (isQuote(first) && isQuote(last)) {
    return ' It is wrapped in quotes: pass the token itself, not its JSON encoding.';
  }
  if (isWhitespace(first) || isWhitespace(last)) {
    return ' It has whitespace around it: trim it.';
  }
  return '';
}

/**
 * Decodes a header segment that {@link parseCompactJws} has found canonical to a frozen JSON object
 * and remembers it.
 */
function decodeHeader(segment: string): JsonObject {
  const text = segment.length === 0 ? null : textOfCanonicalBase64Url(segment);
  const header = text === null ? null : parseJsonObject(text);
  if (header === null) {
    throw malformed('the token header is not a JSON object with unique member names.');
  }
  deepFreeze(header);
  if (decodedHeaders.size >= DECODED_HEADERS_MAX) decodedHeaders.clear();
  decodedHeaders.set(segment, header);
  return header;
}
