import zlib from 'node:zlib';
import { StampedJson } from './StampedJson';

describe('StampedJson', () => {
  const rows = Array.from({ length: 2000 }, (_, i) => ({
    name: `claim-${i}`,
    health: i % 20 === 0 ? 'Degraded' : 'Healthy',
    message: 'storage quota exceeded "quoted" \\ and ünïcode',
  }));
  const fields = { generatedAt: 'ignored', totals: { Healthy: 1900 }, rows };

  it('is the fields as JSON, the stamp first and the stamp it is given', () => {
    const json = new StampedJson('generatedAt', fields);
    const text = json.text('2026-12-06T00:00:00.000Z');
    expect(text.startsWith('{"generatedAt":"2026-12-06T00:00:00.000Z",')).toBe(
      true,
    );
    expect(JSON.parse(text)).toEqual({
      ...fields,
      generatedAt: '2026-12-06T00:00:00.000Z',
    });
  });

  it('is a stamp alone when there is no other field', () => {
    expect(JSON.parse(new StampedJson('at', {}).text('now'))).toEqual({
      at: 'now',
    });
    expect(
      zlib.gunzipSync(new StampedJson('at', { at: 1 }).gzip('x')!).toString(),
    ).toBe('{"at":"x"}');
  });

  it('gzips to the same text, with a checksum gunzip accepts, for each new stamp', () => {
    const json = new StampedJson('generatedAt', fields);
    for (const stamp of ['2026-12-06T00:00:00.000Z', 'a longer stamp ✓']) {
      const gzipped = json.gzip(stamp)!;
      // gunzip checks the CRC-32 and the length in the trailer.
      expect(zlib.gunzipSync(gzipped).toString()).toBe(json.text(stamp));
      // Compressed: the rows repeat.
      expect(gzipped.length).toBeLessThan(json.text(stamp).length / 5);
    }
  });
});
