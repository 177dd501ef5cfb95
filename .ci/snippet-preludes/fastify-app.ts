// Prelude of README fragments of @torii/fastify: the Quick start's app and plugin.
import toriiAuth from '@torii/fastify';
import Fastify from 'fastify';

const app = Fastify();
