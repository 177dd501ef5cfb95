import { createVerifier } from '@torii/core';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { verify as nodeVerify, createPublicKey } from 'node:crypto';
const ISSUER = 'https://acme.torii.so';
const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
const now = Math.floor(Date.now() / 1000);
const tokens = await Promise.all(Array.from({ length: 4000 }, (_, i) => new SignJWT({ pid: 'env_bench', email_verified: true }).setProtectedHeader({ alg: 'ES256', kid: 'bench' }).setIssuer(ISSUER).setSubject(`user_${i}`).setIssuedAt(now).setExpirationTime(now + 3600).sign(privateKey)));
const v = createVerifier({ issuer: ISSUER, jwks: { keys: [jwk] }, tokenCache: false });
const key = createPublicKey({ key: jwk, format: 'jwk' });
const parts = tokens.map(t => { const [h,p,s] = t.split('.'); return [Buffer.from(`${h}.${p}`), Buffer.from(s, 'base64url')]; });
async function run(ms, fn) { const end = performance.now() + ms; let n = 0; while (performance.now() < end) { for (let i = 0; i < 100; i++) await fn(n++); } return n; }
const mode = process.argv[2] ?? 'both';
for (let r = 0; r < 3; r++) {
  if (mode !== 'raw') { const n = await run(1500, (i) => v.verify(tokens[i % tokens.length])); console.log('torii', (1500e3 / n).toFixed(1), 'us'); }
  if (mode !== 'torii') { const n = await run(1500, (i) => { const [d, s] = parts[i % parts.length]; return nodeVerify('sha256', d, { key, dsaEncoding: 'ieee-p1363' }, s); }); console.log('raw', (1500e3 / n).toFixed(1), 'us'); }
}
