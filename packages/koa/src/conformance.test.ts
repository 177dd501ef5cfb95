import { createRequire } from 'node:module';
import { runConformanceSuite } from '@torii/conformance';
import Koa from 'koa';
import Koa2 from 'koa2';
import { describe, expect, it } from 'vitest';
import { startKoaApp } from '../test/conformance-app.js';

runConformanceSuite('@torii/koa on Koa 3', (options) => startKoaApp(Koa, options));
runConformanceSuite('@torii/koa on Koa 2', (options) => startKoaApp(Koa2, options));

describe('the Koa majors under test', () => {
  const require = createRequire(import.meta.url);
  it.each([
    ['koa', 3],
    ['koa2', 2],
  ])('%s is Koa %i', (name, major) => {
    const { version } = require(`${name}/package.json`) as { version: string };
    expect(Number(version.split('.')[0])).toBe(major);
  });

  it('the two are different Koa classes', () => {
    expect(Koa2).not.toBe(Koa);
  });
});
