// Prelude of README fragments that handle a request: the one your server received.
import type { IncomingMessage } from 'node:http';

declare const req: IncomingMessage;
