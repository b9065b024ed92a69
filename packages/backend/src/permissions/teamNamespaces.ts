import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { dns1123LabelProblem } from '@platformops/plugin-crossplane-common';

/** Where the demo policy reads which team works in which namespaces. */
export const TEAMS_CONFIG_KEY = 'platformops.demoPolicy.teams';

/**
 * The Kubernetes namespaces of each team, by the team's group entity ref
 * (`group:default/team-alpha`); a user acts in the namespaces of every
 * group among their ownership entity refs (the groups the catalog says they
 * are a member of).
 */
export class TeamNamespaces {
  readonly #byGroup: ReadonlyMap<string, readonly string[]>;

  static fromConfig(config: Config): TeamNamespaces {
    const byGroup = new Map<string, string[]>();
    (config.getOptionalConfigArray(TEAMS_CONFIG_KEY) ?? []).forEach(
      (team, index) => {
        const field = `${TEAMS_CONFIG_KEY}[${index}]`;
        const group = parseGroupRef(team.getString('group'), `${field}.group`);
        const namespaces = team.getStringArray('namespaces');
        namespaces.forEach((namespace, i) => {
          const problem = dns1123LabelProblem(namespace);
          if (problem) {
            throw new Error(
              `${field}.namespaces[${i}] must be a Kubernetes namespace name: ${problem}`,
            );
          }
        });
        byGroup.set(group, [...(byGroup.get(group) ?? []), ...namespaces]);
      },
    );
    return new TeamNamespaces(byGroup);
  }

  constructor(byGroup: ReadonlyMap<string, readonly string[]>) {
    this.#byGroup = byGroup;
  }

  /** The namespaces a user with these ownership entity refs works in. */
  namespacesOf(ownershipEntityRefs: readonly string[]): string[] {
    const namespaces = new Set<string>();
    for (const ref of ownershipEntityRefs) {
      for (const namespace of this.#byGroup.get(ref.toLowerCase()) ?? []) {
        namespaces.add(namespace);
      }
    }
    return [...namespaces].sort();
  }
}

/** A group entity ref in the form ownership entity refs have. */
function parseGroupRef(value: string, field: string): string {
  let ref;
  try {
    ref = parseEntityRef(value);
  } catch (error) {
    throw new Error(
      `${field} must be a group entity ref like group:default/team-alpha: ${
        (error as Error).message
      }`,
    );
  }
  if (ref.kind.toLowerCase() !== 'group') {
    throw new Error(
      `${field} must be a group entity ref like group:default/team-alpha (got kind ${JSON.stringify(
        ref.kind,
      )})`,
    );
  }
  return stringifyEntityRef(ref).toLowerCase();
}
