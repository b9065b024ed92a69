import { mergedPage } from './SummaryRows';

describe('mergedPage', () => {
  const compare = (a: number, b: number) => a - b;

  it('is the page of the lists merged, as sorting them all would give', () => {
    // Deterministic pseudo-random lists, each sorted.
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let trial = 0; trial < 50; trial++) {
      const lists = Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
        Array.from({ length: Math.floor(random() * 30) }, () =>
          Math.floor(random() * 20),
        ).sort(compare),
      );
      const all = lists.flat().sort(compare);
      const from = Math.floor(random() * (all.length + 2));
      const to = from + Math.floor(random() * 10);
      const page = mergedPage(lists, compare, from, to);
      expect(page.map(p => p.item)).toEqual(all.slice(from, to));
      // Each item is where its list says.
      for (const { list, item } of page) expect(lists[list]).toContain(item);
    }
  });

  it('keeps the earlier list first among equals', () => {
    const a = [{ k: 1, l: 'a' }];
    const b = [{ k: 1, l: 'b' }];
    expect(
      mergedPage([a, b], (x, y) => x.k - y.k, 0, 2).map(x => x.item.l),
    ).toEqual(['a', 'b']);
  });

  it('is empty past the end, and for no lists', () => {
    expect(mergedPage([[1, 2]], compare, 5, 10)).toEqual([]);
    expect(mergedPage([], compare, 0, 10)).toEqual([]);
  });
});
