/** An object as a request names it; any field may be of the wrong type. */
export type Spelling = Record<string, unknown>;

/** An object's exact identity. */
export interface ObjectName {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Latin letters and the Cyrillic letters that look the same. */
const LOOK_ALIKES: Record<string, string> = {
  a: '\u0430',
  e: '\u0435',
  o: '\u043e',
  c: '\u0441',
  p: '\u0440',
};

/** The first letter of `text` that has a look-alike, replaced by it. */
export function lookAlike(text: string): string {
  const i = [...text].findIndex(ch => LOOK_ALIKES[ch]);
  return i < 0
    ? text
    : text.slice(0, i) + LOOK_ALIKES[text[i]] + text.slice(i + 1);
}

/**
 * Every way a hostile request could spell an object that is not the
 * caller's, to make it pass for one of theirs or for another object:
 * case, padding, trailing dots, look-alike letters, other versions and
 * group spellings (a group that merely starts like the real one), another
 * namespace, and values of the wrong type.
 */
export function hostileSpellings(
  what: string,
  o: ObjectName,
  ownNamespace: string,
): Array<[string, Spelling]> {
  const [group, version] = o.apiVersion.includes('/')
    ? o.apiVersion.split('/')
    : ['', o.apiVersion];
  const withGroup = (g: string) => ({ ...o, apiVersion: `${g}/${version}` });
  return [
    [`${what}, exact`, { ...o }],
    [`${what}, kind lower case`, { ...o, kind: o.kind.toLowerCase() }],
    [`${what}, kind plural`, { ...o, kind: `${o.kind.toLowerCase()}s` }],
    [`${what}, kind padded`, { ...o, kind: ` ${o.kind} ` }],
    [`${what}, kind look-alike`, { ...o, kind: lookAlike(o.kind) }],
    [`${what}, name upper case`, { ...o, name: o.name.toUpperCase() }],
    [`${what}, name trailing dot`, { ...o, name: `${o.name}.` }],
    [`${what}, name look-alike`, { ...o, name: lookAlike(o.name) }],
    [`${what}, name with a NUL`, { ...o, name: `${o.name}\u0000` }],
    [`${what}, group omitted`, { ...o, apiVersion: version }],
    [`${what}, group upper case`, withGroup(group.toUpperCase())],
    [`${what}, group trailing dot`, withGroup(`${group}.`)],
    [`${what}, group lengthened`, withGroup(`${group}.evil.example`)],
    [`${what}, group look-alike`, withGroup(lookAlike(group))],
    [`${what}, other version`, { ...o, apiVersion: `${group}/v1` }],
    [`${what}, in the caller's namespace`, { ...o, namespace: ownNamespace }],
    [
      `${what}, namespace trailing dot`,
      { ...o, namespace: `${o.namespace ?? ownNamespace}.` },
    ],
    [`${what}, name as a list`, { ...o, name: [o.name] }],
    [`${what}, kind as an object`, { ...o, kind: { kind: o.kind } }],
  ];
}
