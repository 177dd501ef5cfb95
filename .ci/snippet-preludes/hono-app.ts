// Prelude of README fragments of @torii/hono: the Quick start's app and issuer.
import { requireAuth, type ToriiVariables } from '@torii/hono';
import { Hono } from 'hono';

const issuer = 'https://acme.torii.so';
const app = new Hono<{ Variables: ToriiVariables }>();
