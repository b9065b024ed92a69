import { unifiedDiff } from './unifiedDiff';

describe('unifiedDiff', () => {
  it('is empty when nothing changes', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n')).toBe('');
  });

  it('writes one hunk with three lines of context, as diff -u does', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', ''].join('\n');
    const after = ['a', 'b', 'c', 'd', 'E', 'f', 'g', 'h', ''].join('\n');
    expect(unifiedDiff(before, after, { from: 'live', to: 'edited' })).toBe(
      [
        '--- live',
        '+++ edited',
        '@@ -2,7 +2,7 @@',
        ' b',
        ' c',
        ' d',
        '-e',
        '+E',
        ' f',
        ' g',
        ' h',
        '',
      ].join('\n'),
    );
  });

  it('splits changes far apart into hunks, and counts added and removed lines', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const after = [...lines];
    after.splice(1, 1);
    after.push('line 20');
    const diff = unifiedDiff(`${lines.join('\n')}\n`, `${after.join('\n')}\n`);
    expect(diff.match(/^@@.*@@$/gm)).toEqual([
      '@@ -1,5 +1,4 @@',
      '@@ -18,3 +17,4 @@',
    ]);
    expect(diff).toContain('\n-line 1\n');
    expect(diff).toContain('\n+line 20\n');
  });

  it('diffs from and to nothing', () => {
    expect(unifiedDiff('', 'a\n')).toBe(
      '--- before\n+++ after\n@@ -0,0 +1 @@\n+a\n',
    );
    expect(unifiedDiff('a\n', '')).toBe(
      '--- before\n+++ after\n@@ -1 +0,0 @@\n-a\n',
    );
  });
});
