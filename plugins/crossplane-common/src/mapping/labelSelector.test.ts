import { matchesLabelSelector, parseLabelSelector } from './labelSelector';

describe('label selectors', () => {
  it('parses and matches equality-based requirements', () => {
    const selector = parseLabelSelector(
      'team=alpha, tier!=dev,platformops.io/ingest,!legacy',
    );
    expect(selector).toEqual([
      { key: 'team', op: '=', value: 'alpha' },
      { key: 'tier', op: '!=', value: 'dev' },
      { key: 'platformops.io/ingest', op: 'exists' },
      { key: 'legacy', op: '!exists' },
    ]);
    expect(
      matchesLabelSelector(
        { team: 'alpha', 'platformops.io/ingest': 'yes' },
        selector,
      ),
    ).toBe(true);
    expect(
      matchesLabelSelector(
        { team: 'alpha', tier: 'dev', 'platformops.io/ingest': '' },
        selector,
      ),
    ).toBe(false);
    expect(
      matchesLabelSelector(
        { team: 'beta', 'platformops.io/ingest': '' },
        selector,
      ),
    ).toBe(false);
    expect(
      matchesLabelSelector(
        { team: 'alpha', 'platformops.io/ingest': '', legacy: 'x' },
        selector,
      ),
    ).toBe(false);
  });

  it('matches everything when empty', () => {
    expect(matchesLabelSelector(undefined, parseLabelSelector(''))).toBe(true);
  });

  it('refuses set-based and malformed requirements with the reason', () => {
    expect(() => parseLabelSelector('env in (a,b)')).toThrow(
      'set-based requirement',
    );
    expect(() => parseLabelSelector('=x')).toThrow(
      '"=x" is not a valid requirement',
    );
  });
});
