// npm run bench: Anki with Flipnem Sync against native Anki on a large collection, in the same
// run, against the same kind of server. Every figure is a median over rounds, printed with its
// ratio to native and with a native-against-native (A/A) row that shows this machine's noise.
// Nothing here asserts a time. Writes bench/results.md and, in a full run, README's figures.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import {
  ADDON,
  Anki,
  ROOT,
  SyncServer,
  USER,
  Xvfb,
  device,
  py,
  runPy,
  seedAccount,
  sleep,
  waitFor,
} from "../test/e2e/harness";
import {
  benchLog,
  byPath,
  longestGap,
  median,
  serverRequests,
  span,
  steps,
  mainRssMb,
  pssByGroupMb,
  treeCpuSeconds,
  treePssMb,
  treeRssMb,
  type ServerRequest,
} from "../test/bench/measure";
import { momentsAlone, withinMoments } from "./bench-moments";

const QUICK = process.env.BENCH_QUICK === "1";
const SIZE = QUICK ? { notes: 2_000, media: 200 } : { notes: 20_000, media: 2_000 };
const MEDIA_BYTES = 52_429; // 2,000 files make 100 MB
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 3 : 7));
const UPLOAD_ROUNDS = QUICK ? 1 : 3;
const STALL_ROUNDS = QUICK ? 1 : 2;
const INPUT_ROUNDS = QUICK ? 1 : 3;
const INPUT_EVENTS = 10_000;
const IDLE_MINUTES = Number(process.env.BENCH_IDLE_MINUTES ?? (QUICK ? 1 : 5));
// the long session: this many hours of schedule, compressed by the add-on's timer seam
const LONG_HOURS = QUICK ? 6 : 24;
const LONG_REAL_MINUTES = QUICK ? 1.5 : 8;
const PROPAGATION = !QUICK && process.env.BENCH_PROPAGATION !== "0";

const CACHE = join(ROOT, ".cache/bench", `${SIZE.notes}n-${SIZE.media}m-v1`);
const HEARTBEAT_ADDON = join(ROOT, "test/bench/heartbeat_addon");
const RESULTS = join(ROOT, "bench/results.md");

type Arm = "native" | "native2" | "addon";
const ARMS: Arm[] = ["native", "native2", "addon"];

interface Cached {
  /** server data holding the collection, without its files */
  serverCol: string;
  /** server data holding the collection and its files */
  serverAll: string;
  /** the profile's side of serverCol: the collection and its files, never synced */
  profileFresh: string;
  /** the profile's side of serverAll */
  profileSynced: string;
  madeIn?: number;
}

function copyCollection(from: string, to: string, withMediaDb: boolean): void {
  mkdirSync(to, { recursive: true });
  cpSync(join(from, "collection.anki2"), join(to, "collection.anki2"));
  cpSync(join(from, "collection.media"), join(to, "collection.media"), { recursive: true });
  if (withMediaDb) cpSync(join(from, "collection.media.db2"), join(to, "collection.media.db2"));
}

/** The large collection on a server and in a profile, made once and kept in .cache (not committed). */
export async function prepare(): Promise<Cached> {
  const cached: Cached = {
    serverCol: join(CACHE, "server-collection"),
    serverAll: join(CACHE, "server-all"),
    profileFresh: join(CACHE, "profile-fresh"),
    profileSynced: join(CACHE, "profile-synced"),
  };
  if (existsSync(join(CACHE, "ready"))) return cached;
  const started = Date.now();
  rmSync(CACHE, { recursive: true, force: true });
  const dev = join(CACHE, "device");
  const col = join(dev, "collection.anki2");
  const script = join(ROOT, "test/bench/collection.py");
  await runPy(script, [
    "make",
    "--col",
    col,
    "--notes",
    String(SIZE.notes),
    "--media",
    String(SIZE.media),
    "--media-bytes",
    String(MEDIA_BYTES),
  ]);
  mkdirSync(join(CACHE, "work-server"), { recursive: true });
  const server = new SyncServer(join(CACHE, "work-server"));
  await server.start();
  try {
    await runPy(script, ["upload", "--col", col, "--endpoint", server.endpoint, "--user", USER]);
    await server.stop();
    cpSync(join(server.dir, "data"), cached.serverCol, { recursive: true });
    copyCollection(dev, cached.profileFresh, false);
    await server.start();
    await device(col, server, ["sync", "--media"]);
  } finally {
    await server.stop();
  }
  cpSync(join(server.dir, "data"), cached.serverAll, { recursive: true });
  copyCollection(dev, cached.profileSynced, true);
  rmSync(server.dir, { recursive: true, force: true });
  writeFileSync(join(CACHE, "ready"), new Date().toISOString());
  cached.madeIn = Date.now() - started;
  return cached;
}

/** A fresh server holding a snapshot; removed with `done`. */
export async function serverFrom(snapshot: string): Promise<SyncServer> {
  const server = new SyncServer();
  cpSync(snapshot, join(server.dir, "data"), { recursive: true });
  await server.start();
  return server;
}

async function done(server: SyncServer, anki?: Anki): Promise<void> {
  if (anki) {
    await anki.close();
    rmSync(anki.base, { recursive: true, force: true });
  }
  await server.stop();
  rmSync(server.dir, { recursive: true, force: true });
}

interface Setup {
  driver?: boolean;
  seed?: string[];
}

/** An Anki on the profile's copy: the add-on installed and signed in, or native Anki signed in to the same server. */
export async function ankiFor(
  server: SyncServer,
  xvfb: Xvfb,
  arm: Arm,
  collection: string | undefined,
  setup: Setup = {},
): Promise<Anki> {
  const anki = new Anki(server, xvfb);
  anki.withDriver = setup.driver ?? false;
  const addon = arm === "addon";
  await anki.seed({ installAddon: addon, managed: addon, collectionFrom: collection, seed: setup.seed });
  cpSync(HEARTBEAT_ADDON, join(anki.base, "addons21/000_flipnem_bench_heartbeat"), { recursive: true });
  return anki;
}

function logOf(anki: Anki): string {
  return join(anki.base, "bench.jsonl");
}

/** Until the server has seen a request since `since` and none for `quietMs`. */
async function settled(server: SyncServer, since: number, quietMs = 2500, timeoutMs = 600_000): Promise<void> {
  await waitFor(
    "the syncs to settle",
    () => {
      const seen = serverRequests(server.log).filter((r) => r.end >= since);
      return seen.length > 0 && Date.now() - Math.max(...seen.map((r) => r.end)) >= quietMs;
    },
    timeoutMs,
    200,
  );
}

function requestsSince(server: SyncServer, from: number, to = Infinity): ServerRequest[] {
  return serverRequests(server.log).filter((r) => r.start >= from - 20 && r.start <= to);
}

/** The add-on's own log ("" in native Anki). */
function addonLog(anki: Anki): string {
  const log = anki.logPath;
  return existsSync(log) ? readFileSync(log, "utf8") : "";
}

/** The add-on's own record of its part of a close (its log), as ms after `from`. */
function addonCloseSteps(anki: Anki, from: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of addonLog(anki).split("\n")) {
    const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),(\d{3}) INFO (close requested|close continues)/.exec(line);
    if (!m) continue;
    const t = new Date(`${m[1]}T${m[2]}.${m[3]}`).getTime();
    if (t >= from) out[`add-on: ${m[4]}`] ??= t - from;
  }
  return out;
}

/** How long the add-on took to import and set itself up, as its log says (0 without it). */
function addonStartMs(anki: Anki): number {
  const m = / INFO Flipnem Sync \S* ?loaded in (\d+) ms/.exec(addonLog(anki));
  return m ? Number(m[1]) : 0;
}

// ---- phases ----------------------------------------------------------------------------------

interface Cycle {
  launchMs: number;
  addonStartMs: number;
  openSyncMs: number;
  closeMs: number;
  rssMb: number;
  pssMb: number;
  openStallMs: number;
  closeStallMs: number;
  openRequests: Record<string, number>;
  closeRequests: Record<string, number>;
  closeSteps: Record<string, number>;
}

/** Launch, the open sync, a moment, the close with its sync, on a collection equal to the server's. */
export async function cycle(xvfb: Xvfb, arm: Arm, cached: Cached, change: boolean): Promise<Cycle> {
  const server = await serverFrom(cached.serverAll);
  const anki = await ankiFor(server, xvfb, arm, cached.profileSynced);
  try {
    if (change)
      await py(["add-note", "--endpoint", server.endpoint, "--col", anki.collectionPath, "--front", "one change"]);
    const t0 = Date.now();
    await anki.launch({ FLIPNEM_BENCH_LOG: logOf(anki) });
    const launchMs = Date.now() - t0;
    await settled(server, t0);
    await sleep(1000);
    const open = requestsSince(server, t0);
    const rssMb = treeRssMb(anki.child!.pid!);
    const pssMb = treePssMb(anki.child!.pid!);
    const tClose = Date.now();
    const closeMs = await anki.close();
    const lines = benchLog(logOf(anki));
    // from the profile opening (Anki's hook) to the last answer of its sync, media included
    const opened = t0 + (steps(lines, t0).profileOpened ?? 0);
    return {
      launchMs,
      addonStartMs: addonStartMs(anki),
      openSyncMs: open.length ? Math.max(...open.map((r) => r.end)) - opened : 0,
      closeMs,
      rssMb,
      pssMb,
      openStallMs: longestGap(lines, t0, tClose),
      closeStallMs: longestGap(lines, tClose, tClose + closeMs),
      openRequests: byPath(open),
      closeRequests: byPath(requestsSince(server, tClose)),
      closeSteps: { ...steps(lines, tClose), ...addonCloseSteps(anki, tClose), "process exit": closeMs },
    };
  } finally {
    await done(server, anki);
  }
}

interface Upload {
  uploadMs: number;
  stallMs: number;
  files: number;
}

/** The first media sync of a profile whose files the server has never seen. */
export async function firstUpload(xvfb: Xvfb, arm: Arm, cached: Cached): Promise<Upload> {
  const server = await serverFrom(cached.serverCol);
  const anki = await ankiFor(server, xvfb, arm, cached.profileFresh);
  try {
    const t0 = Date.now();
    await anki.launch({ FLIPNEM_BENCH_LOG: logOf(anki) });
    await waitFor(
      "the files on the server",
      () => requestsSince(server, t0).some((r) => r.path === "/msync/mediaSanity"),
      900_000,
      500,
    );
    const media = requestsSince(server, t0).filter((r) => r.path.startsWith("/msync/"));
    const uploadMs = span(media);
    const from = Math.min(...media.map((r) => r.start));
    const files = readdirSync(join(server.dir, "data", USER, "media")).length;
    return { uploadMs, stallMs: longestGap(benchLog(logOf(anki)), from, from + uploadMs), files };
  } finally {
    await done(server, anki);
  }
}

interface Stalls {
  open: number;
  syncNow: number;
  periodic: number;
  close: number;
}

/** The longest main-thread gap during each kind of sync, with something to carry in each. */
export async function stalls(xvfb: Xvfb, arm: Arm, cached: Cached): Promise<Stalls> {
  const server = await serverFrom(cached.serverAll);
  const anki = await ankiFor(server, xvfb, arm, cached.profileSynced, { driver: true });
  try {
    await py(["add-note", "--endpoint", server.endpoint, "--col", anki.collectionPath, "--front", "stall: open"]);
    const t0 = Date.now();
    await anki.launch({ FLIPNEM_BENCH_LOG: logOf(anki) });
    await settled(server, t0);
    const tOpen = Date.now();

    await anki.driver("addNote", { front: "stall: sync now", back: "" });
    const tPress = Date.now();
    await anki.driver("pressSync");
    await settled(server, tPress);
    const tPressEnd = Date.now();

    await anki.driver("addMediaFiles", { prefix: "stall-periodic-", count: 20, size: MEDIA_BYTES });
    const tPeriodic = Date.now();
    if (arm === "addon") {
      const fired = await anki.driver<{ fired: boolean }>("fireWakeup", { name: "periodicMedia" });
      if (!fired.fired) throw new Error("the add-on had no periodic media timer armed");
    } else {
      await anki.driver("nativePeriodicTick");
    }
    await settled(server, tPeriodic);
    const tPeriodicEnd = Date.now();

    await anki.driver("addNote", { front: "stall: close", back: "" });
    const tClose = Date.now();
    await anki.driver("close");
    await anki.waitExit(120_000);
    const lines = benchLog(logOf(anki));
    return {
      open: longestGap(lines, t0, tOpen),
      syncNow: longestGap(lines, tPress, tPressEnd),
      periodic: longestGap(lines, tPeriodic, tPeriodicEnd),
      close: longestGap(lines, tClose, anki.exitedAt ?? Date.now()),
    };
  } finally {
    await done(server, anki);
  }
}

interface InputCost {
  keyUs: number;
  pointerUs: number;
  active: boolean;
}

/**
 * What each key press and pointer move costs Anki's event dispatch, the add-on's input watch
 * included (native: none), 10,000 of each on a small collection; Anki is the active application.
 */
export async function inputCost(xvfb: Xvfb, arm: Arm): Promise<InputCost> {
  const server = new SyncServer();
  await server.start();
  await seedAccount(server, 1);
  const anki = await ankiFor(server, xvfb, arm, undefined, { driver: true });
  try {
    await anki.launch();
    await sleep(2000);
    return await anki.driver<InputCost>("inputCost", { count: INPUT_EVENTS });
  } finally {
    await done(server, anki);
  }
}

interface Idle {
  cpuSecondsPerMinute: number;
  requestsPerHour: number;
  requests: Record<string, number>;
}

type IdleArm = "native" | "native2" | "addon, sidebar shown" | "addon, sidebar hidden";

/** Four Ankis left alone side by side, each with its own server: CPU used and requests sent. */
export async function idle(xvfb: Xvfb, cached: Cached): Promise<Record<IdleArm, Idle>> {
  const arms: IdleArm[] = ["native", "native2", "addon, sidebar shown", "addon, sidebar hidden"];
  const running: Array<{ arm: IdleArm; server: SyncServer; anki: Anki }> = [];
  try {
    for (const arm of arms) {
      const server = await serverFrom(cached.serverAll);
      const addon = arm.startsWith("addon");
      const anki = await ankiFor(server, xvfb, addon ? "addon" : "native", cached.profileSynced, {
        seed: arm === "addon, sidebar shown" ? ["--sidebar-visible"] : [],
      });
      running.push({ arm, server, anki });
      const t0 = Date.now();
      await anki.launch({ FLIPNEM_BENCH_LOG: logOf(anki) });
      await settled(server, t0);
    }
    await sleep(10_000);
    const from = Date.now();
    const cpu0 = running.map((r) => treeCpuSeconds(r.anki.child!.pid!));
    await sleep(IDLE_MINUTES * 60_000);
    const to = Date.now();
    const out = {} as Record<IdleArm, Idle>;
    running.forEach((r, i) => {
      const cpu = treeCpuSeconds(r.anki.child!.pid!) - cpu0[i]!;
      const seen = requestsSince(r.server, from, to);
      out[r.arm] = {
        cpuSecondsPerMinute: cpu / IDLE_MINUTES,
        requestsPerHour: (seen.length * 60) / IDLE_MINUTES,
        requests: byPath(seen),
      };
    });
    return out;
  } finally {
    for (const r of running) await done(r.server, r.anki);
  }
}

interface Memory {
  pss: number;
  /** after a garbage collection in every page: what the web processes really hold on to */
  pssAfterGc: number;
  main: number;
  heap?: number;
  /** PSS after GC of each process: where the growth is */
  byProcess: Record<ProcessRole, number>;
}

type ProcessRole = "main" | "pages" | "sidebar" | "other";

const PROCESS_ROLES: Array<[ProcessRole, string]> = [
  ["main", "main process (Python, Qt, Anki's backend)"],
  ["pages", "web process of Anki's own pages (deck list, top and bottom bars)"],
  ["sidebar", "the sidebar's web process"],
  ["other", "Chromium's other processes (GPU, utility, zygote)"],
];

interface Long {
  arm: "native" | "addon";
  first: Memory;
  last: Memory;
  history?: number;
  changes: number;
  /** syncs that carried changes, and every sync or status check */
  starts: number;
  metas: number;
}

/** Every page of this Anki collects its garbage (over Chromium's debugging protocol). */
async function collectGarbage(anki: Anki): Promise<void> {
  for (const page of await anki.pages()) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("HeapProfiler.collectGarbage");
    await cdp.detach();
  }
}

/** The page's JS heap, read after `collectGarbage`. */
async function pageHeapMb(anki: Anki): Promise<number> {
  const page = await anki.sidebar();
  const cdp = await page.context().newCDPSession(page);
  const { usedSize } = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
  await cdp.detach();
  return usedSize / 1024 / 1024;
}

async function memory(anki: Anki, addon: boolean): Promise<Memory> {
  const pid = anki.child!.pid!;
  const pss = treePssMb(pid);
  const main = mainRssMb(pid);
  await collectGarbage(anki);
  const heap = addon ? await pageHeapMb(anki) : undefined;
  await sleep(2000);
  const pssAfterGc = treePssMb(pid);
  const renders = await anki.driver<Record<string, number>>("renderPids");
  const { sidebar, ...pages } = renders;
  const pagePids = [...new Set(Object.values(pages))];
  const byProcess = pssByGroupMb(pid, {
    main: [pid],
    pages: pagePids,
    sidebar: sidebar === undefined || pagePids.includes(sidebar) ? [] : [sidebar],
  }) as Record<ProcessRole, number>;
  // no debugging client stays attached between samples
  await anki.browser?.close();
  anki.browser = undefined;
  return { pss, pssAfterGc, main, heap, byProcess };
}

/**
 * A day of study compressed: the add-on's schedule (periodic media, status checks, background
 * syncs) runs at LONG_HOURS per LONG_REAL_MINUTES, and a note is added every ten minutes of it
 * (a file every hour). Native Anki beside it gets the same changes and presses Sync after each,
 * so both sides sync about as often.
 *
 * Each Anki has a display of its own and its window is made active before each change, as a
 * window manager does when a dialog closes: Anki redraws its deck list after a change or a sync
 * only in an active window, and on one shared display only one window is active.
 */
export async function longSession(cached: Cached): Promise<Long[]> {
  const scale = LONG_REAL_MINUTES / (LONG_HOURS * 60);
  const hourMs = 3_600_000 * scale;
  const arms = ["native", "addon"] as const;
  const running: Array<{ arm: (typeof arms)[number]; server: SyncServer; anki: Anki; xvfb: Xvfb }> = [];
  try {
    for (const arm of arms) {
      const xvfb = new Xvfb();
      await xvfb.start();
      const server = await serverFrom(cached.serverAll);
      const anki = await ankiFor(server, xvfb, arm, cached.profileSynced, { driver: true });
      running.push({ arm, server, anki, xvfb });
      await anki.launch({ FLIPNEM_BENCH_LOG: logOf(anki), FLIPNEM_TIMER_SCALE: String(scale) });
    }
    const results: Long[] = [];
    const started = Date.now();
    let step = 0;
    let first: Memory[] | undefined;
    while (Date.now() - started < LONG_HOURS * hourMs) {
      step += 1;
      for (const r of running) {
        await r.anki.driver("activateMain");
        await r.anki.driver("addNote", { front: `long session ${step}`, back: "" });
        if (step % 6 === 0) await r.anki.driver("addMediaFiles", { prefix: `long-${step}-`, count: 1, size: 20_000 });
        if (r.arm === "native") await r.anki.driver("pressSync");
      }
      if (!first && Date.now() - started >= hourMs) {
        first = [];
        for (const r of running) first.push(await memory(r.anki, r.arm === "addon"));
      }
      await sleep(Math.max(0, started + step * (hourMs / 6) - Date.now()));
    }
    for (const [i, r] of running.entries()) {
      results.push({
        arm: r.arm,
        first: first![i]!,
        last: await memory(r.anki, r.arm === "addon"),
        history: r.arm === "addon" ? (await r.anki.history()).length : undefined,
        changes: step,
        starts: r.server.requests("/sync/start"),
        metas: r.server.requests("/sync/meta"),
      });
    }
    return results;
  } finally {
    for (const r of running) {
      await done(r.server, r.anki);
      await r.xvfb.stop();
    }
  }
}

interface Propagation {
  reviewS: number;
  noteS: number;
}

/**
 * Default settings, real time: a review made in Anki until it is on the server (the first
 * sync that carries changes after it), and another device's note until it is in Anki.
 */
export async function propagation(xvfb: Xvfb, cached: Cached): Promise<Propagation> {
  const server = await serverFrom(cached.serverAll);
  const anki = await ankiFor(server, xvfb, "addon", cached.profileSynced, { driver: true });
  const other = join(server.dir, "other");
  copyCollection(cached.profileSynced, other, true);
  try {
    const t0 = Date.now();
    await anki.launch();
    await settled(server, t0);
    await anki.driver("study");
    await waitFor("the reviewer", async () => (await anki.driver("shownCard")).cardId, 10_000);
    await anki.driver("userInput");
    await anki.driver("answerShown", { ease: 3 });
    await anki.driver("deckBrowser");
    await anki.driver("userInput");
    const reviewed = Date.now();
    await waitFor(
      "the review on the server",
      () => requestsSince(server, reviewed).some((r) => r.path === "/sync/finish"),
      600_000,
      250,
    );
    const arrived = requestsSince(server, reviewed).find((r) => r.path === "/sync/finish")!.end;
    await settled(server, reviewed);
    const added = Date.now();
    await device(join(other, "collection.anki2"), server, [
      "add-note",
      "--front",
      "bench: from another device",
      "--sync",
    ]);
    await waitFor(
      "the note in Anki",
      async () =>
        (await anki.driver<{ count: number }>("findNotes", { query: '"front:bench: from another device"' })).count,
      900_000,
      500,
    );
    return { reviewS: (arrived - reviewed) / 1000, noteS: (Date.now() - added) / 1000 };
  } finally {
    await done(server, anki);
  }
}

// ---- the report ------------------------------------------------------------------------------

interface Row {
  figure: string;
  unit: string;
  native: number;
  native2: number;
  addon: number;
  digits?: number;
}

function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return a === b ? "1.00" : "—";
  return (a / b).toFixed(2);
}

function fmt(x: number, digits = 0): string {
  return Number.isFinite(x) ? x.toFixed(digits) : "—";
}

function table(rows: Row[]): string[] {
  return [
    "| figure | native | native again (A/A) | add-on | add-on / native | A/A |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.figure} | ${fmt(r.native, r.digits)} ${r.unit} | ${fmt(r.native2, r.digits)} ${r.unit} | ${fmt(r.addon, r.digits)} ${r.unit} | ${ratio(r.addon, r.native)} | ${ratio(r.native2, r.native)} |`,
    ),
  ];
}

function versions(): string {
  const pins = readFileSync(join(ROOT, "requirements.txt"), "utf8");
  const pin = (name: string) => new RegExp(`^${name}(\\[[^\\]]*\\])?==(\\S+)`, "mi").exec(pins)?.[2] ?? "?";
  return `Anki (aqt) ${pin("aqt")}, PyQt6-WebEngine ${pin("PyQt6-WebEngine")}, Node ${process.version}`;
}

function pathTable(title: string, native: Record<string, number>, addon: Record<string, number>): string[] {
  const paths = [...new Set([...Object.keys(native), ...Object.keys(addon)])].sort();
  const total = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);
  return [
    `| ${title} | native | add-on |`,
    "| --- | ---: | ---: |",
    ...paths.map((p) => `| \`${p}\` | ${native[p] ?? 0} | ${addon[p] ?? 0} |`),
    `| all | ${total(native)} | ${total(addon)} |`,
  ];
}

function sum(maps: Array<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of maps) for (const [k, v] of Object.entries(m)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function bundleSizes(): { raw: number; gzip: number } {
  const dir = join(ROOT, "build/addon/web/assets");
  let raw = 0;
  let gzip = 0;
  for (const name of readdirSync(dir)) {
    if (!/\.(js|css)$/.test(name)) continue;
    const data = readFileSync(join(dir, name));
    raw += data.length;
    gzip += gzipSync(data, { level: 9 }).length;
  }
  return { raw, gzip };
}

/** BENCH_ONLY=open: the open and close rounds alone, into test-results/bench-open.md. */
async function openAlone(): Promise<void> {
  const xvfb = new Xvfb();
  await xvfb.start();
  try {
    const cached = await prepare();
    const cycles: Record<Arm, Cycle[]> = { native: [], native2: [], addon: [] };
    for (let i = 0; i < ROUNDS; i++) {
      const order = [...ARMS.slice(i % 3), ...ARMS.slice(0, i % 3)];
      for (const arm of order) cycles[arm].push(await cycle(xvfb, arm, cached, false));
    }
    const row = (figure: string, f: (c: Cycle) => number): Row => ({
      figure,
      unit: "ms",
      native: median(cycles.native.map(f)),
      native2: median(cycles.native2.map(f)),
      addon: median(cycles.addon.map(f)),
    });
    const each = (f: (c: Cycle) => number) =>
      ARMS.map((arm) => `${arm} ${cycles[arm].map((c) => Math.round(f(c))).join(", ")}`).join("; ");
    const lines = [
      `# Open and close (${ROUNDS} rounds, ${SIZE.notes.toLocaleString("en")} notes, ${SIZE.media.toLocaleString("en")} files)`,
      "",
      ...table([
        row("launch to ready", (c) => c.launchMs),
        row("open sync: profile open to the sync's last answer (media included)", (c) => c.openSyncMs),
        row("close (sync included), to process exit", (c) => c.closeMs),
      ]),
      "",
      `open sync, each round: ${each((c) => c.openSyncMs)}`,
    ];
    mkdirSync(join(ROOT, "test-results"), { recursive: true });
    writeFileSync(join(ROOT, "test-results/bench-open.md"), lines.join("\n") + "\n");
    console.log(lines.join("\n"));
  } finally {
    await xvfb.stop();
  }
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === "moments") return momentsAlone(QUICK);
  if (process.env.BENCH_ONLY === "open") return openAlone();
  const began = Date.now();
  const xvfb = new Xvfb();
  await xvfb.start();
  const phaseTimes: Array<[string, number]> = [];
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    console.log(`bench: ${name}…`);
    const result = await fn();
    phaseTimes.push([name, Date.now() - t]);
    return result;
  };
  try {
    const cached = await phase("the collection (cached)", prepare);
    const cycles: Record<Arm, Cycle[]> = { native: [], native2: [], addon: [] };
    const changed: Partial<Record<Arm, Cycle>> = {};
    await phase(`open and close, ${ROUNDS} rounds`, async () => {
      for (let i = 0; i < ROUNDS; i++) {
        // each round in another order, so no arm always follows the same one
        const order = [...ARMS.slice(i % 3), ...ARMS.slice(0, i % 3)];
        for (const arm of order) cycles[arm].push(await cycle(xvfb, arm, cached, false));
      }
      for (const arm of ARMS) changed[arm] = await cycle(xvfb, arm, cached, true);
    });
    const uploads: Record<Arm, Upload[]> = { native: [], native2: [], addon: [] };
    await phase(`first media upload, ${UPLOAD_ROUNDS} rounds`, async () => {
      for (let i = 0; i < UPLOAD_ROUNDS; i++)
        for (const arm of ARMS) uploads[arm].push(await firstUpload(xvfb, arm, cached));
    });
    const stall: Record<Arm, Stalls[]> = { native: [], native2: [], addon: [] };
    await phase(`main-thread stalls, ${STALL_ROUNDS} rounds`, async () => {
      for (let i = 0; i < STALL_ROUNDS; i++) for (const arm of ARMS) stall[arm].push(await stalls(xvfb, arm, cached));
    });
    const moments = PROPAGATION ? propagation(xvfb, cached) : undefined;
    const input: Record<Arm, InputCost[]> = { native: [], native2: [], addon: [] };
    await phase(`input watch, ${INPUT_ROUNDS} rounds of ${INPUT_EVENTS} events`, async () => {
      for (let i = 0; i < INPUT_ROUNDS; i++) for (const arm of ARMS) input[arm].push(await inputCost(xvfb, arm));
    });
    const idleCost = await phase(`idle, ${IDLE_MINUTES} min`, () => idle(xvfb, cached));
    const long = await phase(`long session, ${LONG_HOURS} h in ${LONG_REAL_MINUTES} min`, () => longSession(cached));
    const spread = moments ? await phase("propagation (finishing)", () => moments) : undefined;
    const withinMomentsLines = await phase("within moments", () => withinMoments(xvfb, QUICK));

    const m = (arm: Arm, f: (c: Cycle) => number) => median(cycles[arm].map(f));
    const row = (figure: string, unit: string, f: (c: Cycle) => number, digits = 0): Row => ({
      figure,
      unit,
      native: m("native", f),
      native2: m("native2", f),
      addon: m("addon", f),
      digits,
    });
    const um = (arm: Arm, f: (u: Upload) => number) => median(uploads[arm].map(f));
    const sm = (arm: Arm, f: (s: Stalls) => number) => median(stall[arm].map(f));
    const stallRow = (figure: string, f: (s: Stalls) => number): Row => ({
      figure,
      unit: "ms",
      native: sm("native", f),
      native2: sm("native2", f),
      addon: sm("addon", f),
    });
    const idleRow = (figure: string, unit: string, f: (i: Idle) => number, shown: boolean, digits = 1): Row => ({
      figure,
      unit,
      native: f(idleCost.native),
      native2: f(idleCost.native2),
      addon: f(idleCost[shown ? "addon, sidebar shown" : "addon, sidebar hidden"]),
      digits,
    });
    const main: Row[] = [
      row("launch to ready", "ms", (c) => c.launchMs),
      row("launch: the add-on's own start (import and set-up, from its log)", "ms", (c) => c.addonStartMs),
      row("open sync: profile open to the sync's last answer (media included)", "ms", (c) => c.openSyncMs),
      row("close (sync included), to process exit", "ms", (c) => c.closeMs),
      row("memory: Anki and its web processes (RSS summed)", "MB", (c) => c.rssMb),
      row("memory: the same, shared pages counted once (PSS)", "MB", (c) => c.pssMb),
      {
        figure: `first media upload (${SIZE.media} files, ${Math.round((SIZE.media * MEDIA_BYTES) / 1e6)} MB)`,
        unit: "ms",
        native: um("native", (u) => u.uploadMs),
        native2: um("native2", (u) => u.uploadMs),
        addon: um("addon", (u) => u.uploadMs),
      },
    ];
    const stalled: Row[] = [
      row("stall: open sync (launch rounds)", "ms", (c) => c.openStallMs),
      row("stall: close (launch rounds)", "ms", (c) => c.closeStallMs),
      stallRow("stall: open sync carrying a note", (s) => s.open),
      stallRow("stall: Sync now carrying a note", (s) => s.syncNow),
      stallRow("stall: periodic media run carrying 20 files", (s) => s.periodic),
      stallRow("stall: close sync carrying a note", (s) => s.close),
      {
        figure: "stall: first media upload",
        unit: "ms",
        native: um("native", (u) => u.stallMs),
        native2: um("native2", (u) => u.stallMs),
        addon: um("addon", (u) => u.stallMs),
      },
    ];
    const im = (arm: Arm, f: (c: InputCost) => number) => median(input[arm].map(f));
    const inputRow = (figure: string, f: (c: InputCost) => number): Row => ({
      figure,
      unit: "µs",
      native: im("native", f),
      native2: im("native2", f),
      addon: im("addon", f),
      digits: 2,
    });
    const inputRows: Row[] = [
      inputRow(`a key press, per event (${INPUT_EVENTS.toLocaleString("en")} sent)`, (c) => c.keyUs),
      inputRow(`a pointer move, per event (${INPUT_EVENTS.toLocaleString("en")} sent)`, (c) => c.pointerUs),
    ];
    const idleRows: Row[] = [
      idleRow("CPU per idle minute, sidebar shown", "s", (i) => i.cpuSecondsPerMinute, true, 2),
      idleRow("CPU per idle minute, sidebar hidden", "s", (i) => i.cpuSecondsPerMinute, false, 2),
      idleRow("requests per idle hour, sidebar shown", "", (i) => i.requestsPerHour, true, 0),
      idleRow("requests per idle hour, sidebar hidden", "", (i) => i.requestsPerHour, false, 0),
    ];
    const stepNames = [
      "closeAsked",
      "add-on: close requested",
      "add-on: close continues",
      "profileWillClose",
      "collectionClosing",
      "collectionClosed",
      "cleanupStarts",
      "cleanupDone",
      "aboutToQuit",
      "pythonExit",
      "process exit",
    ];
    const stepMedian = (arm: Arm, name: string) =>
      median(cycles[arm].map((c) => c.closeSteps[name] ?? NaN).filter(Number.isFinite));
    const size = statSync(ADDON).size;
    const bundle = bundleSizes();
    const tookMs = Date.now() - began;
    const cpu = cpus();
    const lines = [
      "# Benchmarks",
      "",
      `Written by \`npm run bench\`${QUICK ? " with BENCH_QUICK=1" : ""} on ${new Date().toISOString().slice(0, 10)}; do not edit by hand. Every`,
      "figure is a median over rounds; *native* is Anki without the add-on, syncing to the same kind of",
      "server; *native again* is a second native arm in the same rounds, so **A/A** shows how far two",
      "identical runs differ on this machine.",
      "",
      `- machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? "?"}, ${Math.round(totalmem() / 2 ** 30)} GiB; headless (Xvfb)`,
      `- versions: ${versions()}`,
      `- collection: ${SIZE.notes.toLocaleString("en")} notes, ${SIZE.media.toLocaleString("en")} files of ${MEDIA_BYTES.toLocaleString("en")} bytes (${Math.round((SIZE.media * MEDIA_BYTES) / 1e6)} MB), on the server and in the profile${cached.madeIn ? ` (made in ${Math.round(cached.madeIn / 1000)} s)` : " (from the cache)"}`,
      `- rounds: ${ROUNDS} launch/close per arm, ${UPLOAD_ROUNDS} first media uploads, ${STALL_ROUNDS} stall runs, ${INPUT_ROUNDS} input runs, ${IDLE_MINUTES} idle minutes, a ${LONG_HOURS} h session in ${LONG_REAL_MINUTES} min`,
      `- took: ${Math.round(tookMs / 60000)} min (${phaseTimes.map(([n, t]) => `${n} ${Math.round(t / 1000)} s`).join("; ")})`,
      "",
      "## Open, close, memory, first media upload",
      "",
      ...table(main),
      "",
      "## Longest main-thread stall (a 10 ms Qt timer in a bench-only add-on)",
      "",
      ...table(stalled),
      "",
      "## Input: Anki's event dispatch per event, the add-on's input watch included",
      "",
      ...table(inputRows),
      "",
      "## Idle (four Ankis side by side, each with its own server)",
      "",
      ...table(idleRows),
      "",
      ...pathTable(
        `requests in ${IDLE_MINUTES} idle min, by path`,
        idleCost.native.requests,
        sum([idleCost["addon, sidebar shown"].requests, idleCost["addon, sidebar hidden"].requests]),
      ),
      "",
      "(add-on column: both add-on Ankis together)",
      "",
      "## Requests per open and close",
      "",
      ...pathTable("no changes: open", cycles.native[0]?.openRequests ?? {}, cycles.addon[0]?.openRequests ?? {}),
      "",
      ...pathTable("no changes: close", cycles.native[0]?.closeRequests ?? {}, cycles.addon[0]?.closeRequests ?? {}),
      "",
      ...pathTable(
        "one note changed before launch: open",
        changed.native?.openRequests ?? {},
        changed.addon?.openRequests ?? {},
      ),
      "",
      ...pathTable(
        "one note changed before launch: close",
        changed.native?.closeRequests ?? {},
        changed.addon?.closeRequests ?? {},
      ),
      "",
      "## Where a close spends its time (ms after the close was asked, median)",
      "",
      "| step | native | native again | add-on |",
      "| --- | ---: | ---: | ---: |",
      ...stepNames.map(
        (s) =>
          `| ${s} | ${fmt(stepMedian("native", s))} | ${fmt(stepMedian("native2", s))} | ${fmt(stepMedian("addon", s))} |`,
      ),
      "",
      `## Long session: ${LONG_HOURS} h of schedule in ${LONG_REAL_MINUTES} min`,
      "",
      "| | PSS, hour 1 | last hour | PSS after a garbage collection in every page, hour 1 | last hour | main process (RSS), hour 1 | last hour | page JS heap after GC, hour 1 | last hour | history entries | changes | syncs carrying changes | `/sync/meta` (syncs and status checks) |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...long.map(
        (l) =>
          `| ${l.arm} | ${fmt(l.first.pss)} MB | ${fmt(l.last.pss)} MB | ${fmt(l.first.pssAfterGc)} MB | ${fmt(l.last.pssAfterGc)} MB | ${fmt(l.first.main)} MB | ${fmt(l.last.main)} MB | ${l.first.heap === undefined ? "" : `${fmt(l.first.heap, 1)} MB`} | ${l.last.heap === undefined ? "" : `${fmt(l.last.heap, 1)} MB`} | ${l.history ?? ""} | ${l.changes} | ${l.starts} | ${l.metas} |`,
      ),
      "",
      "| PSS after GC, by process | native, hour 1 | last hour | growth | add-on, hour 1 | last hour | growth |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...PROCESS_ROLES.map(([role, label]) => {
        const cells = (["native", "addon"] as const).map((arm) => {
          const l = long.find((x) => x.arm === arm);
          if (!l) return "— | — | —";
          const a = l.first.byProcess[role];
          const b = l.last.byProcess[role];
          return `${fmt(a)} MB | ${fmt(b)} MB | ${b - a >= 0 ? "+" : ""}${fmt(b - a)} MB`;
        });
        return `| ${label} | ${cells.join(" | ")} |`;
      }),
      "",
      "## Sizes",
      "",
      `- \`dist/flipnem-sync.ankiaddon\`: ${(size / 1024).toFixed(1)} KiB`,
      `- web bundle (JS and CSS): ${(bundle.raw / 1024).toFixed(1)} KiB raw, ${(bundle.gzip / 1024).toFixed(1)} KiB gzip`,
      "",
      "## Propagation (default settings, real time)",
      "",
      spread
        ? `- a review to the server: ${spread.reviewS.toFixed(0)} s after leaving the reviewer (native Anki: at close or Sync only)\n- another device's note into Anki: ${spread.noteS.toFixed(0)} s after its sync (native Anki: at the next open or Sync)`
        : "- measured in the full run only",
      "",
      ...withinMomentsLines,
    ];
    const notes = join(ROOT, "test/bench/notes.md");
    if (existsSync(notes)) lines.push(readFileSync(notes, "utf8"));
    mkdirSync(join(ROOT, "bench"), { recursive: true });
    const target = QUICK ? join(ROOT, "test-results/bench-quick.md") : RESULTS;
    mkdirSync(join(target, ".."), { recursive: true });
    writeFileSync(target, lines.join("\n"));
    console.log(lines.join("\n"));
    console.log(`bench: wrote ${target} in ${Math.round(tookMs / 1000)} s`);
    if (!QUICK) writeReadmeFigures(main, stalled, idleRows, size, bundle);
  } finally {
    await xvfb.stop();
  }
}

/** README's figures table, from the same rows (between its bench markers). */
function writeReadmeFigures(
  main: Row[],
  stalled: Row[],
  idleRows: Row[],
  size: number,
  bundle: { gzip: number },
): void {
  const readme = join(ROOT, "README.md");
  const text = readFileSync(readme, "utf8");
  const start = "<!-- bench:start -->";
  const end = "<!-- bench:end -->";
  if (!text.includes(start) || !text.includes(end)) return;
  const pick = [...main, stalled[2]!, stalled[3]!, stalled[5]!, idleRows[1]!];
  const body = [
    start,
    "| figure (from `bench/results.md`) | native | add-on | ratio | A/A |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...pick.map(
      (r) =>
        `| ${r.figure} | ${fmt(r.native, r.digits)} ${r.unit} | ${fmt(r.addon, r.digits)} ${r.unit} | ${ratio(r.addon, r.native)} | ${ratio(r.native2, r.native)} |`,
    ),
    `| package / web bundle (gzip) | | ${(size / 1024).toFixed(0)} KiB / ${(bundle.gzip / 1024).toFixed(1)} KiB | | |`,
    end,
  ].join("\n");
  writeFileSync(readme, text.slice(0, text.indexOf(start)) + body + text.slice(text.indexOf(end) + end.length));
  // README is kept in the project's format
  execFileSync("npx", ["prettier", "--write", readme], { cwd: ROOT, stdio: "ignore" });
}

// run as a script; imported (to try one phase), it only exports
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
