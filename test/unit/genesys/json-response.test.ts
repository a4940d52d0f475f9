import { parseSharedUpstreamJson, parseUpstreamJson } from '../../../src/genesys/json-response.js';

const json = 'application/json; charset=UTF-8';

describe('parsing an upstream answer', () => {
  it('refuses what is not JSON, whatever the bytes', () => {
    expect(() => parseUpstreamJson(Buffer.from('{}'), 'text/html')).toThrow(expect.objectContaining({ code: 'upstream.bad.response' }));
    expect(() => parseUpstreamJson(Buffer.from('{"entities": ['), json)).toThrow(expect.objectContaining({ code: 'upstream.bad.response' }));
  });

  it('parses a shared answer once for all its waiters, frozen all the way down', () => {
    const body = Buffer.from('{"entities":[{"id":"q1","division":{"id":"A"}}],"total":1}');
    const first = parseSharedUpstreamJson(body, json) as { entities: { division: { id: string } }[]; total: number };
    expect(parseSharedUpstreamJson(body, json)).toBe(first);
    expect(() => {
      first.total = 2;
    }).toThrow(TypeError);
    expect(() => {
      first.entities[0]!.division.id = 'B';
    }).toThrow(TypeError);
    expect(() => first.entities.pop()).toThrow(TypeError);
    // The same bytes in another buffer are another answer.
    expect(parseSharedUpstreamJson(Buffer.from(body), json)).not.toBe(first);
  });

  it('still checks the content type of every waiter', () => {
    const body = Buffer.from('{"total":1}');
    parseSharedUpstreamJson(body, json);
    expect(() => parseSharedUpstreamJson(body, 'text/plain')).toThrow(expect.objectContaining({ code: 'upstream.bad.response' }));
  });
});
