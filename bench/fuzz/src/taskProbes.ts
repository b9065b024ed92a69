/*
 * Real scaffolder tasks (not dry runs) of a template of its own: render into
 * the workspace, then wait for a real claim, with one form value made odd.
 * Neither step writes to the cluster. The task's log is what a user sees of a
 * failed run, so it is searched like any response.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { sleep } from '../../src/measure';
import { Outcome, Probe } from './findings';
import { caseVariants, nearMiss, ODD_STRINGS } from './oddValues';
import { Random } from './random';

export const TASK_TEMPLATE = 'platformops-fuzz-task';
const TASK_TIMEOUT_MS = 60_000;

export interface TaskProbe extends Probe {
  values: Record<string, string>;
}

/** The template's form values and the step inputs they fill. */
const BASE_VALUES: Record<string, string> = {
  xrd: 'xobjectbuckets.storage.platformops.io',
  name: 'fuzz-task-bucket',
  namespace: 'team-alpha',
  region: 'eu-west-1',
  storageClass: 'STANDARD',
  layout: '{cluster}/{namespace}/{kind}/{name}.yaml',
  waitApiVersion: 'database.platformops.io/v1alpha1',
  waitKind: 'PostgreSQLInstance',
  waitName: 'payments-db',
  waitNamespace: 'team-alpha',
};

/** Writes the template (render into the workspace, then wait) and returns its path. */
export function writeTaskTemplate(dir: string, cluster: string): string {
  const file = path.join(dir, 'fuzz-task-template.yaml');
  const p = (name: string) => `\${{ parameters.${name} }}`;
  fs.writeFileSync(
    file,
    yaml.stringify({
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: { name: TASK_TEMPLATE, title: 'PlatformOps fuzz task' },
      spec: {
        owner: 'group:default/platform-team',
        type: 'fuzz',
        // No constraints: every value reaches the steps.
        parameters: [{ properties: {} }],
        steps: [
          {
            id: 'render',
            name: 'Render',
            action: 'crossplane:render',
            input: {
              cluster,
              xrd: p('xrd'),
              name: p('name'),
              namespace: p('namespace'),
              values: {
                parameters: {
                  region: p('region'),
                  storageClass: p('storageClass'),
                },
              },
              writeToWorkspace: true,
              layout: p('layout'),
            },
          },
          {
            id: 'wait',
            name: 'Wait',
            action: 'crossplane:wait',
            input: {
              cluster,
              apiVersion: p('waitApiVersion'),
              kind: p('waitKind'),
              name: p('waitName'),
              namespace: p('waitNamespace'),
              timeoutSeconds: 2,
            },
          },
        ],
      },
    }),
  );
  return file;
}

/** A task the template should complete: its form values as they are. */
export function wellFormedTask(): TaskProbe {
  return {
    route: 'task',
    description: 'well-formed',
    mutated: [],
    sent: Object.values(BASE_VALUES),
    values: { ...BASE_VALUES },
  };
}

export function taskProbes(count: number, random: Random): TaskProbe[] {
  const probes: TaskProbe[] = [];
  const fields = Object.keys(BASE_VALUES);
  for (let i = 0; i < count; i++) {
    const values = { ...BASE_VALUES };
    const field = random.pick(fields);
    const real = values[field];
    const op = random.weighted([
      [60, 'odd'],
      [15, 'case'],
      [15, 'nearMiss'],
      [10, 'missing'],
    ] as const);
    let description: string;
    if (op === 'missing') {
      delete values[field];
      description = `${field} missing`;
    } else if (op === 'odd') {
      const o = random.pick(ODD_STRINGS);
      values[field] = o.value;
      description = `${field} = ${o.label}`;
    } else {
      const variants =
        op === 'case' ? caseVariants(real) : [nearMiss(real, random)];
      values[field] = variants.length ? random.pick(variants) : '';
      description = `${field} = ${JSON.stringify(
        values[field],
      )} (real: ${real})`;
    }
    probes.push({
      route: 'task render+wait',
      description,
      mutated: [field],
      sent: Object.values(values),
      values,
    });
  }
  return probes;
}

/**
 * Runs a task to its end and returns its events (the log a user sees) as
 * the response, and how the task ended.
 */
export async function runTask(
  baseUrl: string,
  token: string,
  probe: TaskProbe,
): Promise<{ outcome: Outcome; taskStatus: string }> {
  const headers = {
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
  };
  const start = performance.now();
  const failed = (failure: string) => ({
    outcome: { status: 0, text: '', ms: performance.now() - start, failure },
    taskStatus: 'not run',
  });
  try {
    const created = await fetch(`${baseUrl}/api/scaffolder/v2/tasks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        templateRef: `template:default/${TASK_TEMPLATE}`,
        values: probe.values,
      }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await created.text();
    if (created.status !== 201) {
      return {
        outcome: {
          status: created.status,
          text,
          ms: performance.now() - start,
        },
        taskStatus: 'refused',
      };
    }
    const { id } = JSON.parse(text);
    let taskStatus = 'open';
    const deadline = Date.now() + TASK_TIMEOUT_MS;
    while (!['completed', 'failed', 'cancelled'].includes(taskStatus)) {
      if (Date.now() > deadline) {
        taskStatus = 'timed out';
        break;
      }
      await sleep(200);
      const task = await fetch(`${baseUrl}/api/scaffolder/v2/tasks/${id}`, {
        headers,
      });
      taskStatus = (await task.json()).status;
    }
    const events = await fetch(
      `${baseUrl}/api/scaffolder/v2/tasks/${id}/events`,
      { headers, signal: AbortSignal.timeout(30_000) },
    );
    return {
      outcome: {
        status: events.status,
        text: await events.text(),
        ms: performance.now() - start,
      },
      taskStatus,
    };
  } catch (error) {
    return failed(String(error));
  }
}

/** The first lines of a task's failed-step messages, for the request log. */
export function failedStepLines(eventsText: string): string {
  try {
    const events: { body?: { status?: string; message?: string } }[] =
      JSON.parse(eventsText);
    return events
      .filter(e => e.body?.status === 'failed')
      .map(e => (e.body?.message ?? '').split('\n')[0])
      .join(' | ');
  } catch {
    return eventsText;
  }
}
