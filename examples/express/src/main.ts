/**
 * Express 5 + `@torii/express`: runs the app of `app.ts` on 127.0.0.1, configured from env;
 * `torii-dev` gives local values.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';

const { TORII_ISSUER: issuer, TORII_SECRET_KEY: secretKey, TORII_API_URL: apiUrl } = process.env;
if (!issuer || !secretKey) {
  console.error(
    'example-express: set TORII_ISSUER and TORII_SECRET_KEY (and TORII_API_URL for a local API).\n' +
      'For a local torii, run `npx pnpm@12.4.2 exec torii-dev --seed` in another terminal, then the\n' +
      '`export TORII_ISSUER=… TORII_API_URL=… TORII_SECRET_KEY=…` line it prints, here.',
  );
  process.exit(1);
}

const app = createApp({ issuer, secretKey, apiUrl: apiUrl || undefined });
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
