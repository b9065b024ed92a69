import { filePathProblem, parseGitRepository } from './gitRepository';

describe('parseGitRepository', () => {
  it('reads the repository picker form and web URLs', () => {
    expect(parseGitRepository('github.com?owner=acme&repo=infra')).toEqual({
      host: 'github.com',
      owner: 'acme',
      repo: 'infra',
    });
    expect(parseGitRepository('127.0.0.1:3310?repo=gitops&owner=team')).toEqual(
      { host: '127.0.0.1:3310', owner: 'team', repo: 'gitops' },
    );
    expect(
      parseGitRepository('https://Git.Example.com/acme/infra.git'),
    ).toEqual({ host: 'git.example.com', owner: 'acme', repo: 'infra' });
    expect(parseGitRepository('http://127.0.0.1:3310/acme/infra/')).toEqual({
      host: '127.0.0.1:3310',
      owner: 'acme',
      repo: 'infra',
    });
  });

  it.each([
    'acme/infra',
    'https://github.com/acme',
    'https://github.com/acme/infra/tree/main',
    'https://user:secret@github.com/acme/infra',
    'https://github.com/acme/infra?x=1',
    'github.com?owner=acme',
    'github.com?owner=..&repo=infra',
    'github.com?owner=acme&repo=in/fra',
    'git@github.com:acme/infra.git',
    'evil.com/x?owner=acme&repo=infra',
  ])('never guesses a repository from %s', value => {
    expect(parseGitRepository(value)).toBeUndefined();
  });
});

describe('filePathProblem', () => {
  it('accepts a relative YAML path inside the repository', () => {
    expect(filePathProblem('clusters/itest/team-a/db.yaml')).toBeUndefined();
    expect(filePathProblem('db.yml')).toBeUndefined();
  });

  it.each([
    ['../outside.yaml', /"\.\."/],
    ['clusters/../../x.yaml', /"\.\."/],
    ['/etc/x.yaml', /relative/],
    ['clusters//x.yaml', /empty/],
    ['./x.yaml', /"\."/],
    ['clusters\\x.yaml', /backslash/],
    ['clusters/x\n.yaml', /control/],
    ['clusters/x.json', /\.yaml/],
    ['', /1 to 1024/],
  ])('refuses %s', (path, reason) => {
    expect(filePathProblem(path)).toMatch(reason);
  });
});
