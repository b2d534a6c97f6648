import { describe, expect, it } from 'vitest';
import { Histogram, Registry } from 'prom-client';
import { SeriesHistogram } from '../../../src/adapters/metrics/series-histogram.js';

const options = {
  name: 'inkstone_test_duration_seconds',
  help: 'A test histogram',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.1, 1],
};

describe('SeriesHistogram', () => {
  it("prints exactly what prom-client's Histogram prints for the same observations", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const fast = new SeriesHistogram({ ...options, registers: [ours] });
    const reference = new Histogram({ ...options, registers: [theirs] });
    const samples: Array<[{ method: string; route: string }, number]> = [
      [{ method: 'GET', route: '/' }, 0.001],
      [{ method: 'GET', route: '/' }, 0.005],
      [{ method: 'GET', route: '/' }, 0.2],
      [{ method: 'GET', route: '/' }, 7],
      [{ method: 'POST', route: '/api/articles/:id' }, 0.05],
      [{ method: 'GET', route: '/tags/"quoted"\\x' }, 0.01],
    ];
    const kept = fast.series({ method: 'GET', route: '/' });
    for (const [labels, value] of samples) {
      if (labels.method === 'GET' && labels.route === '/') kept.observe(value);
      else fast.observe(labels, value);
      reference.observe(labels, value);
    }
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain('inkstone_test_duration_seconds_bucket{le="0.005",method="GET",route="/"} 2');
    expect(text).toContain('inkstone_test_duration_seconds_bucket{le="+Inf",method="GET",route="/"} 4');
    expect(text).toContain('inkstone_test_duration_seconds_count{method="POST",route="/api/articles/:id"} 1');
    // The JSON export (what an aggregating registry reads) matches too, but for exemplars, which we never record.
    const noExemplars = (metrics: unknown) =>
      JSON.parse(JSON.stringify(metrics, (key, value: unknown) => (key === 'exemplar' ? undefined : value))) as unknown;
    expect(await ours.getMetricsAsJSON()).toEqual(noExemplars(await theirs.getMetricsAsJSON()));
  });

  it('finds the same series for the same label values, and refuses missing labels and non-numbers', () => {
    const h = new SeriesHistogram({ ...options, registers: [] });
    expect(h.series({ method: 'GET', route: '/' })).toBe(h.series({ route: '/', method: 'GET' }));
    expect(h.series({ method: 'GET', route: '/a' })).not.toBe(h.series({ method: 'GET', route: '/' }));
    expect(h.at('GET', '/')).toBe(h.series({ method: 'GET', route: '/' }));
    expect(() => h.series({ method: 'GET' } as never)).toThrow(/label route is missing/);
    expect(() => h.at('GET')).toThrow(/2 label values expected, got 1/);
    expect(() => h.observe({ method: 'GET', route: '/' }, Number.NaN)).toThrow(/not a valid number/);
  });

  it('reset forgets every series, and a registry refuses a second metric of the same name', async () => {
    const registry = new Registry();
    const h = new SeriesHistogram({ ...options, registers: [registry] });
    h.observe({ method: 'GET', route: '/' }, 0.5);
    h.reset();
    expect(await registry.metrics()).not.toContain('_count');
    expect(() => new SeriesHistogram({ ...options, registers: [registry] })).toThrow(/already been registered/);
  });
});
