// Benchmarks: Anki with Flipnem Sync against native Anki (same machine, same run, same
// server), printed as figures and ratios. Nothing here asserts a time.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { ADDON, Anki, SyncServer, Xvfb, device, seedAccount, sleep, waitFor } from "../test/e2e/harness";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** Resident memory of a process and all its descendants (QtWebEngine runs in children). */
function treeRssKb(pid: number): number {
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
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      total += Number(m?.[1] ?? 0);
    } catch {
      /* gone */
    }
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

interface Sample {
  startMs: number;
  firstSyncMs: number;
  rssMb: number;
  closeMs: number;
}

async function measure(server: SyncServer, xvfb: Xvfb, withAddon: boolean): Promise<Sample> {
  const anki = new Anki(server, xvfb);
  anki.withDriver = false;
  await anki.seed({ installAddon: withAddon, managed: withAddon });
  const metaBefore = server.requests("/sync/meta");
  const started = Date.now();
  // both paths sync on open; the server sees the check either way
  const firstSync = waitFor("open sync", () => server.requests("/sync/meta") > metaBefore, 90_000, 20).then(
    () => Date.now() - started,
  );
  await anki.launch();
  const startMs = Date.now() - started;
  const firstSyncMs = await firstSync;
  await sleep(3000);
  const rssMb = treeRssKb(anki.child!.pid!) / 1024;
  const closeMs = await anki.close();
  return { startMs, firstSyncMs, rssMb, closeMs };
}

/**
 * Within moments, with the default settings and real time: a review made in Anki until another
 * device sees it on the server, and another device's note until it is in Anki. Native Anki sends
 * neither while it stays open (only at close, or on Sync).
 */
async function propagation(server: SyncServer, xvfb: Xvfb, other: string): Promise<{ reviewS: number; noteS: number }> {
  const anki = new Anki(server, xvfb);
  await anki.seed();
  await anki.launch();
  await waitFor("the open sync", async () => (await anki.history()).some((e) => e.trigger === "open"), 90_000, 250);
  const reviews = async () => (await device(other, server, ["sync"])).reviews as number;
  const before = await reviews();
  await anki.driver("study");
  await waitFor("the reviewer", async () => (await anki.driver("shownCard")).cardId, 10_000);
  await anki.driver("userInput");
  await anki.driver("answerShown", { ease: 3 });
  await anki.driver("deckBrowser");
  await anki.driver("userInput");
  const reviewed = Date.now();
  await waitFor("the review on the server", async () => (await reviews()) > before, 600_000, 1000);
  const reviewS = (Date.now() - reviewed) / 1000;
  const added = Date.now();
  await device(other, server, ["add-note", "--front", "bench: from another device", "--sync"]);
  await waitFor(
    "the note in Anki",
    async () =>
      (await anki.driver<{ count: number }>("findNotes", { query: '"front:bench: from another device"' })).count,
    900_000,
    1000,
  );
  const noteS = (Date.now() - added) / 1000;
  await anki.close();
  return { reviewS, noteS };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const server = new SyncServer();
  const xvfb = new Xvfb();
  await xvfb.start();
  await server.start();
  const other = await seedAccount(server, 200);
  const results: Record<"native" | "addon", Sample[]> = { native: [], addon: [] };
  let moments: { reviewS: number; noteS: number } | undefined;
  try {
    for (let i = 0; i < ROUNDS; i++) {
      results.native.push(await measure(server, xvfb, false));
      results.addon.push(await measure(server, xvfb, true));
    }
    if (process.env.BENCH_PROPAGATION !== "0") moments = await propagation(server, xvfb, other);
  } finally {
    await server.stop();
    await xvfb.stop();
  }
  const rows: Array<[string, keyof Sample, string]> = [
    ["launch to ready", "startMs", "ms"],
    ["launch to first sync request", "firstSyncMs", "ms"],
    ["memory (Anki + web processes)", "rssMb", "MB"],
    ["close (sync included)", "closeMs", "ms"],
  ];
  if (ROUNDS > 0) console.log(`Flipnem Sync vs native Anki, median of ${ROUNDS} rounds each (200-note collection)`);
  for (const [label, key, unit] of ROUNDS > 0 ? rows : []) {
    const n = median(results.native.map((r) => r[key]));
    const a = median(results.addon.map((r) => r[key]));
    console.log(
      `  ${label.padEnd(32)} native ${n.toFixed(0).padStart(6)} ${unit}   add-on ${a.toFixed(0).padStart(6)} ${unit}   ratio ${(a / n).toFixed(2)}`,
    );
  }
  console.log(`  package size ${(statSync(ADDON).size / 1024).toFixed(1)} KiB (dist/flipnem-sync.ankiaddon)`);
  if (moments) {
    console.log("Within moments, default settings, real time (native Anki: only at close or on Sync)");
    console.log(`  a review to the server (from leaving the reviewer)    ${moments.reviewS.toFixed(0)} s`);
    console.log(`  another device's note to Anki (from its sync)        ${moments.noteS.toFixed(0)} s`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
