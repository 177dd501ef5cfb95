/**
 * Loading the Wycheproof vectors copied into `test/vectors/wycheproof/` (Apache-2.0, see the
 * LICENSE and README there).
 *
 * @module
 */
import { readFileSync } from 'node:fs';

const DIR = new URL('./vectors/wycheproof/', import.meta.url);

/** One ECDSA P1363 verification test. */
export interface EcdsaP1363Test {
  tcId: number;
  comment: string;
  flags: string[];
  msg: string;
  sig: string;
  result: 'valid' | 'invalid' | 'acceptable';
}

/** A group of ECDSA tests sharing one public key. */
export interface EcdsaP1363Group {
  publicKey: { curve: string; wx: string; wy: string };
  sha: string;
  tests: EcdsaP1363Test[];
}

/** One JWS verification test. */
export interface JwsTest {
  tcId: number;
  comment: string;
  jws: string | Record<string, unknown>;
  result: 'valid' | 'invalid';
}

/** A group of JWS tests sharing one key. */
export interface JwsGroup {
  comment: string;
  public?: Record<string, unknown>;
  tests: JwsTest[];
}

function load<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as T;
}

/** `ecdsa_secp256r1_sha256_p1363_test.json`. */
export function loadEcdsaP256P1363(): { numberOfTests: number; testGroups: EcdsaP1363Group[] } {
  return load('ecdsa_secp256r1_sha256_p1363_test.json');
}

/** `json_web_signature_test.json`. */
export function loadJws(): { numberOfTests: number; testGroups: JwsGroup[] } {
  return load('json_web_signature_test.json');
}

/** A big-endian hex integer as exactly 32 bytes, base64url (a P-256 JWK coordinate). */
export function coordinate(hex: string): string {
  const trimmed = hex.replace(/^(00)+/, '').padStart(64, '0');
  return Buffer.from(trimmed, 'hex').toString('base64url');
}

/** Hex to bytes. */
export function hexBytes(hex: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
