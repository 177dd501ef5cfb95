import { createAdaptorServer } from '@hono/node-server';
import {
  listenOnLoopback,
  runConformanceSuite,
  type StartConformanceApp,
} from '@torii/conformance';
import { conformanceApp } from '../test/conformance-app.js';

const startHonoApp: StartConformanceApp = async (options) =>
  listenOnLoopback(createAdaptorServer({ fetch: conformanceApp(options).fetch }));

runConformanceSuite('@torii/hono on Hono 4 (@hono/node-server)', startHonoApp);
