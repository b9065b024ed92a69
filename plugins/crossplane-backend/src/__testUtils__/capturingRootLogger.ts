import {
  coreServices,
  createServiceFactory,
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';

/** One line as a log sink would receive it: labels, message and fields. */
function formatLine(
  level: string,
  labels: Record<string, unknown>,
  message: string,
  meta?: Error | Record<string, unknown>,
): string {
  const fields = meta === undefined ? '' : ` ${serialize(meta)}`;
  return `${level} ${JSON.stringify(labels)} ${message}${fields}`;
}

/** Every field of log metadata, errors with their message and stack. */
function serialize(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v) =>
      v instanceof Error
        ? { ...v, name: v.name, message: v.message, stack: v.stack }
        : v,
    );
  } catch {
    return String(value);
  }
}

class CapturingLogger implements RootLoggerService {
  constructor(
    private readonly lines: string[],
    private readonly labels: Record<string, unknown> = {},
  ) {}

  error(message: string, meta?: Error | Record<string, unknown>) {
    this.lines.push(formatLine('error', this.labels, message, meta));
  }
  warn(message: string, meta?: Error | Record<string, unknown>) {
    this.lines.push(formatLine('warn', this.labels, message, meta));
  }
  info(message: string, meta?: Error | Record<string, unknown>) {
    this.lines.push(formatLine('info', this.labels, message, meta));
  }
  debug(message: string, meta?: Error | Record<string, unknown>) {
    this.lines.push(formatLine('debug', this.labels, message, meta));
  }
  child(meta: Record<string, unknown>): LoggerService {
    return new CapturingLogger(this.lines, { ...this.labels, ...meta });
  }
}

/** An audit record as Backstage's default auditor logs it. */
export type CapturedAuditRecord = {
  eventId: string;
  status: string;
  actor?: { actorId?: string };
  meta?: Record<string, unknown>;
  plugin?: string;
  /** The error's message, for failed events. */
  message: string;
};

/** The audit records among captured log lines, in the order logged. */
function auditRecordsOf(lines: string[]): CapturedAuditRecord[] {
  const records: CapturedAuditRecord[] = [];
  for (const line of lines) {
    const match = /^\w+ (\{.*?\}) (\S+)(?: (.*))?$/.exec(line);
    if (!match || !line.includes('"isAuditEvent":true')) continue;
    const labels = JSON.parse(match[1]);
    // Succeeded and initiated events carry the record as the log's
    // fields; failed ones as labels, with the error as the fields.
    const fields = match[3] ? JSON.parse(match[3]) : {};
    const record = fields.eventId ? fields : labels;
    records.push({ ...record, message: fields.message ?? '' });
  }
  return records;
}

/**
 * A root logger that keeps every line of every level, with its fields and
 * the stacks of logged errors, so that a test can search all a backend
 * wrote (e.g. for a secret that must never appear) and read its audit
 * records.
 */
export function capturingRootLogger() {
  const lines: string[] = [];
  return {
    lines,
    auditRecords: () => auditRecordsOf(lines),
    factory: createServiceFactory({
      service: coreServices.rootLogger,
      deps: {},
      factory: () => new CapturingLogger(lines),
    }),
  };
}
