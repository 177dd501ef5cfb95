/**
 * Express 5 + `@torii/express`: runs the app of `app.ts` on 127.0.0.1, configured from env;
 * `torii-dev` gives local values. The startup check runs before the server listens: against a
 * wrong issuer it logs one clear warning (and `/health` answers 503 with the reason), then starts.
 */
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { exportToConsole, toriiTelemetry } from './telemetry.js';

const { TORII_ISSUER: issuer, TORII_SECRET_KEY: secretKey, TORII_API_URL: apiUrl } = process.env;
if (!issuer || !secretKey) {
  console.error(
    'example-express: set TORII_ISSUER and TORII_SECRET_KEY (and TORII_API_URL for a local API).\n' +
      'For a local torii, run `npx pnpm@12.4.2 exec torii-dev --seed` in another terminal, then the\n' +
      '`export TORII_ISSUER=… TORII_API_URL=… TORII_SECRET_KEY=…` line it prints, here.',
  );
  process.exit(1);
}

if (process.env.OTEL_CONSOLE === '1') exportToConsole();

const { app, auth } = createApp({
  issuer,
  secretKey,
  apiUrl: apiUrl || undefined,
  telemetry: toriiTelemetry(),
});
await auth.ready(); // the startup check: fetch the issuer's keys now, not on the first request
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
