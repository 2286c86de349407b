import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { LazyChildLogger } from './lazy-child-logger.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger(level, destination) };
}

describe('LazyChildLogger', () => {
  it('writes the lines an eager child writes: same bindings, level and fields', async () => {
    const { lines, logger } = capture('info');
    const lazy = new LazyChildLogger(logger, { reqId: 'req-1' });
    const eager = logger.child({ reqId: 'req-1' });
    lazy.error({ code: 'E1' }, 'database unavailable');
    eager.error({ code: 'E1' }, 'database unavailable');
    lazy.warn('plain %s', 'text');
    eager.warn('plain %s', 'text');
    await new Promise((r) => setImmediate(r));
    const strip = ({ time: _t, ...rest }: Record<string, unknown>) => rest;
    expect(lines).toHaveLength(4);
    expect(strip(lines[0]!)).toEqual(strip(lines[1]!));
    expect(strip(lines[2]!)).toEqual(strip(lines[3]!));
    expect(lines[0]).toMatchObject({ reqId: 'req-1', code: 'E1', msg: 'database unavailable' });
    expect(lines[2]).toMatchObject({ reqId: 'req-1', msg: 'plain text' });
  });

  it('makes no pino child for a request that logs nothing, or only at a filtered level', () => {
    const { lines, logger } = capture('info');
    const lazy = new LazyChildLogger(logger, { reqId: 'req-2' });
    lazy.debug('filtered at info');
    lazy.trace('filtered too');
    expect(lazy.made).toBe(false);
    expect(lazy.isLevelEnabled('debug')).toBe(false);
    expect(lazy.isLevelEnabled('error')).toBe(true);
    expect(lazy.level).toBe('info');
    expect(lines).toHaveLength(0);
    lazy.info('now it is made');
    expect(lazy.made).toBe(true);
  });

  it('honours a per-route level given in its options', async () => {
    const { lines, logger } = capture('info');
    const lazy = new LazyChildLogger(logger, { reqId: 'req-3' }, { level: 'debug' });
    expect(lazy.level).toBe('debug');
    lazy.debug('route-level debug');
    await new Promise((r) => setImmediate(r));
    expect(lines).toEqual([expect.objectContaining({ reqId: 'req-3', msg: 'route-level debug', level: 20 })]);
  });
});
