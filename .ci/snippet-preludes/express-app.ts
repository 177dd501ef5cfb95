// Prelude of README fragments of @torii/express: the Quick start's app and issuer.
import { requireAuth } from '@torii/express';
import express from 'express';

const issuer = 'https://acme.torii.so';
const app = express();
