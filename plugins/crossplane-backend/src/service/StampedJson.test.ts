/* eslint jest/no-standalone-expect: ["error", { "additionalTestBlockFunctions": ["withCrc"] }] */
import zlib from 'node:zlib';
import { StampedJson } from './StampedJson';

describe('StampedJson', () => {
  const rows = Array.from({ length: 2000 }, (_, i) => ({
    name: `claim-${i}`,
    health: i % 20 === 0 ? 'Degraded' : 'Healthy',
    message: 'storage quota exceeded "quoted" \\ and ünïcode',
  }));
  const fields = { generatedAt: 'ignored', totals: { Healthy: 1900 }, rows };

  it('is the fields as JSON, with the stamp it is given last', () => {
    const json = new StampedJson('generatedAt', fields);
    const text = json.text('2026-12-06T00:00:00.000Z');
    expect(text.endsWith(',"generatedAt":"2026-12-06T00:00:00.000Z"}')).toBe(
      true,
    );
    expect(JSON.parse(text)).toEqual({
      ...fields,
      generatedAt: '2026-12-06T00:00:00.000Z',
    });
  });

  // Node before 20.15 (22.2) cannot continue a checksum: the text is sent instead.
  const withCrc = 'crc32' in zlib ? it : it.skip;

  it('is a stamp alone when there is no other field', () => {
    expect(JSON.parse(new StampedJson('at', {}).text('now'))).toEqual({
      at: 'now',
    });
  });

  withCrc('gzips a stamp alone', () => {
    expect(
      zlib.gunzipSync(new StampedJson('at', { at: 1 }).gzip('x')!).toString(),
    ).toBe('{"at":"x"}');
  });

  withCrc(
    'gzips to the same text, with a checksum gunzip accepts, for each new stamp',
    () => {
      const json = new StampedJson('generatedAt', fields);
      for (const stamp of ['2026-12-06T00:00:00.000Z', 'a longer stamp ✓']) {
        const gzipped = json.gzip(stamp)!;
        // gunzip checks the CRC-32 and the length in the trailer.
        expect(zlib.gunzipSync(gzipped).toString()).toBe(json.text(stamp));
        // Compressed: the rows repeat.
        expect(gzipped.length).toBeLessThan(json.text(stamp).length / 5);
      }
    },
  );
});
