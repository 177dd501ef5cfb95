// Prelude of README fragments that use the REST client: the client, and a user's id.
import { ToriiClient } from '@torii/core';

const torii = new ToriiClient({ secretKey: 'sk_test_…' });
declare const userId: string;
