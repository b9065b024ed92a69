import * as fs from 'node:fs';

/** TCP state ESTABLISHED in /proc/net/tcp. */
const ESTABLISHED = '01';

/**
 * TCP connections this process holds open to a port (any address): its own
 * sockets only (by inode), from /proc, so connections of other processes to
 * the same server are not counted. Linux only.
 *
 * @public
 */
export function connectionsToPort(port: number): number {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match) inodes.add(match[1]);
    } catch {
      // closed meanwhile
    }
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let count = 0;
  for (const table of ['/proc/self/net/tcp', '/proc/self/net/tcp6']) {
    if (!fs.existsSync(table)) continue;
    const lines = fs.readFileSync(table, 'utf8').split('\n').slice(1);
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const [, , remote, state] = fields;
      if (
        state === ESTABLISHED &&
        remote.endsWith(`:${hexPort}`) &&
        inodes.has(fields[9])
      )
        count += 1;
    }
  }
  return count;
}

/**
 * File descriptors this process holds open. Linux only.
 *
 * @public
 */
export function openFileDescriptors(): number {
  return fs.readdirSync('/proc/self/fd').length;
}
