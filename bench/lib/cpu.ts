import fs from 'node:fs';

/** Clock ticks per second of /proc's utime/stime (USER_HZ; 100 on Linux builds everywhere in practice). */
const TICKS_PER_S = 100;

/** CPU seconds (user + system) a process has used so far, from /proc; 0 when it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return 0;
  }
}

/** The pids whose command line matches `pattern` (e.g. every PostgreSQL backend). */
export function pidsMatching(pattern: RegExp): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (pattern.test(fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' '))) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** CPU seconds used by groups of processes between start() and stop(); pids are looked up at each call. */
export function cpuMeter(groups: Record<string, () => number[]>) {
  const read = () => Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, pids().reduce((sum, pid) => sum + cpuSeconds(pid), 0)]));
  let first: Record<string, number> = {};
  return {
    start: () => {
      first = read();
    },
    /** Seconds per group since start(); processes that exited in between are not counted. */
    stop: (): Record<string, number> => {
      const last = read();
      return Object.fromEntries(Object.keys(groups).map((name) => [name, Math.max(0, last[name] - (first[name] ?? 0))]));
    },
  };
}
