/*
 * The install steps of the suite's READMEs, read from the READMEs themselves
 * and applied to a created app, so the documentation and the check cannot
 * drift. A step is a fenced block right after a marker comment:
 *
 *   <!-- install-check: shell -->       `yarn ...` lines, run in the app root
 *   <!-- install-check: backend -->     `backend.add(...)` lines for
 *                                       packages/backend/src/index.ts
 *   <!-- install-check: app -->         imports and `features: [...]` for
 *                                       packages/app/src/App.tsx
 *   <!-- install-check: app-config -->  YAML merged into app-config.local.yaml
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const KINDS = ['shell', 'backend', 'app', 'app-config'];
const MARKED_BLOCK =
  /<!--\s*install-check:\s*([\w-]+)\s*-->\s*\n\s*```[\w-]*\n([\s\S]*?)\n\s*```/g;

/** Every marked block of a README, in document order. */
function readSteps(readmePath) {
  const text = fs.readFileSync(readmePath, 'utf8');
  const steps = [];
  for (const [, kind, body] of text.matchAll(MARKED_BLOCK)) {
    if (!KINDS.includes(kind)) {
      throw new Error(`${readmePath}: unknown install-check step '${kind}'`);
    }
    steps.push({ kind, body, source: readmePath });
  }
  return steps;
}

const codeLines = body =>
  body
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('//') && !l.startsWith('#'));

const ADD = /^yarn --cwd (\S+) add (.+)$/;

/**
 * The commands of the shell steps, only Yarn's, as argument lists. The
 * READMEs' `yarn --cwd <dir> add <packages>` lines of one folder are run as
 * one, as each add re-links the whole app.
 */
function shellCommands(steps) {
  const adds = new Map();
  const commands = [];
  for (const step of steps) {
    for (const line of codeLines(step.body)) {
      if (!/^yarn\s/.test(line)) {
        throw new Error(`${step.source}: only yarn commands are run: ${line}`);
      }
      const add = ADD.exec(line);
      if (!add) {
        commands.push(line.split(/\s+/));
      } else if (adds.has(add[1])) {
        adds.get(add[1]).push(...add[2].split(/\s+/));
      } else {
        const command = [
          'yarn',
          '--cwd',
          add[1],
          'add',
          ...add[2].split(/\s+/),
        ];
        adds.set(add[1], command);
        commands.push(command);
      }
    }
  }
  return commands;
}

/** Inserts the step's `backend.add(...)` statements before `backend.start()`. */
function applyBackendStep(appDir, step) {
  const file = path.join(appDir, 'packages/backend/src/index.ts');
  const source = fs.readFileSync(file, 'utf8');
  const statements = step.body.match(/backend\.add\([\s\S]*?\);/g) ?? [];
  if (statements.length === 0) {
    throw new Error(`${step.source}: a backend step without backend.add(...)`);
  }
  const anchor = 'backend.start();';
  if (!source.includes(anchor)) throw new Error(`${file}: no ${anchor}`);
  fs.writeFileSync(
    file,
    source.replace(anchor, `${statements.join('\n')}\n\n${anchor}`),
  );
}

/**
 * Adds the step's imports after the app's last import and the step's
 * `features` entries to the app's `createApp({ features: [...] })`.
 */
function applyAppStep(appDir, step) {
  const file = path.join(appDir, 'packages/app/src/App.tsx');
  let source = fs.readFileSync(file, 'utf8');
  const imports = step.body.match(/^import [\s\S]*?;$/gm) ?? [];
  const features = /features:\s*\[([^\]]*)\]/.exec(step.body)?.[1];
  if (imports.length === 0 || !features) {
    throw new Error(`${step.source}: an app step needs imports and features`);
  }
  const lastImport = [...source.matchAll(/^import [\s\S]*?;$/gm)].pop();
  const at = lastImport ? lastImport.index + lastImport[0].length : 0;
  source = `${source.slice(0, at)}\n${imports.join('\n')}${source.slice(at)}`;
  const added = features
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split(',')
    .map(f => f.trim())
    .filter(f => f && f !== '...');
  const appFeatures = /features:\s*\[([^\]]*)\]/.exec(source);
  if (!appFeatures) throw new Error(`${file}: no createApp features list`);
  const merged = [
    ...appFeatures[1]
      .split(',')
      .map(f => f.trim())
      .filter(Boolean),
    ...added,
  ];
  source = source.replace(appFeatures[0], `features: [${merged.join(', ')}]`);
  fs.writeFileSync(file, source);
}

const isObject = v => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Merges like Backstage's config loading: objects deep, the rest replaced. */
function mergeConfig(base, extra) {
  if (!isObject(base) || !isObject(extra)) return extra;
  const out = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    out[key] = key in out ? mergeConfig(out[key], value) : value;
  }
  return out;
}

module.exports = {
  readSteps,
  shellCommands,
  applyBackendStep,
  applyAppStep,
  mergeConfig,
};
