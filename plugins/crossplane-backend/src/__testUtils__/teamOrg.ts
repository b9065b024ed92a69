/**
 * The catalog's users and teams for a suite: each user (by name) with the
 * teams they are a member of. Every team named is a Group, and so is each
 * of `teams` (a team without members, e.g. the one whose objects a user
 * must not reach).
 */
export function teamOrg(
  members: Record<string, string[]>,
  teams: string[] = [],
): object[] {
  const groups = new Set([...teams, ...Object.values(members).flat()]);
  return [
    ...[...groups].map(name => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name },
      spec: { type: 'team', children: [] },
    })),
    ...Object.entries(members).map(([name, memberOf]) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name },
      spec: { memberOf },
    })),
  ];
}
