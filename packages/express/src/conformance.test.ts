import { runConformanceSuite } from '@torii/conformance';
import express from 'express';
import express4 from 'express4';
import { startExpressApp } from '../test/conformance-app.js';

runConformanceSuite('@torii/express on Express 5', (options) => startExpressApp(express, options));
runConformanceSuite('@torii/express on Express 4', (options) => startExpressApp(express4, options));
