// Prelude of README fragments of @torii/koa: the Quick start's app and issuer.
import { requireAuth } from '@torii/koa';
import Koa from 'koa';

const issuer = 'https://acme.torii.so';
const app = new Koa();
