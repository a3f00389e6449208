// What the benchmark reads: a process tree's memory and CPU from /proc, the sync server's own
// request log, and the bench heartbeat add-on's log of main-thread gaps and close steps.
import { existsSync, readFileSync, readdirSync } from "node:fs";

const TICKS_PER_SECOND = 100; // Linux USER_HZ

function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      /* gone */
    }
  }
  const all: number[] = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    all.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return all;
}

function memoryKb(pid: number, file: "status" | "smaps_rollup", field: "VmRSS" | "Pss"): number {
  try {
    const text = readFileSync(`/proc/${pid}/${file}`, "utf8");
    return Number(new RegExp(`^${field}:\\s+(\\d+)`, "m").exec(text)?.[1] ?? 0);
  } catch {
    return 0; // gone
  }
}

/** Resident memory of a process and all its descendants (QtWebEngine runs in children), in MB. */
export function treeRssMb(pid: number): number {
  return descendants(pid).reduce((kb, p) => kb + memoryKb(p, "status", "VmRSS"), 0) / 1024;
}

/**
 * Proportional memory (PSS) of the tree, in MB: pages shared between Anki's processes count
 * once in all, where summed RSS counts them in each process.
 */
export function treePssMb(pid: number): number {
  return descendants(pid).reduce((kb, p) => kb + memoryKb(p, "smaps_rollup", "Pss"), 0) / 1024;
}

/**
 * PSS of a process tree split into named groups of its processes, in MB; what no group names
 * (Chromium's GPU, zygote and utility processes) is `other`.
 */
export function pssByGroupMb(pid: number, groups: Record<string, number[]>): Record<string, number> {
  const out: Record<string, number> = {};
  const named = new Set(Object.values(groups).flat());
  for (const [name, pids] of Object.entries(groups)) {
    out[name] = pids.reduce((kb, p) => kb + memoryKb(p, "smaps_rollup", "Pss"), 0) / 1024;
  }
  const rest = descendants(pid).filter((p) => !named.has(p));
  out.other = rest.reduce((kb, p) => kb + memoryKb(p, "smaps_rollup", "Pss"), 0) / 1024;
  return out;
}

/** The main process's own resident memory, in MB (Python, Qt and Anki's backend). */
export function mainRssMb(pid: number): number {
  return memoryKb(pid, "status", "VmRSS") / 1024;
}

/** CPU seconds (user + system) used so far by a process and its living descendants. */
export function treeCpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of descendants(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* gone */
    }
  }
  return ticks / TICKS_PER_SECOND;
}

export interface ServerRequest {
  path: string;
  start: number;
  end: number;
}

/** Every finished request in a sync server's log, with its span (epoch ms). */
export function serverRequests(log: string): ServerRequest[] {
  if (!existsSync(log)) return [];
  // eslint-disable-next-line no-control-regex
  const text = readFileSync(log, "utf8").replace(/\x1b\[[0-9;]*m/g, "");
  const line = /^(\S+)\s+INFO request\{uri="([^"]+)"[^}]*\}: finished elap_ms=(\d+)/;
  const out: ServerRequest[] = [];
  for (const l of text.split("\n")) {
    const m = line.exec(l);
    if (!m) continue;
    const end = Date.parse(m[1]!);
    out.push({ path: m[2]!, start: end - Number(m[3]), end });
  }
  return out;
}

export function byPath(requests: ServerRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) counts[r.path] = (counts[r.path] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** The span from the first to the last request among those matched, or 0 without any. */
export function span(requests: ServerRequest[]): number {
  if (requests.length === 0) return 0;
  return Math.max(...requests.map((r) => r.end)) - Math.min(...requests.map((r) => r.start));
}

export interface BenchLine {
  t: number;
  kind: "gap" | "step";
  ms?: number;
  step?: string;
}

export function benchLog(path: string): BenchLine[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as BenchLine);
}

/** The longest time Anki's main thread went without its 10 ms timer, within [from, to]. */
export function longestGap(lines: BenchLine[], from: number, to: number): number {
  let longest = 0;
  for (const l of lines) {
    if (l.kind !== "gap" || l.ms === undefined) continue;
    const start = l.t - l.ms;
    if (l.t >= from && start <= to) longest = Math.max(longest, l.ms);
  }
  return longest;
}

/** When each close step happened, in ms after `from`. */
export function steps(lines: BenchLine[], from: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines) if (l.kind === "step" && l.t >= from && l.step) out[l.step] ??= l.t - from;
  return out;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
