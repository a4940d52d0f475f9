import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { parseJson, readRequestBody } from '../../../src/http/request-body.js';

const schema = z.strictObject({ filter: z.strictObject({ type: z.enum(['and', 'or']) }), metrics: z.array(z.string()) });
const valid = JSON.stringify({ filter: { type: 'and' }, metrics: ['oWaiting'] });

function requestOf(body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }): IncomingMessage {
  const stream = Readable.from([Buffer.isBuffer(body) ? body : Buffer.from(body)]) as unknown as IncomingMessage;
  Object.assign(stream, { headers });
  return stream;
}

describe('reading a request body', () => {
  it('returns what the schema accepted', async () => {
    await expect(readRequestBody(requestOf(valid, { 'content-type': 'application/json; charset=UTF-8' }), schema, 1000)).resolves.toEqual(JSON.parse(valid));
  });

  it('refuses a body that is not JSON by its content type with 415', async () => {
    const cases: Record<string, string>[] = [{}, { 'content-type': 'text/plain' }, { 'content-type': 'application/x-www-form-urlencoded' }, { 'content-type': 'application/json; charset=latin1' }];
    for (const headers of cases) {
      await expect(readRequestBody(requestOf(valid, headers), schema, 1000)).rejects.toMatchObject({ code: 'unsupported.media.type', status: 415 });
    }
  });

  it('refuses a body over the cap with 413, declared or not', async () => {
    await expect(readRequestBody(requestOf(valid, { 'content-type': 'application/json', 'content-length': '5000' }), schema, 1000)).rejects.toMatchObject({ code: 'payload.too.large' });
    await expect(readRequestBody(requestOf(' '.repeat(2000) + valid), schema, 1000)).rejects.toMatchObject({ code: 'payload.too.large', status: 413 });
  });

  it('refuses malformed JSON, invalid UTF-8 and bodies the schema refuses with 400', async () => {
    for (const body of ['{"filter":', '', Buffer.from([0x7b, 0xff, 0x7d]), JSON.stringify({ filter: { type: 'xor' }, metrics: [] }), JSON.stringify({ ...JSON.parse(valid), extra: 1 })]) {
      await expect(readRequestBody(requestOf(body), schema, 1000)).rejects.toMatchObject({ code: 'body.invalid', status: 400 });
    }
  });
});

describe('parsing JSON safely', () => {
  it('refuses prototype keys anywhere', () => {
    for (const text of ['{"__proto__":{"polluted":1}}', '{"a":[{"constructor":{"prototype":{}}}]}', '{"prototype":1}']) {
      expect(() => parseJson(text)).toThrow(expect.objectContaining({ code: 'body.invalid' }));
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses deep nesting but accepts what Genesys bodies need', () => {
    expect(() => parseJson(`${'['.repeat(40)}${']'.repeat(40)}`)).toThrow(expect.objectContaining({ code: 'body.invalid' }));
    expect(parseJson(`${'['.repeat(10)}${']'.repeat(10)}`)).toBeDefined();
  });
});
