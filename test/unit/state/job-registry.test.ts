import { MemoryJobRegistry } from '../../../src/state/jobs/job-registry.js';

describe('job bindings', () => {
  it('bind a job id once: a second binding, by anyone, is refused and the first creator keeps the job', async () => {
    let now = 0;
    const registry = new MemoryJobRegistry({ ttlMs: 100, now: () => now });
    expect(await registry.bind('j1', 'globex')).toBe(true);
    expect(await registry.bind('j1', 'twin')).toBe(false);
    expect(await registry.bind('j1', 'globex')).toBe(false);
    expect(await registry.ownerOf('j1')).toBe('globex');
    now = 100;
    expect(await registry.ownerOf('j1')).toBeUndefined();
    expect(await registry.bind('j1', 'twin')).toBe(true);
  });
});
