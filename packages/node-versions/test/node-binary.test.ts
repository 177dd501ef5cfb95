// Runs only inside `src/run.mjs`'s vitest runs: proves the workers that run the suites are the
// pinned Node build the wrapper started, not the Node that runs pnpm.
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageDir } from '../src/nodes.mjs';
import { SUITES } from '../src/suites.mjs';

const binary = process.env.TORII_NODE_BINARY;
const pinned = process.env.TORII_NODE_VERSION;

describe('the Node the suites run on', () => {
  it('is the pinned npm build the wrapper started, in a forked worker', () => {
    if (binary === undefined || pinned === undefined) {
      throw new Error('run through `pnpm test` (src/run.mjs), which names the Node binary');
    }
    expect(process.execPath).toBe(realpathSync(binary));
    expect(process.version).toBe(`v${pinned}`);
    // A child process with an IPC channel: vitest's `forks` pool, started from process.execPath.
    expect(process.send).toBeTypeOf('function');
    const build = JSON.parse(readFileSync(join(dirname(binary), '..', 'package.json'), 'utf8'));
    expect(build).toMatchObject({
      name: `node-${process.platform}-${process.arch}`,
      version: pinned,
    });
  });

  it('has every suite it runs as a workspace dependency, so turbo builds it first', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    for (const dir of SUITES) {
      const { name } = JSON.parse(
        readFileSync(join(packageDir, '..', dir, 'package.json'), 'utf8'),
      );
      expect(manifest.dependencies, dir).toHaveProperty([name], 'workspace:^');
    }
  });
});
