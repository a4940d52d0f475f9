import { pino } from 'pino';
import { Writable } from 'node:stream';
import { DriftMonitor, type DriftEvent } from '../../../src/drift/division-drift.js';
import { buildRegistry } from '../../../src/tenants/load-tenants.js';
import { tenantYaml } from '../../support/tenants.js';

const registry = buildRegistry([
  { file: 'a.yaml', text: tenantYaml('alpha', ['d1', 'd2'], [{ id: 'a-1', key: 'gdp_alpha_key_0000000000000000000000' }]) },
  { file: 'b.yaml', text: tenantYaml('beta', ['d2', 'd3'], [{ id: 'b-1', key: 'gdp_beta_key_00000000000000000000000' }]) },
  { file: 'c.yaml', text: tenantYaml('gamma', ['d4'], [{ id: 'c-1', key: 'gdp_gamma_key_0000000000000000000000' }]) },
]);

describe('DriftMonitor', () => {
  it('names the tenants that gained and lost each moved object, logs and counts it', () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino(new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString())), done()) }));
    const counted: DriftEvent[] = [];
    const monitor = new DriftMonitor({ tenants: () => registry, logger, onDrift: (event) => counted.push(event) });
    monitor.loaded('queues', {
      at: 1000,
      entries: 10,
      moves: [
        { id: 'q1', name: 'Sales', fromDivisionId: 'd1', toDivisionId: 'd3' },
        { id: 'q2', name: 'Care', fromDivisionId: 'd2', toDivisionId: 'd4' },
        { id: 'q3', name: 'Back office', fromDivisionId: 'd9', toDivisionId: 'd2' },
      ],
    });
    expect(monitor.recent().map((e) => [e.id, e.gainedBy, e.lostBy])).toEqual([
      ['q3', ['alpha', 'beta'], []],
      ['q2', ['gamma'], ['alpha', 'beta']],
      ['q1', ['beta'], ['alpha']],
    ]);
    expect(counted).toHaveLength(3);
    expect(lines[0]).toMatchObject({ log: 'drift', directory: 'queues', entity: 'q1', fromDivision: 'd1', toDivision: 'd3', gainedBy: ['beta'], lostBy: ['alpha'] });
    expect(lines[0]).not.toHaveProperty('name');
  });

  it('stays quiet when a load moved nothing', () => {
    const monitor = new DriftMonitor({ tenants: () => registry, logger: pino({ level: 'silent' }) });
    monitor.loaded('users', { at: 1, entries: 3, moves: [] });
    expect(monitor.recent()).toEqual([]);
  });
});
