import { ConfigReader } from '@backstage/config';
import { TeamNamespaces } from './teamNamespaces';

const teams = (value: { group: string; namespaces: string[] }[]) =>
  TeamNamespaces.fromConfig(
    new ConfigReader({ platformops: { demoPolicy: { teams: value } } }),
  );

describe('TeamNamespaces', () => {
  it('maps ownership entity refs to the namespaces of their groups', () => {
    const byGroup = teams([
      { group: 'group:team-alpha', namespaces: ['team-alpha'] },
      { group: 'Group:default/Team-Beta', namespaces: ['team-beta'] },
    ]);
    expect(
      byGroup.namespacesOf(['user:default/ann', 'group:default/team-alpha']),
    ).toEqual(['team-alpha']);
    // Refs compare as the catalog writes them: lowercase, namespace filled in.
    expect(byGroup.namespacesOf(['group:default/team-beta'])).toEqual([
      'team-beta',
    ]);
    expect(byGroup.namespacesOf(['user:default/team-alpha'])).toEqual([]);
  });

  it('has no teams without configuration', () => {
    expect(
      TeamNamespaces.fromConfig(new ConfigReader({})).namespacesOf([
        'group:default/team-alpha',
      ]),
    ).toEqual([]);
  });

  it.each([
    [
      { group: 'team-alpha', namespaces: ['a'] },
      /platformops\.demoPolicy\.teams\[0\]\.group must be a group entity ref like group:default\/team-alpha/,
    ],
    [
      { group: 'user:default/ann', namespaces: ['a'] },
      /teams\[0\]\.group must be a group entity ref .*got kind "user"/,
    ],
    [
      { group: 'group:default/a', namespaces: ['Team_A'] },
      /teams\[0\]\.namespaces\[0\] must be a Kubernetes namespace name/,
    ],
  ])('refuses %j naming the field', (team, message) => {
    expect(() => teams([team])).toThrow(message);
  });
});
