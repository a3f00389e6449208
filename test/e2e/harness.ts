// End-to-end harness: a real sync server, a real Anki under Xvfb, Playwright over CDP,
// and the driver add-on. Every process it starts is stopped by its own pid.
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { mkdtempSync, mkdirSync, openSync, readFileSync, existsSync, cpSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

export const ROOT = resolve(import.meta.dirname, "../..");
/** The Flipnem stand-in always runs the newest server, as Flipnem does whatever Anki a user runs. */
export const PY = join(ROOT, ".venv/bin/python");
/** The Anki under test (and its other device), from the test matrix's venv for that version. */
const ANKI_VENV = resolve(ROOT, process.env.FLIPNEM_ANKI_VENV ?? ".venv");
export const ANKI_PY = join(ANKI_VENV, "bin/python");
/** The requirements that venv was made from: the versions the suite must find running. */
export const ANKI_REQUIREMENTS = resolve(ROOT, process.env.FLIPNEM_ANKI_REQUIREMENTS ?? "requirements.txt");

/** A pinned version from the requirements, as numbers ("24.06.3" and "24.6.3" are the same). */
export function pinned(name: string): number[] {
  const pin = new RegExp(`^${name.replace(/[-_.]/g, "[-_.]")}(\\[[^\\]]*\\])?==`, "i");
  const line = readFileSync(ANKI_REQUIREMENTS, "utf8")
    .split("\n")
    .find((l) => pin.test(l));
  if (!line) throw new Error(`${name} is not pinned in ${ANKI_REQUIREMENTS}`);
  return versionParts(line.split("==")[1]!);
}

export function versionParts(version: string): number[] {
  return version.split(".").map((p) => Number.parseInt(p, 10));
}

/** Whether the Anki under test is `min` (e.g. [25, 2]) or newer. */
export function ankiAtLeast(min: number[]): boolean {
  const have = pinned("aqt");
  for (let i = 0; i < min.length; i++) if ((have[i] ?? 0) !== min[i]) return (have[i] ?? 0) > min[i]!;
  return true;
}
export const ADDON = join(ROOT, "dist/flipnem-sync.ankiaddon");
export const DRIVER = join(ROOT, "test/e2e/driver_addon");
const ENV_SCRIPT = join(ROOT, "test/e2e/support/anki_env.py");
/** Where the add-on's pages live: a scheme served only to its own browser profile (addon/pages.py). */
export const ADDON_PAGE = "flipnem-sync://app/index.html";
export const isAddonPage = (url: string): boolean => url.startsWith(ADDON_PAGE);
/** A close's bound reached, Anki is gone within this: the add-on's last steps (an aborted sync letting go, its state written: 3 s at most) and Anki's own unload. */
export const EXIT_MARGIN_S = 6;
const XINPUT_SCRIPT = join(ROOT, "test/e2e/support/xinput.py");
const XAWAY_SCRIPT = join(ROOT, "test/e2e/support/xaway.py");
/** Each leg of the test matrix keeps its evidence apart. */
export const RESULTS = resolve(ROOT, process.env.FLIPNEM_RESULTS ?? "test-results");
/** Screenshots for the README go to docs/ only when asked (FLIPNEM_UPDATE_DOCS=1), so a test run leaves the tree clean. */
export const SCREENSHOTS = process.env.FLIPNEM_UPDATE_DOCS === "1" ? join(ROOT, "docs") : join(RESULTS, "screenshots");
export const USER = "flipnem-test";
export const PASSWORD = "correct horse battery staple";

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function bindOnce(port: number): Promise<number> {
  return new Promise((res) => {
    const srv = createServer();
    srv.once("error", () => res(0));
    srv.listen(port, "127.0.0.1", () => {
      const addr = srv.address();
      const bound = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => res(bound));
    });
  });
}

// Legs of the test matrix run side by side: each takes its ports from its own range
// (FLIPNEM_PORTS="20000-25999"), one after another, so two legs never pick the same one.
const PORT_RANGE = process.env.FLIPNEM_PORTS?.split("-").map(Number);
let portCursor = PORT_RANGE ? Math.floor(Math.random() * (PORT_RANGE[1]! - PORT_RANGE[0]!)) : 0;

export async function freePort(): Promise<number> {
  if (!PORT_RANGE) return bindOnce(0);
  const [low, high] = PORT_RANGE as [number, number];
  for (let tries = 0; tries < 500; tries++) {
    const port = low + (portCursor++ % (high - low + 1));
    if (await bindOnce(port)) return port;
  }
  throw new Error(`no free port in ${low}-${high}`);
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  everyMs = 200,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

function stopPid(child: ChildProcess | undefined, graceMs = 5000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null || !child.pid) return Promise.resolve();
  return new Promise((res) => {
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        /* already gone */
      }
    }, graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      res();
    });
    child.kill("SIGTERM");
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `flipnem-${prefix}-`));
}

/** Runs a Python script of the suite in Anki's venv; it prints one JSON object last. The password travels in the environment. */
export function runPy(
  script: string,
  args: string[],
  timeoutMs = 120_000,
  extraEnv: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  return new Promise((res, rej) => {
    execFile(
      ANKI_PY,
      [script, ...args],
      { env: { ...process.env, FLIPNEM_TEST_PASSWORD: PASSWORD, ...extraEnv }, timeout: timeoutMs },
      (err, stdout, stderr) => {
        if (err) return rej(new Error(`${basename(script, ".py")} ${args[0]} failed: ${stderr.slice(-2000)}`));
        const line = stdout.trim().split("\n").pop() ?? "{}";
        res(JSON.parse(line) as Record<string, unknown>);
      },
    );
  });
}

/** Runs the Python helper (the other device, base seeding). */
export function py(args: string[], extraEnv: Record<string, string> = {}): Promise<Record<string, unknown>> {
  return runPy(ENV_SCRIPT, args, 120_000, extraEnv);
}

// the US keyboard's keysyms for the characters tests type (Xvfb's default keymap)
const SHIFTED: Record<string, string> = { ":": "colon", "+": "plus", "@": "at", _: "underscore" };
const PLAIN: Record<string, string> = { "/": "slash", ".": "period", "-": "minus", " ": "space", "=": "equal" };

function keyFor(char: string): string {
  if (/^[a-z0-9]$/.test(char)) return char;
  if (/^[A-Z]$/.test(char)) return `shift+${char.toLowerCase()}`;
  if (char in PLAIN) return PLAIN[char]!;
  if (char in SHIFTED) return `shift+${SHIFTED[char]!}`;
  throw new Error(`no key for ${JSON.stringify(char)}`);
}

export class SyncServer {
  child?: ChildProcess;
  port = 0;
  readonly dir: string;
  readonly log: string;
  constructor(dir = tempDir("server")) {
    this.dir = dir;
    this.log = join(dir, "server.log");
  }
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}/`;
  }
  async start(port?: number): Promise<void> {
    this.port = port ?? this.port ?? (await freePort());
    if (!this.port) this.port = await freePort();
    const out = openSync(this.log, "a");
    this.child = spawn(PY, ["-m", "anki.syncserver"], {
      env: {
        ...process.env,
        SYNC_USER1: `${USER}:${PASSWORD}`,
        SYNC_BASE: join(this.dir, "data"),
        SYNC_HOST: "127.0.0.1",
        SYNC_PORT: String(this.port),
        RUST_LOG_STYLE: "never",
        NO_COLOR: "1",
      },
      stdio: ["ignore", out, out],
    });
    await waitFor("sync server health", async () => (await fetch(`${this.endpoint}health`)).ok, 30_000);
  }
  async stop(): Promise<void> {
    await stopPid(this.child);
    this.child = undefined;
  }
  /** Finished requests per path, read from the server's own log. */
  requests(path: string): number {
    if (!existsSync(this.log)) return 0;
    // eslint-disable-next-line no-control-regex
    const text = readFileSync(this.log, "utf8").replace(/\x1b\[[0-9;]*m/g, "");
    return text.split("\n").filter((l) => l.includes(`uri="${path}"`) && l.includes("finished")).length;
  }
  collectionSyncs(): number {
    return this.requests("/sync/start");
  }

  /**
   * Every sync the server saw, from its own log: one client session each, spanning its
   * requests. Single-request sessions (the toolbar's status check, a sync with nothing
   * to exchange) are left out: they cannot hold anything up.
   */
  syncSessions(): Array<{ session: string; media: boolean; start: number; end: number }> {
    if (!existsSync(this.log)) return [];
    // eslint-disable-next-line no-control-regex
    const text = readFileSync(this.log, "utf8").replace(/\x1b\[[0-9;]*m/g, "");
    const sessions = new Map<string, { media: boolean; start: number; end: number; requests: number }>();
    const line = /^(\S+)\s+INFO request\{uri="([^"]+)"[^}]*session="([^"]+)"\}: finished elap_ms=(\d+)/;
    for (const l of text.split("\n")) {
      const m = line.exec(l);
      if (!m) continue;
      const end = Date.parse(m[1]!);
      const start = end - Number(m[4]);
      const s = sessions.get(m[3]!) ?? { media: m[2]!.startsWith("/msync/"), start, end, requests: 0 };
      s.start = Math.min(s.start, start);
      s.end = Math.max(s.end, end);
      s.requests += 1;
      sessions.set(m[3]!, s);
    }
    return [...sessions.entries()]
      .filter(([, s]) => s.requests > 1)
      .map(([session, s]) => ({ session, media: s.media, start: s.start, end: s.end }))
      .sort((a, b) => a.start - b.start);
  }

  /** Pairs of syncs that ran at the same time, as the server saw them. */
  overlappingSyncs(since = 0): string[] {
    const spans = this.syncSessions().filter((s) => s.end >= since);
    const overlaps: string[] = [];
    for (let i = 1; i < spans.length; i++) {
      const a = spans[i - 1]!;
      const b = spans[i]!;
      if (b.start < a.end) overlaps.push(`${a.session}(${a.media ? "media" : "collection"}) ~ ${b.session}`);
    }
    return overlaps;
  }
}

export class Xvfb {
  child?: ChildProcess;
  display = "";
  /** On a display Xvfb itself finds free (so two legs side by side never share one); one that will not come up is tried again. */
  async start(attempts = 3): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const child = spawn("Xvfb", ["-displayfd", "3", "-screen", "0", "1400x900x24", "-nolisten", "tcp"], {
        stdio: ["ignore", "ignore", "ignore", "pipe"],
      });
      this.child = child;
      let told = "";
      (child.stdio[3] as NodeJS.ReadableStream).on("data", (chunk: Buffer) => (told += chunk.toString()));
      try {
        await waitFor(
          "Xvfb",
          () => {
            if (child.exitCode !== null) throw new Error("Xvfb exited");
            if (!told.includes("\n")) return false;
            this.display = `:${told.trim()}`;
            return existsSync(`/tmp/.X11-unix/X${told.trim()}`);
          },
          15_000,
        );
        return;
      } catch (err) {
        await stopPid(child);
        if (attempt >= attempts) throw err;
      }
    }
  }
  async stop(): Promise<void> {
    await stopPid(this.child);
  }
}

export interface AnkiOptions {
  profile?: string;
  managed?: boolean;
  /** extra seed-base flags, e.g. ["--no-auto-sync"] */
  seed?: string[];
  env?: Record<string, string>;
  installAddon?: boolean;
  /** false: the profile has never signed in anywhere (no key, no address) */
  signedIn?: boolean;
  /** more profiles on the same account, for profile switches */
  alsoProfiles?: string[];
  /** a folder holding a collection already equal to the server's (with its media), copied instead of a download */
  collectionFrom?: string;
}

export class Anki {
  child?: ChildProcess;
  browser?: Browser;
  /** The other application holding the focus while the user is away (`away()`). */
  private awayApp?: ChildProcess;
  readonly base: string;
  readonly profile: string;
  apiPort = 0;
  cdpPort = 0;
  driverPort = 0;
  stdoutPath: string;
  exitedAt?: number;

  constructor(
    readonly server: SyncServer,
    readonly xvfb: Xvfb,
    base = tempDir("base"),
    profile = "User 1",
  ) {
    this.base = base;
    this.profile = profile;
    this.stdoutPath = join(base, "anki-stdout.log");
  }

  get collectionPath(): string {
    return join(this.base, this.profile, "collection.anki2");
  }

  /** Seeds the base (prefs, signed-in profile, add-ons) and makes the collection equal to the server's. */
  /** The address the profile syncs to; a test may put a proxy in front of the server. */
  endpoint?: string;
  /** The test driver add-on is installed beside the product (never in the demo). */
  withDriver = true;

  async seed(opts: AnkiOptions = {}): Promise<void> {
    const args = [
      "seed-base",
      "--base",
      this.base,
      "--profile",
      this.profile,
      "--endpoint",
      this.endpoint ?? this.server.endpoint,
    ];
    if (opts.signedIn !== false) args.push("--user", USER);
    if (this.withDriver) args.push("--driver", DRIVER);
    if (opts.installAddon !== false) args.push("--addon", ADDON);
    if (opts.managed !== false && opts.signedIn !== false) args.push("--managed");
    for (const extra of opts.alsoProfiles ?? []) args.push("--also-profile", extra);
    await py([...args, ...(opts.seed ?? [])]);
    if (opts.collectionFrom) {
      rmSync(this.collectionPath, { force: true });
      cpSync(opts.collectionFrom, join(this.base, this.profile), { recursive: true });
    } else if (opts.signedIn !== false) {
      await py(["download", "--endpoint", this.server.endpoint, "--user", USER, "--col", this.collectionPath]);
      for (const extra of opts.alsoProfiles ?? []) {
        const col = join(this.base, extra, "collection.anki2");
        await py(["download", "--endpoint", this.server.endpoint, "--user", USER, "--col", col]);
      }
    }
  }

  /** The add-on's config as Anki keeps it (meta.json), merged; read when Anki next starts. */
  setConfig(config: Record<string, unknown>): void {
    const meta = join(this.base, "addons21/flipnem_sync/meta.json");
    const current = existsSync(meta) ? (JSON.parse(readFileSync(meta, "utf8")) as { config?: object }) : {};
    writeFileSync(meta, JSON.stringify({ ...current, config: { ...current.config, ...config } }));
  }

  /** A note written straight into the profile's collection while Anki is not running. */
  async addLocalNote(front: string): Promise<void> {
    await py(["add-note", "--endpoint", this.server.endpoint, "--col", this.collectionPath, "--front", front]);
  }

  /** The add-on's saveSettings, sent from its own sidebar page as the settings panel sends it. */
  async saveSettings(settings: Record<string, unknown>): Promise<Record<string, unknown>> {
    const page = await this.sidebar();
    const text = `flipnem:${JSON.stringify({ id: 77, command: "saveSettings", args: { settings } })}`;
    const reply = await page.evaluate((t) => new Promise<unknown>((resolve) => window.pycmd?.(t, resolve)), text);
    return reply as Record<string, unknown>;
  }

  async launch(env: Record<string, string> = {}): Promise<void> {
    // an Anki a failed test left open would hold the profile: this one stops it first
    if (this.child && this.exitedAt === undefined) await this.kill();
    [this.apiPort, this.cdpPort, this.driverPort] = [await freePort(), await freePort(), await freePort()];
    const out = openSync(this.stdoutPath, "a");
    this.exitedAt = undefined;
    this.child = spawn(join(ANKI_VENV, "bin/anki"), ["-b", this.base, "-p", this.profile], {
      env: {
        ...process.env,
        DISPLAY: this.xvfb.display,
        ANKI_BASE: this.base,
        ANKI_SINGLE_INSTANCE_KEY: `flipnem-test-${this.cdpPort}`,
        // Anki before 26.x keys its single instance on the user name alone
        LOGNAME: `flipnem-test-${this.cdpPort}`,
        ANKI_API_PORT: String(this.apiPort),
        QTWEBENGINE_REMOTE_DEBUGGING: `127.0.0.1:${this.cdpPort}`,
        QTWEBENGINE_CHROMIUM_FLAGS: "--no-sandbox --disable-gpu",
        FLIPNEM_DRIVER_PORT: String(this.driverPort),
        // a reply that does not fit protocol.json is refused, so drift fails a test
        FLIPNEM_STRICT_PROTOCOL: "1",
        QT_QPA_PLATFORM: "xcb",
        ANKI_NOHIGHDPI: "1",
        ...env,
      },
      stdio: ["ignore", out, out],
    });
    this.child.once("exit", () => (this.exitedAt = Date.now()));
    await waitFor("Anki ready", () => this.ready(), 90_000, 10);
    if (this.withDriver) {
      // and the profile's own hooks have run (the add-on places its sidebar there)
      await waitFor(
        "profile open",
        async () => (await this.driver<{ profileOpen?: boolean }>("state")).profileOpen,
        30_000,
        10,
      );
    }
  }

  /** The profile's collection is open: Anki's own readiness route, or before 26.x (no such route) the driver's view. */
  private async ready(): Promise<boolean> {
    const res = await fetch(`http://127.0.0.1:${this.apiPort}/_anki/readyz`);
    if (res.status !== 404) return res.ok;
    if (!this.withDriver) return (await fetch(`http://127.0.0.1:${this.apiPort}/favicon.ico`)).ok;
    return (await this.driver<{ hasCol: boolean }>("state")).hasCol;
  }

  /**
   * A user's keys through the X server (XTest) into Anki's main window, which gets the input focus
   * first: X keysym names ("s", "space", "3"). Returns when each key went (epoch ms).
   */
  async keys(keys: string[], gapMs = 150): Promise<number[]> {
    const { id } = await this.driver<{ id: number }>("mainWindow");
    const out = await runPy(XINPUT_SCRIPT, [String(id), ...keys, "--gap-ms", String(gapMs)], 120_000, {
      DISPLAY: this.xvfb.display,
    });
    return out.sent as number[];
  }

  /**
   * A user's keys through the X server (XTest) into whichever window has the input focus (a dialog
   * Anki opened, the sidebar): keysym names with held modifiers ("ctrl+shift+y", "shift+Tab").
   */
  async press(keys: string[], gapMs = 120): Promise<number[]> {
    const out = await runPy(XINPUT_SCRIPT, ["0", ...keys, "--gap-ms", String(gapMs)], 120_000, {
      DISPLAY: this.xvfb.display,
    });
    return out.sent as number[];
  }

  /** Text typed key by key into the focused window, as a US keyboard types it. */
  async type(text: string): Promise<void> {
    await this.press([...text].map(keyFor), 40);
  }

  /**
   * The user goes to another application: a second X client takes the input focus (XSetInputFocus),
   * so Anki stops being the active application. Returns when that happened (epoch ms); `back()` ends it.
   */
  async away(): Promise<number> {
    this.endAway();
    const child = spawn(PY, [XAWAY_SCRIPT], { env: { ...process.env, DISPLAY: this.xvfb.display } });
    this.awayApp = child;
    const line = await new Promise<string>((resolveLine, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("\n")) resolveLine(out.split("\n")[0] ?? "");
      });
      child.on("exit", (code) => reject(new Error(`the other application ended (${code})`)));
    });
    return (JSON.parse(line) as { at: number }).at;
  }

  /** The user comes back: Anki's window gets the focus (XSetInputFocus), with no key or click. Returns when (epoch ms). */
  async back(): Promise<number> {
    const { id } = await this.driver<{ id: number }>("mainWindow");
    const out = await runPy(XINPUT_SCRIPT, [String(id)], 30_000, { DISPLAY: this.xvfb.display });
    this.endAway();
    return out.focused as number;
  }

  private endAway(): void {
    if (this.awayApp && this.awayApp.exitCode === null) this.awayApp.kill();
    this.awayApp = undefined;
  }

  async driver<T = Record<string, unknown>>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(`http://127.0.0.1:${this.driverPort}/`, {
      method: "POST",
      body: JSON.stringify({ op, args }),
    });
    const body = (await res.json()) as { result?: T; error?: string };
    if (body.error) throw new Error(`driver ${op}: ${body.error}`);
    return body.result as T;
  }

  async connect(): Promise<Browser> {
    if (!this.browser)
      this.browser = await chromium.connectOverCDP(`http://127.0.0.1:${this.cdpPort}`, { noDefaults: true } as never);
    return this.browser;
  }

  /** Forgets the CDP connection, so the next call makes a fresh one (the old one is left to close with Anki). */
  reconnect(): void {
    this.browser = undefined;
  }

  async pages(): Promise<Page[]> {
    const browser = await this.connect();
    return browser.contexts().flatMap((c) => c.pages());
  }

  /** The add-on's sidebar page, found by its URL. */
  async sidebar(): Promise<Page> {
    return waitFor(
      "sidebar page",
      async () => (await this.pages()).find((p) => p.url() === `${ADDON_PAGE}#sidebar`),
      30_000,
    );
  }

  /** The settings panel's page, found by its URL. */
  async settingsPage(): Promise<Page> {
    // the newest one: a closed panel's page may linger until Qt deletes it
    return waitFor(
      "settings page",
      async () => (await this.pages()).reverse().find((p) => p.url() === `${ADDON_PAGE}#settings`),
      30_000,
    );
  }

  /** The add-on's own file for a profile, in its folder of the profile (addon/places.py). */
  storePath(profile = this.profile): string {
    return join(this.base, profile, "flipnem_sync", "state.json");
  }

  /** The add-on's log, in its folder under Anki's base (addon/places.py). */
  get logPath(): string {
    return join(this.base, "flipnem_sync", "flipnem-sync.log");
  }

  async storeData(profile = this.profile): Promise<Record<string, unknown>> {
    const path = this.storePath(profile);
    return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>) : {};
  }

  async history(profile = this.profile): Promise<HistoryEntry[]> {
    const data = (await this.storeData(profile)) as { state?: { history?: HistoryEntry[] } };
    return data.state?.history ?? [];
  }

  /** Windows other than the main window; a test fails on any it did not expect. */
  /** Windows other than Anki's main one; Anki's tooltips (which ask nothing and take no focus) are listed by `tooltips`. */
  async unexpectedWindows(allowed: string[] = []): Promise<Array<Record<string, unknown>>> {
    const windows = await this.driver<Array<Record<string, unknown>>>("windows");
    return windows.filter((w) => !w.main && !w.tooltip && !allowed.some((a) => String(w.title).includes(a)));
  }

  async tooltips(): Promise<string[]> {
    const windows = await this.driver<Array<Record<string, unknown>>>("windows");
    return windows.filter((w) => w.tooltip).map((w) => String(w.text));
  }

  /** Stops or continues the Anki process this harness started (as a machine's sleep would). */
  signal(sig: "SIGSTOP" | "SIGCONT"): void {
    if (!this.child?.pid || this.exitedAt !== undefined) throw new Error("no Anki running");
    this.child.kill(sig);
  }

  /** A normal close (the driver asks the main window to close), bounded, then by pid. */
  async close(timeoutMs = 60_000): Promise<number> {
    const started = Date.now();
    this.endAway();
    await this.browser?.close().catch(() => undefined);
    this.browser = undefined;
    if (!this.child || this.exitedAt) return 0;
    // the driver closes the main window as a user would; without it, SIGTERM runs the same close
    if (this.withDriver) await this.driver("close").catch(() => this.child?.kill("SIGTERM"));
    else this.child.kill("SIGTERM");
    await waitFor("Anki exit", () => this.exitedAt !== undefined, timeoutMs, 20).catch(() => undefined);
    await stopPid(this.child);
    return Date.now() - started;
  }

  /** Waits for Anki to exit on its own (after a close the test drives step by step). */
  async waitExit(timeoutMs = 60_000): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    this.browser = undefined;
    await waitFor("Anki exit", () => this.exitedAt !== undefined, timeoutMs);
  }

  async kill(): Promise<void> {
    this.endAway();
    await this.browser?.close().catch(() => undefined);
    this.browser = undefined;
    await stopPid(this.child, 2000);
  }

  stdout(): string {
    return existsSync(this.stdoutPath) ? readFileSync(this.stdoutPath, "utf8") : "";
  }

  /** Keeps logs and a screenshot of every add-on page for a failed test. */
  async keepEvidence(name: string): Promise<void> {
    const dir = join(RESULTS, name.replace(/[^A-Za-z0-9_-]+/g, "_"));
    mkdirSync(dir, { recursive: true });
    if (existsSync(this.stdoutPath)) cpSync(this.stdoutPath, join(dir, "anki-stdout.log"));
    if (existsSync(this.server.log)) cpSync(this.server.log, join(dir, "server.log"));
    if (existsSync(this.logPath)) cpSync(this.logPath, join(dir, "flipnem-sync.log"));
    if (existsSync(this.storePath())) cpSync(this.storePath(), join(dir, "store.json"));
    try {
      // what Python holds for the page (journal, running syncs), before anything that may hang
      writeFileSync(join(dir, "product.json"), JSON.stringify(await this.driver("product"), null, 2));
    } catch {
      /* Anki may already be gone */
    }
    try {
      for (const [i, page] of (await this.pages()).entries()) {
        if (isAddonPage(page.url())) await page.screenshot({ path: join(dir, `page-${i}.png`), timeout: 5000 });
      }
      writeFileSync(join(dir, "windows.json"), JSON.stringify(await this.driver("windows"), null, 2));
    } catch {
      /* Anki may already be gone */
    }
  }
}

export type HistoryEntry = {
  kind: string;
  trigger: string;
  outcome: string;
  startedAt: number;
  durationMs: number;
  message?: string;
  serverMessage?: string;
  counts?: string;
  skippedReason?: string;
};

/** Waits until the add-on's persisted history has an entry matching `match`. */
export async function waitForHistory(
  anki: Anki,
  match: Partial<HistoryEntry>,
  timeoutMs = 60_000,
  after = 0,
  profile = anki.profile,
): Promise<HistoryEntry> {
  return waitFor(
    `history entry ${JSON.stringify(match)} (${profile})`,
    async () =>
      (await anki.history(profile)).find(
        (e) => e.startedAt >= after && Object.entries(match).every(([k, v]) => (e as Record<string, unknown>)[k] === v),
      ),
    timeoutMs,
    250,
  );
}

/** A 1x1 PNG, so a media file is a real image. */
export const PNG_HEX =
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
  "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e1dc7f2d0000000049454e44ae426082";

/** A fresh server account holding `notes` notes from another device; returns that device's collection path. */
export async function seedAccount(
  server: SyncServer,
  notes = 1,
  col = join(tempDir("device"), "collection.anki2"),
): Promise<string> {
  await py(["seed-server", "--endpoint", server.endpoint, "--user", USER, "--col", col, "--notes", String(notes)]);
  return col;
}

export async function device(col: string, server: SyncServer, args: string[]): Promise<Record<string, unknown>> {
  const [cmd, ...rest] = args;
  return py([cmd ?? "sync", "--endpoint", server.endpoint, "--user", USER, "--col", col, ...rest]);
}
