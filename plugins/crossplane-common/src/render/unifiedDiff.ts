/** Beyond this many lines a side, changed blocks are not aligned line by line. */
const MAX_ALIGNED_LINES = 2000;

type Op = { type: ' ' | '-' | '+'; line: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The edit script of two line lists, by longest common subsequence. */
function editScript(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head: Op[] = a.slice(0, start).map(line => ({ type: ' ', line }));
  const tail: Op[] = a.slice(endA).map(line => ({ type: ' ', line }));
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  const middle: Op[] = [];
  if (x.length > MAX_ALIGNED_LINES || y.length > MAX_ALIGNED_LINES) {
    x.forEach(line => middle.push({ type: '-', line }));
    y.forEach(line => middle.push({ type: '+', line }));
  } else {
    // lcs[i][j]: length of the common subsequence of x[i..] and y[j..].
    const lcs = Array.from({ length: x.length + 1 }, () =>
      new Array<number>(y.length + 1).fill(0),
    );
    for (let i = x.length - 1; i >= 0; i--) {
      for (let j = y.length - 1; j >= 0; j--) {
        lcs[i][j] =
          x[i] === y[j]
            ? lcs[i + 1][j + 1] + 1
            : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i] === y[j]) {
        middle.push({ type: ' ', line: x[i++] });
        j++;
      } else if (
        j < y.length &&
        (i >= x.length || lcs[i][j + 1] > lcs[i + 1][j])
      ) {
        middle.push({ type: '+', line: y[j++] });
      } else {
        middle.push({ type: '-', line: x[i++] });
      }
    }
  }
  return [...head, ...middle, ...tail];
}

function range(start: number, count: number): string {
  // A hunk with no lines on a side names the line before it.
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}

/**
 * A unified diff (as `diff -u` writes it) of two texts, with `context`
 * unchanged lines around each change; empty when they are equal.
 *
 * @public
 */
export function unifiedDiff(
  before: string,
  after: string,
  options: { from?: string; to?: string; context?: number } = {},
): string {
  if (before === after) return '';
  const context = options.context ?? 3;
  const ops = editScript(splitLines(before), splitLines(after));
  const changed = ops
    .map((op, index) => (op.type === ' ' ? -1 : index))
    .filter(index => index >= 0);
  if (changed.length === 0) return '';

  // Groups of changes whose context overlaps make one hunk.
  const hunks: { from: number; to: number }[] = [];
  for (const index of changed) {
    const from = Math.max(0, index - context);
    const to = Math.min(ops.length, index + context + 1);
    const last = hunks[hunks.length - 1];
    if (last && from <= last.to) last.to = to;
    else hunks.push({ from, to });
  }

  const out = [
    `--- ${options.from ?? 'before'}`,
    `+++ ${options.to ?? 'after'}`,
  ];
  // Line numbers of each op on both sides.
  let lineA = 1;
  let lineB = 1;
  const numbers = ops.map(op => {
    const at = { a: lineA, b: lineB };
    if (op.type !== '+') lineA++;
    if (op.type !== '-') lineB++;
    return at;
  });
  for (const hunk of hunks) {
    const slice = ops.slice(hunk.from, hunk.to);
    const countA = slice.filter(op => op.type !== '+').length;
    const countB = slice.filter(op => op.type !== '-').length;
    const { a, b } = numbers[hunk.from];
    out.push(`@@ -${range(a, countA)} +${range(b, countB)} @@`);
    slice.forEach(op => out.push(`${op.type}${op.line}`));
  }
  return `${out.join('\n')}\n`;
}
