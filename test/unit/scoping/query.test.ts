import { GatewayError } from '../../../src/errors.js';
import { compileQuerySpec, parseQuery, positiveInteger, serializeQuery } from '../../../src/scoping/query.js';

const spec = compileQuerySpec({ single: ['pageSize', 'name'], multi: ['divisionId', 'id'] });

describe('parseQuery', () => {
  it('accepts repeated keys and comma-joined values alike for array parameters', () => {
    const values = parseQuery('divisionId=a&divisionId=b,c&divisionId=&id=x', spec);
    expect(values.get('divisionId')).toEqual(['a', 'b', 'c']);
    expect(values.get('id')).toEqual(['x']);
  });

  it('refuses a parameter the route does not list', () => {
    expect(() => parseQuery('pageSize=1&access_token=x', spec)).toThrow(GatewayError);
  });

  it('refuses a single-valued parameter given twice', () => {
    expect(() => parseQuery('pageSize=1&pageSize=500', spec)).toThrow(/only once/);
  });

  it('refuses control characters hidden in percent-encoding', () => {
    expect(() => parseQuery('name=a%00b', spec)).toThrow(GatewayError);
  });

  it('decodes values and serialises them back with repeated keys', () => {
    const values = parseQuery('name=Sales%20*&divisionId=a,b', spec);
    expect(values.get('name')).toEqual(['Sales *']);
    expect(serializeQuery(values)).toBe('name=Sales%20*&divisionId=a&divisionId=b');
  });

  it('validates positive integers', () => {
    expect(positiveInteger(parseQuery('pageSize=30', spec), 'pageSize', 25)).toBe(30);
    expect(positiveInteger(parseQuery('', spec), 'pageSize', 25)).toBe(25);
    expect(() => positiveInteger(parseQuery('pageSize=-1', spec), 'pageSize', 25)).toThrow(GatewayError);
  });
});
