// Bytes per entry of torii's verified-token cache: the heap a full cache of N distinct tokens
// holds (the cache's own structures, each token's ToriiAuth and its frozen payload), measured as
// the difference between a verifier that cached N tokens and one that verified the same tokens
// with the cache off. The token strings are alive in both runs (this script holds them), so they
// are not in the figure: in a server the cache also keeps each token string, about its length in
// bytes.
//
//   node --expose-gc bench/cache-memory.mjs [N=10000]

import { createVerifier } from '@torii/core';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc bench/cache-memory.mjs');
  process.exit(2);
}
const N = Number(process.argv[2] ?? 10_000);
const ISSUER = 'https://acme.torii.so';
const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256' }] };
const now = Math.floor(Date.now() / 1000);
const tokens = await Promise.all(
  Array.from({ length: N }, (_, i) =>
    new SignJWT({ pid: 'env_bench', email_verified: true, locale: 'en' })
      .setProtectedHeader({ alg: 'ES256', kid: 'bench' })
      .setIssuer(ISSUER)
      .setSubject(`user_${String(i).padStart(6, '0')}`)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(privateKey),
  ),
);

async function heapAfter(tokenCache) {
  const verifier = createVerifier({ issuer: ISSUER, jwks, tokenCache });
  for (const token of tokens) await verifier.verify(token);
  globalThis.gc();
  globalThis.gc();
  return { heap: process.memoryUsage().heapUsed, verifier };
}

const off = await heapAfter(false);
const on = await heapAfter({ maxEntries: N });
const perEntry = (on.heap - off.heap) / N;
const tokenChars = tokens.reduce((sum, t) => sum + t.length, 0) / N;
console.log(`${N} cached tokens of ${tokenChars.toFixed(0)} characters each`);
console.log(`heap held by the cache: ${((on.heap - off.heap) / 1024 / 1024).toFixed(2)} MiB`);
console.log(
  `bytes per cached entry: ${perEntry.toFixed(0)}, plus the token string it keys by (~${tokenChars.toFixed(0)} bytes)`,
);
// Keep both verifiers alive until here, so neither heap figure is flattered by collection.
void off.verifier;
void on.verifier;
