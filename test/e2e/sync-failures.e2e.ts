// Failures never raise a window: they are recorded and retried, and a close is bounded.
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { Anki, EXIT_MARGIN_S, PNG_HEX, device, py, seedAccount, sleep, waitFor, waitForHistory } from "./harness";
import { useWorld } from "./world";

// 1 minute of schedule (and of backoff) takes 3 s: only the Qt timers are scaled
const SCALE = { FLIPNEM_TIMER_SCALE: "0.05" };
const CLOSE_BOUND = 6;

/** The page's script never returns again. */
async function hang(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      void setTimeout(() => {
        for (;;) {
          /* hung */
        }
      }, 0),
  );
}

/** Crashes the sidebar's page (as a renderer crash does) and returns the fresh page Python loads in its place. */
async function crashSidebar(anki: Anki): Promise<Page> {
  const page = await anki.sidebar();
  await page.evaluate(() => ((window as unknown as { beforeCrash: boolean }).beforeCrash = true));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Page.crash").catch(() => undefined);
  // a new page, not the crashed one, says hello again
  return waitFor(
    "a fresh sidebar page",
    async () => {
      for (const candidate of await anki.pages()) {
        if (!candidate.url().includes("#sidebar")) continue;
        const fresh = await candidate
          .evaluate(() => !(window as unknown as { beforeCrash?: boolean }).beforeCrash)
          .catch(() => false);
        if (fresh) return candidate;
      }
      return undefined;
    },
    30_000,
  );
}

/** Waits until Python runs a collection sync, or no longer does. */
async function collectionRunning(anki: Anki, running: boolean, timeoutMs: number): Promise<void> {
  await waitFor(
    running ? "a collection sync running" : "the collection sync ended",
    async () => (await anki.driver<{ collectionRunning: boolean }>("product")).collectionRunning === running,
    timeoutMs,
    50,
  );
}

/** Waits for the window a slow close shows, and presses its Skip, as a user would. */
async function clickSkip(anki: Anki): Promise<void> {
  await waitFor(
    "the Skip window",
    async () =>
      (await anki.driver<Array<{ title: string; text: string }>>("windows")).some((w) =>
        w.text.includes("before Anki closes"),
      ),
    CLOSE_BOUND * 1000,
    100,
  );
  expect(await anki.driver("clickButton", { text: "Skip" })).toMatchObject({ clicked: true });
}

describe("failures and recovery", () => {
  const world = useWorld();
  const { server, proxy } = world;
  let anki: Anki;
  let other: string;

  beforeAll(async () => {
    other = await seedAccount(server, 1);
    anki = world.anki(true);
    // a retry waits for a safe point: the user has left Anki alone for idleSeconds (the shortest allowed here)
    await anki.seed({ seed: ["--minutes", "1", "--close-bound", String(CLOSE_BOUND), "--config", "idleSeconds=10"] });
  });

  it("server down at open: Anki opens with no dialog, and backoff syncs once the server is back", async () => {
    onTestFailed(() => anki.keepEvidence("down-at-open"));
    proxy.mode = "refuse";
    const launched = Date.now();
    await anki.launch(SCALE);
    const failed = await waitForHistory(
      anki,
      { kind: "collection", trigger: "open", outcome: "networkError" },
      60_000,
      launched,
    );
    expect(await anki.unexpectedWindows()).toEqual([]);
    proxy.mode = "forward";
    await waitForHistory(anki, { kind: "collection", trigger: "retry", outcome: "ok" }, 60_000, failed.startedAt);
    expect(await anki.unexpectedWindows()).toEqual([]);
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
  });

  it("periodic media: a file added while Anki stays open reaches the server with no click, sidebar hidden", async () => {
    onTestFailed(() => anki.keepEvidence("periodic-media"));
    expect((await anki.driver<{ visible: boolean }>("dock")).visible).toBe(false);
    const { name } = await anki.driver<{ name: string }>("addMedia", { name: "periodic.png", data_hex: PNG_HEX });
    const added = Date.now();
    await waitForHistory(anki, { kind: "media", trigger: "periodic", outcome: "ok" }, 30_000, added);
    expect(await device(other, server, ["sync", "--media", "--media-name", name])).toMatchObject({
      mediaPresent: true,
    });
    // Anki's own timer fires too, but its periodic media sync does not start beside the add-on's
    expect(await anki.driver("nativePeriodicTick")).toMatchObject({ nativePeriodicMedia: 0, nativeMediaStart: 0 });
  });

  it("server down during periodic media: no window, the failure is recorded, the next interval succeeds", async () => {
    onTestFailed(() => anki.keepEvidence("periodic-down"));
    proxy.mode = "refuse";
    const downAt = Date.now();
    const failed = await waitForHistory(
      anki,
      { kind: "media", trigger: "periodic", outcome: "networkError" },
      30_000,
      downAt,
    );
    expect(await anki.unexpectedWindows()).toEqual([]);
    const { name } = await anki.driver<{ name: string }>("addMedia", { name: "after-outage.png", data_hex: PNG_HEX });
    proxy.mode = "forward";
    await waitForHistory(anki, { kind: "media", trigger: "periodic", outcome: "ok" }, 30_000, failed.startedAt + 1);
    expect(await device(other, server, ["sync", "--media", "--media-name", name])).toMatchObject({
      mediaPresent: true,
    });
    expect(await anki.unexpectedWindows()).toEqual([]);
  });

  it("Sync pressed during an automatic sync runs right after it, never beside it", async () => {
    onTestFailed(() => anki.keepEvidence("press-during-auto"));
    proxy.delayMs = 400;
    await anki.driver("addMedia", { name: "slow.png", data_hex: PNG_HEX });
    await waitFor(
      "a periodic media sync running",
      async () => (await anki.driver<{ mediaRunning: boolean }>("product")).mediaRunning,
      30_000,
      50,
    );
    const pressed = Date.now();
    await anki.driver("pressSync");
    const button = await waitForHistory(
      anki,
      { kind: "collection", trigger: "button", outcome: "ok" },
      60_000,
      pressed - 10_000,
    );
    proxy.delayMs = 0;
    const media = (await anki.history()).filter(
      (e) => e.kind === "media" && e.trigger === "periodic" && e.startedAt <= pressed,
    );
    const last = media[media.length - 1]!;
    expect(button.startedAt).toBeGreaterThanOrEqual(last.startedAt + last.durationMs);
    // and as the server saw it: the media sync and the button's sync never overlapped
    expect(
      server
        .syncSessions()
        .filter((s) => s.end >= pressed - 10_000)
        .some((s) => s.media),
    ).toBe(true);
    expect(server.overlappingSyncs(pressed - 10_000)).toEqual([]);
  });

  it("a crashed page is reloaded by Python and the orchestrator resumes", async () => {
    onTestFailed(() => anki.keepEvidence("page-crash"));
    const page = await anki.sidebar();
    // paused until Anki restarts: a crash of the page is not a restart of Anki
    // the sidebar is hidden in this file, so the box is clicked from inside the page
    await page.evaluate(() => document.querySelector<HTMLInputElement>('[data-testid="pause"]')?.click());
    await waitFor("paused", () => page.getByTestId("pause").isChecked(), 5000);
    const reloaded = await crashSidebar(anki);
    await waitFor(
      "sidebar ready",
      async () => (await anki.driver<{ pageReady: boolean }>("product")).pageReady,
      30_000,
    );
    await reloaded.getByTestId("version").waitFor({ state: "attached", timeout: 15_000 });
    await waitFor("still paused", () => reloaded.getByTestId("pause").isChecked(), 10_000);
    await reloaded.evaluate(() => document.querySelector<HTMLInputElement>('[data-testid="pause"]')?.click());
    await waitFor("resumed", async () => !(await reloaded.getByTestId("pause").isChecked()), 5000);
    const pressed = Date.now();
    await anki.driver("pressSync");
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 30_000, pressed);
    // the history from before the crash is still there
    expect((await anki.history()).some((e) => e.trigger === "open")).toBe(true);
    expect(await anki.unexpectedWindows()).toEqual([]);
  });

  it("a Sync pressed behind a running sync still runs when the page crashes before it", async () => {
    onTestFailed(() => anki.keepEvidence("press-across-crash"));
    const savedPress = async () => (await anki.driver<{ handedQueue?: string }>("product")).handedQueue ?? undefined;
    proxy.delayMs = 700;
    const pressed = Date.now();
    await anki.driver("pressSync");
    await collectionRunning(anki, true, 30_000);
    await anki.driver("pressSync");
    // the second press waits in the page, and is in the snapshot Python holds before the page goes
    await waitFor("the queued press saved", async () => (await savedPress()) === "button", 10_000, 50);
    await crashSidebar(anki);
    proxy.delayMs = 0;
    const first = await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 60_000, pressed);
    const second = await waitForHistory(
      anki,
      { kind: "collection", trigger: "button", outcome: "ok" },
      60_000,
      first.startedAt + 1,
    );
    expect(second.startedAt).toBeGreaterThanOrEqual(first.startedAt + first.durationMs);
    // the add-on ran both, one after the other, as the server saw them
    expect(server.overlappingSyncs(pressed)).toEqual([]);
    expect(await savedPress()).toBeUndefined();
    expect(await anki.unexpectedWindows()).toEqual([]);
  });

  it("a sync that ends while no page is up is in the history the next page keeps", async () => {
    onTestFailed(() => anki.keepEvidence("end-while-down"));
    proxy.delayMs = 700;
    const pressed = Date.now();
    await anki.driver("pressSync");
    await collectionRunning(anki, true, 30_000);
    // the page goes and the next one cannot say hello until the sync has ended
    const held = (await anki.driver<{ hellosHeld: number }>("product")).hellosHeld;
    await anki.driver("holdSidebar", { hold: true });
    proxy.delayMs = 0;
    await collectionRunning(anki, false, 60_000);
    // the next page is up and was refused, so only the page started on release says hello
    await waitFor(
      "the held page's hello refused",
      async () => (await anki.driver<{ hellosHeld: number }>("product")).hellosHeld > held,
      30_000,
    );
    expect((await anki.driver<{ pageReady: boolean }>("product")).pageReady).toBe(false);
    await anki.driver("holdSidebar", { hold: false });
    const ended = await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 30_000, pressed);
    // and the queue it held is free again: the next press runs
    const again = Date.now();
    await anki.driver("pressSync");
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 30_000, again);
    expect(ended.startedAt).toBeLessThan(again);
    expect(server.overlappingSyncs(pressed)).toEqual([]);
    expect(await anki.unexpectedWindows()).toEqual([]);
  });

  it("a page started again while a sync is failing shows the failure and retries it once the server is back", async () => {
    onTestFailed(() => anki.keepEvidence("page-restart-retry"));
    proxy.mode = "refuse";
    const pressed = Date.now();
    await anki.driver("pressSync");
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "networkError" }, 30_000, pressed);
    // the page starts again: the retry the old page had planned is gone with it
    const sidebar = await anki.sidebar();
    await sidebar.evaluate(() => ((window as unknown as { beforeRestart: boolean }).beforeRestart = true));
    const restarted = Date.now();
    await anki.driver("holdSidebar", { hold: false });
    await waitFor(
      "the page started again",
      () =>
        sidebar.evaluate(() => !(window as unknown as { beforeRestart?: boolean }).beforeRestart).catch(() => false),
      30_000,
    );
    // the new page shows the failure it was told of, in words
    await sidebar.locator('[data-kind="networkError"]').waitFor({ state: "attached", timeout: 10_000 });
    proxy.mode = "forward";
    await waitForHistory(anki, { kind: "collection", trigger: "retry", outcome: "ok" }, 30_000, restarted);
    expect(await anki.unexpectedWindows()).toEqual([]);
  });

  it("a redirect from the server is followed as Anki follows it: the next syncs go to the new address", async () => {
    onTestFailed(() => anki.keepEvidence("redirect"));
    proxy.mode = "forward";
    // the profile syncs through the proxy; the server sends it straight to itself
    await anki.driver("nextReply", { new_endpoint: server.endpoint });
    const pressed = Date.now();
    await anki.driver("pressSync");
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 30_000, pressed);
    expect(await anki.driver("profile")).toMatchObject({ currentSyncUrl: server.endpoint });
    // the old address is down now, and syncing goes on
    proxy.mode = "refuse";
    await anki.driver("addNote", { front: "after the redirect", back: "" });
    const again = Date.now();
    await anki.driver("pressSync");
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 30_000, again);
    expect(await device(other, server, ["sync", "--query", '"front:after the redirect"'])).toMatchObject({ found: 1 });
    // back through the proxy for the tests that follow
    await anki.driver("setProfile", { values: { currentSyncUrl: null } });
    proxy.mode = "forward";
  });

  for (const mode of ["refuse", "silent"] as const) {
    it(`close with the server ${mode === "refuse" ? "down" : "never answering"}: delayed at most the bound, and the review syncs at the next open`, async () => {
      onTestFailed(() => anki.keepEvidence(`close-${mode}`));
      if (!anki.child || anki.exitedAt) await anki.launch(SCALE);
      const front = `unsynced at close ${mode}`;
      await anki.driver("addNote", { front, back: "" });
      await anki.driver("answerCard", { ease: 3 });
      const reviews = (await anki.driver<{ count: number }>("reviews")).count;
      proxy.mode = mode;
      const closeStarted = Date.now() / 1000;
      const tookMs = await anki.close(120_000);
      const lastClose = (await anki.storeData()).lastClose as { waitedSeconds: number; reason: string; at: number };
      // this close's own record, not an earlier one
      expect(lastClose.at).toBeGreaterThanOrEqual(closeStarted);
      expect(lastClose.waitedSeconds).toBeLessThanOrEqual(CLOSE_BOUND + 3);
      // and what the user waits for: Anki gone (its own unload included)
      expect(tookMs).toBeLessThan((CLOSE_BOUND + EXIT_MARGIN_S) * 1000);
      // nothing was lost: the note and the review are in the local collection
      const local = await py(["local", "--col", anki.collectionPath, "--query", `"front:${front}"`]);
      expect(local).toMatchObject({ found: 1, reviews });
      proxy.mode = "forward";
      const launched = Date.now();
      await anki.launch(SCALE);
      await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" }, 60_000, launched);
      expect(await device(other, server, ["sync", "--query", `"front:${front}"`])).toMatchObject({ found: 1, reviews });
    });
  }

  it("a close waiting on a silent server offers Skip in its own window; Skip lets Anki close at once", async () => {
    onTestFailed(() => anki.keepEvidence("close-skip"));
    if (!anki.child || anki.exitedAt) await anki.launch(SCALE);
    await anki.driver("addNote", { front: "skipped at close", back: "" });
    proxy.mode = "silent";
    const closeStarted = Date.now() / 1000;
    await anki.driver("close");
    await clickSkip(anki);
    await anki.waitExit(30_000);
    const lastClose = (await anki.storeData()).lastClose as { waitedSeconds: number; reason: string; at: number };
    expect(lastClose.at).toBeGreaterThanOrEqual(closeStarted);
    expect(lastClose.reason).toBe("skipped");
    expect(lastClose.waitedSeconds).toBeLessThan(CLOSE_BOUND);
    proxy.mode = "forward";
    const launched = Date.now();
    await anki.launch(SCALE);
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" }, 60_000, launched);
    expect(await device(other, server, ["sync", "--query", '"front:skipped at close"'])).toMatchObject({ found: 1 });
  });

  it("waits no longer than it must: a close with a healthy server continues as soon as the sync is done", async () => {
    await sleep(500);
    const closeStarted = Date.now();
    await anki.close();
    const lastClose = (await anki.storeData()).lastClose as { waitedSeconds: number; reason: string };
    expect(lastClose.reason).toBe("synced");
    expect(lastClose.waitedSeconds).toBeLessThan(CLOSE_BOUND);
    // no longer than the close sync and its media took, give or take the state write
    const history = (await anki.history()).filter((e) => e.trigger === "close" && e.startedAt >= closeStarted);
    const synced = history.reduce((ms, e) => ms + e.durationMs, 0);
    expect(history.map((e) => e.kind)).toContain("collection");
    expect(lastClose.waitedSeconds * 1000).toBeLessThanOrEqual(synced + 1000);
  });

  it("a trickling server at close: Anki goes on at the total cap, Skip offered meanwhile; the rest syncs at the next open", async () => {
    onTestFailed(() => anki.keepEvidence("close-trickle"));
    const TOTAL = 12;
    anki.setConfig({ closeTotalSeconds: TOTAL });
    await anki.launch(SCALE);
    await waitFor("page ready", async () => (await anki.driver<{ pageReady: boolean }>("product")).pageReady, 30_000);
    // a file every few tenths of a second: never long without progress, far longer than the cap in all
    proxy.bytesPerSecond = 40_000;
    const files = 150;
    await anki.driver("addMediaFiles", { prefix: "trickle-", count: files, size: 4000 });
    const closeStarted = Date.now();
    await anki.driver("close");
    await waitFor(
      "the Skip window",
      async () =>
        (await anki.driver<Array<{ text: string }>>("windows")).some((w) => w.text.includes("before Anki closes")),
      10_000,
    );
    await anki.waitExit((TOTAL + 30) * 1000);
    const lastClose = (await anki.storeData()).lastClose as { waitedSeconds: number; reason: string; at: number };
    expect(lastClose.at * 1000).toBeGreaterThanOrEqual(closeStarted - 1000);
    // the cap ended it, not the bound: progress kept coming
    expect(lastClose.reason).toBe("cap");
    expect(lastClose.waitedSeconds).toBeGreaterThanOrEqual(TOTAL);
    // the cap, the aborted sync letting go (2 s at most), the state write (1 s), and Anki's own exit
    expect((anki.exitedAt! - closeStarted) / 1000).toBeLessThan(TOTAL + 8);
    proxy.bytesPerSecond = 0;
    anki.setConfig({ closeTotalSeconds: 120 });
    const launched = Date.now();
    await anki.launch(SCALE);
    await waitForHistory(anki, { kind: "media", trigger: "open", outcome: "ok" }, 60_000, launched);
    expect(await device(other, server, ["sync", "--media", "--media-prefix", "trickle-"])).toMatchObject({
      mediaFiles: files,
    });
    await anki.close();
  });

  it("close with a hung page: Python lets the close go on by itself within the bound, and nothing is lost", async () => {
    onTestFailed(() => anki.keepEvidence("close-hung-page"));
    const launched = Date.now();
    await anki.launch(SCALE);
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" }, 60_000, launched);
    const front = "unsynced behind a hung page";
    await anki.driver("addNote", { front, back: "" });
    const page = await anki.sidebar();
    await hang(page);
    const closeStarted = Date.now() / 1000;
    await anki.close(120_000);
    const lastClose = (await anki.storeData()).lastClose as { waitedSeconds: number; reason: string; at: number };
    expect(lastClose.at).toBeGreaterThanOrEqual(closeStarted);
    expect(lastClose.reason).toBe("bound");
    expect(lastClose.waitedSeconds).toBeLessThanOrEqual(CLOSE_BOUND + 3);
    expect(await py(["local", "--col", anki.collectionPath, "--query", `"front:${front}"`])).toMatchObject({
      found: 1,
    });
    const relaunched = Date.now();
    await anki.launch(SCALE);
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" }, 60_000, relaunched);
    expect(await device(other, server, ["sync", "--query", `"front:${front}"`])).toMatchObject({ found: 1 });
    await anki.close();
  });

  it("Skip works with a hung page too: Python lets the close go on a second after the click", async () => {
    onTestFailed(() => anki.keepEvidence("skip-hung-page"));
    const launched = Date.now();
    await anki.launch(SCALE);
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" }, 60_000, launched);
    const page = await anki.sidebar();
    await hang(page);
    const closeStarted = Date.now() / 1000;
    await anki.driver("close");
    await clickSkip(anki);
    await anki.waitExit(30_000);
    const lastClose = (await anki.storeData()).lastClose as { waitedSeconds: number; reason: string; at: number };
    expect(lastClose.at).toBeGreaterThanOrEqual(closeStarted);
    // the page could not answer, so Python went on by itself, well before the bound
    expect(lastClose.reason).toBe("skipped");
    expect(lastClose.waitedSeconds).toBeLessThan(CLOSE_BOUND - 1);
  });

  it("when the network comes back, the waiting retry runs at once instead of at its backoff time", async () => {
    onTestFailed(() => anki.keepEvidence("network-back"));
    // the schedule at half speed: the user counts as away 20 s after their last input, and the
    // first retry would come 48 to 72 s after the failure, far from "at once" on a loaded machine
    await anki.launch({ FLIPNEM_TIMER_SCALE: "2" });
    await waitFor("page ready", async () => (await anki.driver<{ pageReady: boolean }>("product")).pageReady, 30_000);
    proxy.mode = "refuse";
    const pressed = Date.now();
    await anki.driver("pressSync");
    const failed = await waitForHistory(
      anki,
      { kind: "collection", trigger: "button", outcome: "networkError" },
      60_000,
      pressed,
    );
    // a retry waits for a safe point anyway: the user is away before the network drops
    await waitFor(
      "the user away",
      async () => (await anki.driver<{ activity: [string, boolean] | null }>("product")).activity?.[1] === true,
      40_000,
    );
    await anki.driver("network", { online: false });
    proxy.mode = "forward";
    const back = Date.now();
    await anki.driver("network", { online: true });
    const retry = await waitForHistory(anki, { kind: "collection", trigger: "retry", outcome: "ok" }, 15_000, back);
    expect(retry.startedAt - back).toBeLessThan(15_000);
    expect(retry.startedAt - failed.startedAt).toBeLessThan(47_000);
    // Qt tells this Anki both: nothing is named missing
    const page = await anki.sidebar();
    await expect(page.locator("[data-testid^=missing-]").count()).resolves.toBe(0);
    await anki.close();
  });

  it("where Qt has no network information, the sidebar says in a line each what it cannot tell, and a retry keeps its backoff", async () => {
    onTestFailed(() => anki.keepEvidence("no-network-info"));
    await anki.launch({ ...SCALE, FLIPNEM_TEST_NO_NETWORK_INFO: "1" });
    const page = await anki.sidebar();
    for (const [feature, says] of [
      ["network", "cannot tell when the network comes back"],
      ["metering", "cannot tell a metered connection"],
    ]) {
      await page
        .getByTestId(`missing-${feature}`)
        .filter({ hasText: says })
        .waitFor({ state: "attached", timeout: 15_000 });
    }
    proxy.mode = "refuse";
    const pressed = Date.now();
    await anki.driver("pressSync");
    const failed = await waitForHistory(
      anki,
      { kind: "collection", trigger: "button", outcome: "networkError" },
      60_000,
      pressed,
    );
    proxy.mode = "forward";
    // no network event can come: the retry runs at its (scaled) backoff time
    await waitForHistory(anki, { kind: "collection", trigger: "retry", outcome: "ok" }, 30_000, failed.startedAt);
    expect(await anki.unexpectedWindows()).toEqual([]);
    await anki.close();
  });
});
