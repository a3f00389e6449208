// npm run bench, "within moments": how soon a change made on one side is on the other with the
// default settings, and what the add-on's checks cost the user's other device, today's build
// beside this tree's. Figures only, each a median with its range over runs; nothing asserts a
// time. Called from scripts/bench.ts; `BENCH_ONLY=moments npm run bench` runs this section alone
// (into test-results/bench-moments.md), and BENCH_MOMENTS=push,return,idle,cost picks its parts.
// Each Anki's server log and the add-on's log are kept in test-results/bench-moments/.
//
// Each Anki runs on a small account of its own (the figures are about when a sync runs, not
// how long a large one takes). Timers run at real speed where a figure is a wait the user
// sees (a push), compressed by the add-on's timer seam (FLIPNEM_TIMER_SCALE) where the
// schedule spans minutes or hours; the syncs themselves always run at real speed.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  ADDON,
  Anki,
  ROOT,
  SyncServer,
  Xvfb,
  freePort,
  seedAccount,
  sleep,
  waitFor,
  waitForHistory,
  type HistoryEntry,
} from "../test/e2e/harness";
import { Proxy } from "../test/e2e/proxy";
import { byPath, median, serverRequests, type ServerRequest } from "../test/bench/measure";
import { OtherDevice, buildAt, deviceLoop, finishedAt, seedWith, type DeviceSync } from "../test/bench/moments";

/** Today's build: the add-on as it was before the work on "within moments". */
const TODAY_COMMIT = process.env.BENCH_TODAY_COMMIT ?? "120093a";
const NOTES = 30;
const MIN = 60_000;
/** Figure 3: two scaled minutes away are 6 s. */
const RETURN_SCALE = 0.05;
/** Figures 4 and 5: an idle hour in 18 s. */
const IDLE_SCALE = 0.005;
/**
 * Figure 6: Anki's checks come 12.5 s apart, more than the other device's 10 s between syncs,
 * so a device sync is seldom hit twice and the count is not cut short: the idle checks' 30
 * minutes (from the fourth check on) in 12.5 s, the returning user's 2.5 minutes in 12.5 s.
 */
const COST_SCALE: Record<CostCase, number> = { idle: 12.5 / 1800, returns: 12.5 / 150, real: 1 };
const DEVICE_EVERY_S = 10;
const DEVICE_DELAY_MS = 500;

interface Plan {
  /** figures 1 to 3 */
  runs: number;
  /** figures 4 and 5 */
  idleRounds: number;
  /** figure 6: runs of each build and case, and the real seconds of each */
  costRuns: number;
  costSeconds: number;
  /** figure 6: today's build idle at real speed, once (0: not run) */
  realSeconds: number;
}

/** BENCH_MOMENTS_PLAN (e.g. `{"runs":3,"idleRounds":3}`) overrides a plan's counts. */
function plan(quick: boolean): Plan {
  const base = quick
    ? { runs: 2, idleRounds: 1, costRuns: 1, costSeconds: 30, realSeconds: 0 }
    : { runs: 5, idleRounds: 3, costRuns: 3, costSeconds: 120, realSeconds: 600 };
  const over = process.env.BENCH_MOMENTS_PLAN;
  return over ? { ...base, ...(JSON.parse(over) as Partial<Plan>) } : base;
}

type Build = "today" | "new";

function addonOf(build: Build): string {
  return build === "new" ? ADDON : buildAt(TODAY_COMMIT);
}

// ---- one Anki on an account of its own ---------------------------------------------------------

interface Session {
  server: SyncServer;
  anki: Anki;
  /** the other device's collection, in step with the server */
  col: string;
  proxy?: Proxy;
}

async function open(xvfb: Xvfb, build: Build, scale: number): Promise<Session> {
  const server = new SyncServer();
  await server.start();
  const col = await seedAccount(server, NOTES);
  const anki = new Anki(server, xvfb);
  await seedWith(anki, addonOf(build));
  await anki.launch(scale === 1 ? {} : { FLIPNEM_TIMER_SCALE: String(scale) });
  await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" }, 90_000);
  await anki.driver("deckBrowser");
  return { server, anki, col };
}

/** Each Anki's server log and the add-on's log stay in test-results/bench-moments/, named by what ran. */
const EVIDENCE = join(ROOT, "test-results/bench-moments");

async function shut(s: Session, name: string): Promise<void> {
  await s.anki.close();
  mkdirSync(EVIDENCE, { recursive: true });
  if (existsSync(s.server.log)) cpSync(s.server.log, join(EVIDENCE, `${name}.server.log`));
  if (existsSync(s.anki.logPath)) cpSync(s.anki.logPath, join(EVIDENCE, `${name}.flipnem-sync.log`));
  rmSync(s.anki.base, { recursive: true, force: true });
  await s.proxy?.stop();
  await s.server.stop();
  rmSync(s.server.dir, { recursive: true, force: true });
}

async function withSession<T>(
  xvfb: Xvfb,
  build: Build,
  scale: number,
  name: string,
  fn: (s: Session) => Promise<T>,
): Promise<T> {
  const s = await open(xvfb, build, scale);
  try {
    return await fn(s);
  } catch (err) {
    await s.anki.keepEvidence(`bench-moments-${name}`);
    throw err;
  } finally {
    await shut(s, name);
  }
}

/** The user's last input: a key through the X server into Anki's window (epoch ms). */
async function input(anki: Anki): Promise<number> {
  const [sent] = await anki.keys(["Shift_L"], 0);
  return sent!;
}

/** The end of the first /sync/finish the server answered after `since`, as ms after `from`. */
function onServerAfter(server: SyncServer, since: number, from: number): number {
  const finish = serverRequests(server.log).find((r) => r.path === "/sync/finish" && r.start >= since);
  return finish ? finish.end - from : NaN;
}

/**
 * Studies the default deck and answers `count` cards from the keyboard (space, 3), then leaves
 * the reviewer with `d`: returns when that last key went (epoch ms), back on the deck list.
 */
async function review(anki: Anki, count: number): Promise<number> {
  await anki.driver("study");
  await waitFor("the reviewer", async () => (await anki.driver<{ cardId: number | null }>("shownCard")).cardId, 15_000);
  await anki.keys(Array.from({ length: count }, () => ["space", "3"]).flat(), 300);
  const [left] = await anki.keys(["d"]);
  await waitFor("the deck list", async () => (await anki.driver<{ state: string }>("state")).state === "deckBrowser");
  return left!;
}

/**
 * Starts looking for a note in Anki now, every `everyMs`, and resolves with when it was first
 * there (epoch ms), or NaN after `timeoutMs`; started before what brings it, so that the
 * looking's own start is not in the figure.
 */
function watchFor(anki: Anki, front: string, timeoutMs: number, everyMs = 25): Promise<number> {
  const query = `"front:${front}"`;
  return waitFor(
    "the note in Anki",
    async () => (await anki.driver<{ count: number }>("findNotes", { query })).count > 0 && Date.now(),
    timeoutMs,
    everyMs,
  ).catch(() => NaN);
}

async function entryAfter(anki: Anki, match: Partial<HistoryEntry>, after: number, timeoutMs: number) {
  return waitForHistory(anki, { kind: "collection", ...match }, timeoutMs, after).catch(() => undefined);
}

// ---- figures 1 and 2: Anki → Flipnem ----------------------------------------------------------

interface Push {
  /** from the last input (1) or from leaving Anki (2) to the history's entry ending */
  historyMs: number;
  /** the same, to the end of the server's /sync/finish */
  serverMs: number;
  trigger: string;
  /** the other device found the reviews on the server afterwards */
  confirmed: boolean;
}

async function pushes(xvfb: Xvfb, build: Build, runs: number): Promise<{ stop: Push[]; leave: Push[] }> {
  return withSession(xvfb, build, 1, `pushes-${build}`, async ({ anki, server, col }) => {
    const device = await OtherDevice.open(col, server.endpoint);
    const out = { stop: [] as Push[], leave: [] as Push[] };
    try {
      let reviews = (await device.sync()).reviews;
      const confirm = async (more: number) => {
        const now = (await device.sync()).reviews;
        const ok = now >= reviews + more;
        reviews = now;
        return ok;
      };
      for (let run = 0; run < runs; run++) {
        // 1: three reviews, `d` to the deck list, then nothing
        const last = await review(anki, 3);
        const stopped = await entryAfter(anki, { outcome: "ok" }, last, 150_000);
        out.stop.push({
          historyMs: stopped ? finishedAt(stopped) - last : NaN,
          serverMs: onServerAfter(server, last, last),
          trigger: stopped?.trigger ?? "none",
          confirmed: await confirm(3),
        });
        // 2: one review, `d` to the deck list, and the user goes to another application
        const left2 = await review(anki, 1);
        const away = await anki.away();
        const pushed = await entryAfter(anki, { outcome: "ok" }, left2, 150_000);
        out.leave.push({
          historyMs: pushed ? finishedAt(pushed) - away : NaN,
          serverMs: onServerAfter(server, left2, away),
          trigger: pushed?.trigger ?? "none",
          confirmed: await confirm(1),
        });
        await anki.back();
      }
    } finally {
      await device.close();
    }
    return out;
  });
}

// ---- figure 3: Flipnem → Anki on return ----------------------------------------------------------

interface Return {
  /** back() to the note found in Anki */
  arrivedMs: number;
  /** back() to the end of the history entry that brought it, and its trigger */
  entryMs: number;
  trigger: string;
  awayScaledMin: number;
}

async function returns(xvfb: Xvfb, build: Build, runs: number): Promise<Return[]> {
  const scale = RETURN_SCALE;
  return withSession(xvfb, build, scale, `returns-${build}`, async ({ anki, server, col }) => {
    const device = await OtherDevice.open(col, server.endpoint);
    const out: Return[] = [];
    try {
      for (let run = 0; run < runs; run++) {
        await input(anki);
        const away = await anki.away();
        await sleep(away + 2.25 * MIN * scale - Date.now());
        const front = `bench return ${run}`;
        const added = await device.addNote(front);
        if (added.outcome !== "ok") throw new Error(`the other device's sync: ${added.outcome} ${added.message}`);
        const arrival = watchFor(anki, front, 30_000);
        const back = await anki.back();
        const arrived = await arrival;
        const entry = Number.isFinite(arrived)
          ? await entryAfter(anki, { outcome: "ok" }, added.finishedAt, 10_000)
          : undefined;
        out.push({
          arrivedMs: arrived - back,
          entryMs: entry ? finishedAt(entry) - back : NaN,
          trigger: entry?.trigger ?? "none",
          awayScaledMin: (back - away) / (MIN * scale),
        });
      }
    } finally {
      await device.close();
    }
    return out;
  });
}

// ---- figures 4 and 5: while nobody touches Anki ------------------------------------------------

interface IdleRound {
  /** /sync/meta in the first scaled idle hour, and in the hour after; every request in each, by path */
  metas: [number, number];
  requests: [Record<string, number>, Record<string, number>];
  /** the note made at idle minute 40: the scaled idle minute it was in Anki */
  arrivedAtMin: number;
  /** scaled minutes from the note on the server to the sync that brought it, and that sync's real ms */
  waitMin: number;
  pullMs: number;
  trigger: string;
}

async function idleChecks(xvfb: Xvfb, build: Build, rounds: number): Promise<IdleRound[]> {
  const scale = IDLE_SCALE;
  const hour = 60 * MIN * scale;
  return withSession(xvfb, build, scale, `idle-${build}`, async ({ anki, server, col }) => {
    const device = await OtherDevice.open(col, server.endpoint);
    const out: IdleRound[] = [];
    try {
      for (let round = 0; round < rounds; round++) {
        // 5: two idle hours with nothing to bring, counted from the first minute after the last
        // input (an input after two minutes without one is a return: its probe is not an idle check)
        const t0 = (await input(anki)) + MIN * scale;
        await sleep(t0 + 2 * hour + 500 - Date.now());
        const hours = [0, 1].map((h) =>
          serverRequests(server.log).filter((r) => r.start >= t0 + h * hour && r.start < t0 + (h + 1) * hour),
        ) as [ServerRequest[], ServerRequest[]];
        const metas = hours.map((rs) => rs.filter((r) => r.path === "/sync/meta").length) as [number, number];
        // 4: a note made elsewhere at idle minute 40
        const t1 = await input(anki);
        await sleep(t1 + 40 * MIN * scale - Date.now());
        const front = `bench idle ${round}`;
        const added = await device.addNote(front);
        if (added.outcome !== "ok") throw new Error(`the other device's sync: ${added.outcome} ${added.message}`);
        const arrived = await watchFor(anki, front, Math.max(5_000, t1 + 160 * MIN * scale - Date.now()), 50);
        const entry = Number.isFinite(arrived)
          ? await entryAfter(anki, { outcome: "ok" }, added.finishedAt, 10_000)
          : undefined;
        out.push({
          metas,
          requests: [byPath(hours[0]), byPath(hours[1])],
          arrivedAtMin: (arrived - t1) / (MIN * scale),
          waitMin: entry ? (entry.startedAt - added.finishedAt) / (MIN * scale) : NaN,
          pullMs: entry ? finishedAt(entry) - entry.startedAt : NaN,
          trigger: entry?.trigger ?? "none",
        });
      }
    } finally {
      await device.close();
    }
    return out;
  });
}

// ---- figure 6: what the checks cost the other device ----------------------------------------------

/** "real": today's build left idle at real speed, where its status check is what a user's Anki sends */
type CostCase = "idle" | "returns" | "real";

interface Cost {
  build: Build;
  case: CostCase;
  scale: number;
  /** the window, in real seconds and in Anki's scaled hours */
  realS: number;
  scaledHours: number;
  deviceSyncs: number;
  conflicts: number;
  otherFailures: number;
  ankiMeta: number;
  ankiStart: number;
  /** Anki's own collection syncs in the window that did not end well */
  ankiFailed: number;
  returns: number;
}

async function cost(xvfb: Xvfb, build: Build, kind: CostCase, seconds: number, run: number): Promise<Cost> {
  const scale = COST_SCALE[kind];
  return withSession(xvfb, build, scale, `cost-${kind}-${build}-${run + 1}`, async (s) => {
    const { anki, server, col } = s;
    // the delay is the other device's alone (a phone on a slow network); Anki talks to the server directly
    const proxy = new Proxy(() => server.port, freePort);
    proxy.delayMs = DEVICE_DELAY_MS;
    await proxy.start();
    s.proxy = proxy;
    await input(anki);
    const loop = deviceLoop(col, proxy.endpoint, DEVICE_EVERY_S, seconds);
    await loop.ready;
    const from = Date.now();
    const fromPaths = proxy.paths.length;
    let cycles = 0;
    if (kind === "returns") {
      const period = 2.5 * MIN * scale;
      while (Date.now() + period < from + seconds * 1000) {
        const started = Date.now();
        await anki.away();
        await sleep(started + 0.9 * period - Date.now());
        await anki.back();
        cycles += 1;
        await sleep(started + period - Date.now());
      }
    }
    const syncs: DeviceSync[] = await loop.done;
    const to = Date.now();
    const device = proxy.paths.slice(fromPaths);
    const all = serverRequests(server.log).filter((r) => r.end >= from && r.end <= to);
    const ankiCount = (path: string) =>
      Math.max(0, all.filter((r) => r.path === path).length - device.filter((p) => p === path).length);
    const history = (await anki.history()).filter(
      (e) => e.kind === "collection" && e.startedAt >= from && e.startedAt <= to && !e.skippedReason,
    );
    return {
      build,
      case: kind,
      scale,
      realS: (to - from) / 1000,
      scaledHours: (to - from) / (60 * MIN * scale),
      deviceSyncs: syncs.length,
      conflicts: syncs.filter((x) => x.outcome === "conflict").length,
      otherFailures: syncs.filter((x) => x.outcome !== "ok" && x.outcome !== "conflict").length,
      ankiMeta: ankiCount("/sync/meta"),
      ankiStart: ankiCount("/sync/start"),
      ankiFailed: history.filter((e) => e.outcome !== "ok").length,
      returns: cycles,
    };
  });
}

// ---- the report --------------------------------------------------------------------------------------

/** A median with its range over the runs: "12.3 s (11.0–13.1 s, 3 runs)". */
function spread(xs: number[], unit: string, digits = 0): string {
  const ok = xs.filter(Number.isFinite);
  const missed = xs.length - ok.length;
  const runs = (n: number) => `${n} run${n === 1 ? "" : "s"}`;
  const tail = missed ? `; ${missed} of ${xs.length} did not arrive` : "";
  if (ok.length === 0) return `— (${runs(xs.length)}${tail})`;
  // milliseconds of ten seconds or more read better as seconds
  const inS = unit === "ms" && median(ok) >= 10_000;
  const f = (x: number) => (inS ? (x / 1000).toFixed(1) : x.toFixed(digits));
  const u = inS ? " s" : unit ? ` ${unit}` : "";
  const lo = Math.min(...ok);
  const hi = Math.max(...ok);
  const range = ok.length > 1 ? `${f(lo)}–${f(hi)}${u}, ` : "";
  return `${f(median(ok))}${u} (${range}${runs(ok.length)}${tail})`;
}

function paths(counts: Record<string, number>): string {
  const all = Object.entries(counts);
  if (all.length === 0) return "none";
  return all.map(([p, n]) => `\`${p}\` ${n}`).join(", ");
}

function tally(xs: string[]): string {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts].map(([k, n]) => `"${k}" ×${n}`).join(", ");
}

function buildName(build: Build): string {
  if (build === "today") return `today's build (${TODAY_COMMIT})`;
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "addon", "web/src"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    return `this tree (${head}${dirty.trim() ? ", with changes" : ""})`;
  } catch {
    return "this tree";
  }
}

/** Figures 1–6, as markdown lines; runs today's build beside this tree's for figure 6. */
export async function withinMoments(xvfb: Xvfb, quick: boolean, log = console.log): Promise<string[]> {
  const p = plan(quick);
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    log(`bench: within moments: ${name}…`);
    const out = await fn();
    log(`bench: within moments: ${name} took ${Math.round((Date.now() - t) / 1000)} s`);
    return out;
  };
  // BENCH_MOMENTS=push,return,idle,cost (the default: all) picks the parts to run
  const parts = new Set((process.env.BENCH_MOMENTS ?? "push,return,idle,cost").split(","));
  rmSync(EVIDENCE, { recursive: true, force: true });
  // today's build is made before anything is timed
  if (parts.has("cost")) addonOf("today");
  const push = parts.has("push")
    ? await step(`pushes, ${p.runs} runs`, () => pushes(xvfb, "new", p.runs))
    : { stop: [], leave: [] };
  const back = parts.has("return") ? await step(`returns, ${p.runs} runs`, () => returns(xvfb, "new", p.runs)) : [];
  const idle = parts.has("idle")
    ? await step(`idle checks, ${p.idleRounds} rounds`, () => idleChecks(xvfb, "new", p.idleRounds))
    : [];
  const costs: Cost[] = [];
  if (parts.has("cost"))
    await step(`the other device's failed syncs, ${p.costRuns} × 4 runs of ${p.costSeconds} s`, async () => {
      for (let run = 0; run < p.costRuns; run++) {
        // each run in another order, so neither build always follows the other
        const builds: Build[] = run % 2 ? ["new", "today"] : ["today", "new"];
        for (const kind of ["idle", "returns"] as const)
          for (const build of builds) costs.push(await cost(xvfb, build, kind, p.costSeconds, run));
      }
    });
  if (parts.has("cost") && p.realSeconds)
    await step(`today's build idle at real speed, ${p.realSeconds} s`, async () => {
      costs.push(await cost(xvfb, "today", "real", p.realSeconds, 0));
    });

  const costRow = (build: Build, kind: CostCase): string => {
    const rows = costs.filter((c) => c.build === build && c.case === kind);
    const sum = (f: (c: Cost) => number) => rows.reduce((a, c) => a + f(c), 0);
    const perHour = rows.map((c) => c.conflicts / c.scaledHours);
    const perCheck = sum((c) => c.ankiMeta) ? (sum((c) => c.conflicts) / sum((c) => c.ankiMeta)).toFixed(2) : "—";
    const hours = sum((c) => c.scaledHours);
    const what = {
      idle: "sits idle",
      returns: `the user returns every 2.5 min (${sum((c) => c.returns)} returns)`,
      real: "sits idle, at real speed",
    }[kind];
    if (rows.length === 0) return `| ${buildName(build)} | ${what} | full run only | | | | | | | |`;
    return `| ${buildName(build)} | ${what} | ×${Number((rows[0]?.scale ?? NaN).toPrecision(3))}: ${sum((c) => c.realS).toFixed(0)} s = ${hours.toFixed(2)} h | ${sum((c) => c.deviceSyncs)} | ${sum((c) => c.conflicts)} | ${sum((c) => c.otherFailures)} | ${sum((c) => c.ankiMeta)} / ${sum((c) => c.ankiStart)} | ${sum((c) => c.ankiFailed)} | ${spread(perHour, "", 1)} | ${perCheck} |`;
  };

  const fig4 = idle.map((r) => r.arrivedAtMin);
  return [
    "## Within moments (issue 25)",
    "",
    `Anki with ${buildName("new")} on an account of its own (${NOTES} notes), the other device a`,
    "pure-anki collection syncing to the same account. Each figure is a median, with its range over",
    "the runs. Real time for the pushes; the add-on's timer seam (FLIPNEM_TIMER_SCALE) compresses the",
    "schedule for the rest, while every sync runs at real speed; scaled minutes are the add-on's.",
    "",
    "| figure | measured | what else was seen |",
    "| --- | ---: | --- |",
    `| 1. Anki → Flipnem after a stop: 3 reviews, then no input at the deck list; last input to the sync's end (history) | ${spread(
      push.stop.map((x) => x.historyMs),
      "ms",
    )} | to the server's \`/sync/finish\`: ${spread(
      push.stop.map((x) => x.serverMs),
      "ms",
    )}; triggers ${tally(push.stop.map((x) => x.trigger))}; the other device then held the reviews in ${push.stop.filter((x) => x.confirmed).length} of ${push.stop.length} |`,
    `| 2. Anki → Flipnem after leaving Anki: a review, then another application takes the focus; leaving to the sync's end (history) | ${spread(
      push.leave.map((x) => x.historyMs),
      "ms",
    )} | to the server's \`/sync/finish\`: ${spread(
      push.leave.map((x) => x.serverMs),
      "ms",
    )}; triggers ${tally(push.leave.map((x) => x.trigger))}; the other device then held the review in ${push.leave.filter((x) => x.confirmed).length} of ${push.leave.length} |`,
    `| 3. Flipnem → Anki on return: a note synced elsewhere while Anki was away (×${RETURN_SCALE}: ${spread(
      back.map((x) => x.awayScaledMin),
      "scaled min",
      1,
    ).replace(/ \(.*/, "")} away); back to the note in Anki | ${spread(
      back.map((x) => x.arrivedMs),
      "ms",
    )} | to the end of the history's entry: ${spread(
      back.map((x) => x.entryMs),
      "ms",
    )}; triggers ${tally(back.map((x) => x.trigger))} |`,
    `| 4. Flipnem → Anki while idle (×${IDLE_SCALE}): a note synced elsewhere at idle minute 40; the idle minute it was in Anki | ${spread(
      fig4,
      "scaled min",
      1,
    )} | waited for a check: ${spread(
      idle.map((x) => x.waitMin),
      "scaled min",
      1,
    )}, then the sync itself ${spread(
      idle.map((x) => x.pullMs),
      "ms",
    )} (real); triggers ${tally(idle.map((x) => x.trigger))}; at ×${IDLE_SCALE} a real second is ${(1 / (60 * IDLE_SCALE)).toFixed(1)} scaled min |`,
    `| 5. \`/sync/meta\` per idle hour (×${IDLE_SCALE}, nothing to bring): first hour | ${spread(
      idle.map((x) => x.metas[0]),
      "",
    )} | every request (the first round, by path): ${paths(idle[0]?.requests[0] ?? {})} |`,
    `| 5. \`/sync/meta\` per idle hour: the hour after | ${spread(
      idle.map((x) => x.metas[1]),
      "",
    )} | every request (the first round, by path): ${paths(idle[0]?.requests[1] ?? {})} |`,
    "",
    `### 6. The other device's failed syncs`,
    "",
    `The other device adds a note and syncs every ${DEVICE_EVERY_S} s (real), never retrying, behind a proxy that`,
    `delays each of its requests by ${DEVICE_DELAY_MS} ms each way; Anki talks to the server directly. Every \`/sync/meta\``,
    "or `/sync/start` of Anki's that lands inside the device's sync makes it fail with \"Only one copy of Anki",
    'can sync to your account at once". Both builds in the same run, in alternating order; counts summed over',
    `${p.costRuns} run${p.costRuns > 1 ? "s" : ""} per row, the per-hour figure a median with its range over the runs.`,
    "",
    '| Anki | while Anki | timer scale: window = scaled hours | device syncs | failed: "only one copy" | failed otherwise | Anki\'s `/sync/meta` / `/sync/start` | Anki\'s own failed syncs | "only one copy" per scaled hour | per Anki `/sync/meta` |',
    "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    costRow("today", "idle"),
    costRow("new", "idle"),
    costRow("today", "returns"),
    costRow("new", "returns"),
    costRow("today", "real"),
    "",
    "Today's build asks Flipnem every 5 minutes through Anki's own status call, which answers from a",
    "cache that lasts 300 real seconds: compressed, it still reaches the server at most every 5 real",
    "minutes, so its compressed rows undercount it, and the last row (today's build idle at real speed,",
    "full run only) is its figure. This tree's checks are probe syncs that no cache answers, so they",
    "compress with the timer scale. A return in today's build is no event: it sends nothing.",
    "The per-`/sync/meta` column (device syncs failed per check that reached the server) does not",
    "depend on the scale.",
    "",
    "The open sync's gap against native Anki is the open-sync row of the first table.",
    "",
  ];
}

/** BENCH_ONLY=moments: this section alone, into test-results/bench-moments.md. */
export async function momentsAlone(quick: boolean): Promise<void> {
  const xvfb = new Xvfb();
  await xvfb.start();
  try {
    const began = Date.now();
    const lines = await withinMoments(xvfb, quick);
    const target = join(ROOT, "test-results/bench-moments.md");
    mkdirSync(join(target, ".."), { recursive: true });
    writeFileSync(target, lines.join("\n"));
    console.log(lines.join("\n"));
    console.log(`bench: wrote ${target} in ${Math.round((Date.now() - began) / 1000)} s`);
  } finally {
    await xvfb.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  momentsAlone(process.env.BENCH_QUICK === "1").catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
