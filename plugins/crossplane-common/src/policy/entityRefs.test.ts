import { parseFullEntityRef, parseOwnerRef } from './entityRefs';

describe('parseOwnerRef', () => {
  it.each([
    ['group:default/team-a', 'group:default/team-a'],
    ['Group:default/team-a', 'group:default/team-a'],
    ['user:jane.doe', 'user:default/jane.doe'],
    ['group:platform/SRE_team', 'group:platform/SRE_team'],
  ])('normalises %s', (value, ref) => {
    expect(parseOwnerRef(value)).toBe(ref);
  });

  it.each([
    ['', 'must be an entity reference like group:default/team-a (got "")'],
    [42, 'must be an entity reference like group:default/team-a (got number)'],
    ['group:default/team a', '(got "group:default/team a")'],
    ['group:a/b/c', '(got "group:a/b/c")'],
    ['group:default/-a', '(got "group:default/-a")'],
    [`group:default/${'a'.repeat(64)}`, 'must be an entity reference'],
    ['group:default/a\u0000', 'without control characters'],
    ['resource:default/db', 'must be a user or group entity reference'],
  ])('refuses %j, naming the field', (value, message) => {
    expect(() => parseOwnerRef(value, 'parameters.owner')).toThrow(
      /^parameters\.owner: /,
    );
    expect(() => parseOwnerRef(value)).toThrow(message);
  });

  it('cuts long values short in the message', () => {
    expect(() => parseOwnerRef(`group:default/${'a b'.repeat(50)}`)).toThrow(
      /…"\)$/,
    );
  });

  it('takes any kind when none is asked for', () => {
    expect(
      parseFullEntityRef('Template:default/t', 'templateEntityRef', {
        example: 'template:default/t',
      }),
    ).toBe('template:default/t');
  });
});
