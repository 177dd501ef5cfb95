/**
 * The Standard Webhooks signature: base64 HMAC-SHA256 of `"{id}.{timestamp}.{payload}"`, with Web
 * Crypto only.
 *
 * @module
 */
import { bytesToBase64 } from './base64.js';

const encoder = new TextEncoder();

/** The bytes that are signed: `id`, `.`, `timestamp`, `.`, then the payload byte for byte. */
export function signedContent(
  id: string,
  timestamp: string,
  payload: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const prefix = encoder.encode(`${id}.${timestamp}.`);
  const content = new Uint8Array(prefix.length + payload.length);
  content.set(prefix, 0);
  content.set(payload, prefix.length);
  return content;
}

/** Base64 of HMAC-SHA256(key, `{id}.{timestamp}.{payload}`), the part after `v1,`. */
export async function computeSignature(
  key: Uint8Array<ArrayBuffer>,
  id: string,
  timestamp: string,
  payload: Uint8Array,
): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    key,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', cryptoKey, signedContent(id, timestamp, payload));
  return bytesToBase64(new Uint8Array(mac));
}

/**
 * Compares two strings in time that depends only on their lengths, never on where they first
 * differ.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  if (left.length !== right.length) return false;
  let difference = 0;
  for (let i = 0; i < left.length; i++) difference |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return difference === 0;
}
