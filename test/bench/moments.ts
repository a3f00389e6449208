// What the "within moments" bench needs beside the end-to-end harness: an Anki seeded with a
// chosen build of the add-on, today's build made once from its commit, and the user's other
// device as one long-lived process that never retries a sync.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ANKI_PY, DRIVER, PASSWORD, ROOT, USER, py, type Anki, type HistoryEntry } from "../e2e/harness";

const OTHER_DEVICE = join(ROOT, "test/bench/other_device.py");

/**
 * Like `Anki.seed`, with the add-on from `addon` (an .ankiaddon file): signed in, managed by
 * the add-on, the driver beside it, the collection downloaded from the server.
 */
export async function seedWith(anki: Anki, addon: string, seed: string[] = []): Promise<void> {
  await py([
    "seed-base",
    "--base",
    anki.base,
    "--profile",
    anki.profile,
    "--endpoint",
    anki.endpoint ?? anki.server.endpoint,
    "--user",
    USER,
    "--driver",
    DRIVER,
    "--addon",
    addon,
    "--managed",
    ...seed,
  ]);
  await py(["download", "--endpoint", anki.server.endpoint, "--user", USER, "--col", anki.collectionPath]);
}

/**
 * The add-on as built from `commit`, made once into .cache/bench/addon-<commit>/ (a detached
 * worktree of that commit, built as `npm run package` does, then removed).
 */
export function buildAt(commit: string): string {
  const full = execFileSync("git", ["rev-parse", commit], { cwd: ROOT, encoding: "utf8" }).trim();
  const dir = join(ROOT, ".cache/bench", `addon-${full.slice(0, 12)}`);
  const out = join(dir, "flipnem-sync.ankiaddon");
  if (existsSync(out)) return out;
  const src = join(ROOT, ".cache/bench", `src-${full.slice(0, 12)}`);
  // what an interrupted build left behind
  try {
    execFileSync("git", ["worktree", "remove", "--force", src], { cwd: ROOT, stdio: "ignore" });
  } catch {
    /* none */
  }
  rmSync(src, { recursive: true, force: true });
  execFileSync("git", ["worktree", "add", "--detach", "--quiet", src, full], { cwd: ROOT, stdio: "inherit" });
  try {
    const sameLock =
      readFileSync(join(src, "package-lock.json"), "utf8") === readFileSync(join(ROOT, "package-lock.json"), "utf8");
    if (sameLock) symlinkSync(join(ROOT, "node_modules"), join(src, "node_modules"));
    else execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: src, stdio: "inherit" });
    // scripts/package.sh's two steps, without its set-up (the node modules are this tree's)
    execFileSync("npx", ["vite", "build", "--logLevel", "warn"], { cwd: src, stdio: "inherit" });
    execFileSync("python3", ["scripts/package.py"], { cwd: src, stdio: "inherit" });
    mkdirSync(dir, { recursive: true });
    cpSync(join(src, "dist/flipnem-sync.ankiaddon"), out);
  } finally {
    execFileSync("git", ["worktree", "remove", "--force", src], { cwd: ROOT });
  }
  return out;
}

/** One sync of the other device, as it reports it (epoch ms). */
export interface DeviceSync {
  outcome: string;
  message: string;
  startedAt: number;
  finishedAt: number;
}

type Reply = Record<string, unknown>;

/** Starts test/bench/other_device.py and waits for its first sync (which is not counted). */
function startDevice(args: string[]): Promise<{ child: ChildProcess; lines: AsyncIterator<string> }> {
  const child = spawn(ANKI_PY, [OTHER_DEVICE, ...args], {
    env: { ...process.env, FLIPNEM_TEST_PASSWORD: PASSWORD },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return (async () => {
    const first = await lines.next();
    if (first.done || !(JSON.parse(first.value) as Reply).ready)
      throw new Error(`the other device did not start: ${stderr}`);
    return { child, lines };
  })();
}

/** The other device, kept open: each command is one line in, one line out. */
export class OtherDevice {
  private constructor(
    private readonly child: ChildProcess,
    private readonly lines: AsyncIterator<string>,
  ) {}

  static async open(col: string, endpoint: string): Promise<OtherDevice> {
    const { child, lines } = await startDevice(["serve", "--col", col, "--endpoint", endpoint, "--user", USER]);
    return new OtherDevice(child, lines);
  }

  private async send(cmd: Reply): Promise<Reply> {
    this.child.stdin!.write(`${JSON.stringify(cmd)}\n`);
    const next = await this.lines.next();
    if (next.done) throw new Error("the other device ended");
    return JSON.parse(next.value) as Reply;
  }

  /** Adds a note and syncs it; the sync as the device saw it. */
  async addNote(front: string): Promise<DeviceSync> {
    return (await this.send({ op: "addNote", front, sync: true })).sync as DeviceSync;
  }

  /** Syncs; what the device then holds. */
  async sync(query = ""): Promise<{ sync: DeviceSync; reviews: number; found?: number }> {
    return (await this.send({ op: "sync", query })) as { sync: DeviceSync; reviews: number; found?: number };
  }

  async close(): Promise<void> {
    this.child.stdin!.end();
    if (this.child.exitCode === null) await new Promise((r) => this.child.once("exit", r));
  }
}

/**
 * The other device syncing on its own clock: a note and a sync every `everyS` seconds (start to
 * start) for `seconds`, never retried. `ready` resolves once its first, uncounted sync is done;
 * `done` with every counted sync.
 */
export function deviceLoop(
  col: string,
  endpoint: string,
  everyS: number,
  seconds: number,
): { ready: Promise<void>; done: Promise<DeviceSync[]> } {
  const started = startDevice([
    "loop",
    "--col",
    col,
    "--endpoint",
    endpoint,
    "--user",
    USER,
    "--every",
    String(everyS),
    "--seconds",
    String(seconds),
  ]);
  const done = started.then(async ({ lines }) => {
    const syncs: DeviceSync[] = [];
    for (let next = await lines.next(); !next.done; next = await lines.next()) {
      const line = JSON.parse(next.value) as Reply;
      if ("outcome" in line) syncs.push(line as unknown as DeviceSync);
    }
    return syncs;
  });
  return { ready: started.then(() => undefined), done };
}

/** When a history entry ended (epoch ms). */
export function finishedAt(e: HistoryEntry): number {
  const at = (e as HistoryEntry & { finishedAt?: number }).finishedAt;
  return at ?? e.startedAt + e.durationMs;
}
