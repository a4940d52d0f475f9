import { renderAnalyticsCalls } from '../../bench/analytics-calls.js';

describe('the analytics calls report', () => {
  it('gives the Genesys calls of the first details page, of the pages after it and per aggregate query', () => {
    const text = renderAnalyticsCalls({
      pageSize: 25,
      callsPerDetailsPage: [3, 0, 0, 0],
      totalHits: 80,
      aggregates: [
        { query: 'ungrouped', calls: 1, status: 200 },
        { query: 'by queueId', calls: 2, status: 200 },
      ],
    });
    expect(text).toContain('3 calls for the first page');
    expect(text).toContain('0 for the 3 pages after it; 0.75 calls per page overall');
    expect(text).toContain('| by queueId | 2 | 200 |');
  });
});
