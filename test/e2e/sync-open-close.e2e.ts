// Open, close, media and the Sync button: run by the add-on, never by Anki's own auto sync.
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { Anki, PNG_HEX, device, seedAccount, sleep, waitFor, waitForHistory } from "./harness";
import { useWorld } from "./world";

const SCALE = { FLIPNEM_TIMER_SCALE: "0.02" };

describe("open and close", () => {
  const world = useWorld();
  const { server } = world;
  let anki: Anki;
  let other: string;

  beforeAll(async () => {
    other = await seedAccount(server, 2);
    anki = world.anki();
    await anki.seed();
  });

  it("open: a note from another device arrives, with exactly one collection sync by the add-on", async () => {
    onTestFailed(() => anki.keepEvidence("open-sync"));
    await device(other, server, ["add-note", "--front", "from the other device", "--sync"]);
    // a local change too, so the sync exchanges both ways
    await anki.addLocalNote("local before open");
    const before = server.collectionSyncs();
    await anki.launch(SCALE);
    const opened = await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" });
    // what moved, in Anki's own words: the local note (and its card) up, the other device's down
    expect(opened.counts).toMatch(/^Added\/modified: [1-9]\d*↑ [1-9]\d*↓ · Removed: 0↑ 0↓$/);
    expect((await anki.driver<{ count: number }>("findNotes", { query: '"front:from the other device"' })).count).toBe(
      1,
    );
    await sleep(1000);
    expect(server.collectionSyncs() - before).toBe(1);
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0, nativePeriodicMedia: 0 });
    expect(await anki.unexpectedWindows()).toEqual([]);
  });

  it("media: an image in a note reaches the server with a sync", async () => {
    onTestFailed(() => anki.keepEvidence("media-sync"));
    const { name } = await anki.driver<{ name: string }>("addMedia", { name: "flipnem-open.png", data_hex: PNG_HEX });
    await anki.driver("addNote", { front: `picture <img src="${name}">`, back: "" });
    const after = Date.now();
    await anki.driver("pressSync");
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 60_000, after - 5000);
    const media = await waitForHistory(anki, { kind: "media", outcome: "ok" }, 60_000, after);
    expect(media.counts).toMatch(/Added: 1↑ 0↓/);
    // the sidebar shows the same words in its history
    const page = await anki.sidebar();
    await page.getByTestId("history-counts").filter({ hasText: "Added: 1↑ 0↓" }).first().waitFor({ state: "attached" });
    const seen = await device(other, server, ["sync", "--media", "--media-name", name, "--query", '"front:picture*"']);
    expect(seen).toMatchObject({ sync: "ok", found: 1, mediaPresent: true });
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0, nativeMediaStart: 0 });
  });

  it("close: a note added and a card answered in Anki are on the server after a normal close", async () => {
    onTestFailed(() => anki.keepEvidence("close-sync"));
    await anki.driver("addNote", { front: "added before close", back: "b" });
    expect(await anki.driver("answerCard", { ease: 3 })).toMatchObject({ answered: true });
    const reviews = (await anki.driver<{ count: number }>("reviews")).count;
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
    await anki.close();
    const history = await anki.history();
    expect(history.some((e) => e.kind === "collection" && e.trigger === "close" && e.outcome === "ok")).toBe(true);
    const seen = await device(other, server, ["sync", "--query", '"front:added before close"']);
    expect(seen).toMatchObject({ sync: "ok", found: 1 });
    expect(seen.reviews).toBe(reviews);
  });

  it("Sync pressed twice quickly: one sync at a time, and every press answered by a sync that starts after it", async () => {
    onTestFailed(() => anki.keepEvidence("button-twice"));
    const launched = Date.now();
    await anki.launch(SCALE);
    await waitForHistory(anki, { kind: "collection", trigger: "open" }, 60_000, launched);
    await anki.driver("addNote", { front: "press one", back: "" });
    const starts = server.collectionSyncs();
    const presses: number[] = [];
    for (let i = 0; i < 2; i++) {
      presses.push(Date.now());
      await anki.driver("pressSync");
    }
    // presses that arrive during a sync are coalesced into one follow-up, which answers them all
    const buttonSyncs = await waitFor(
      "a button sync after each press",
      async () => {
        const list = (await anki.history()).filter((e) => e.kind === "collection" && e.trigger === "button");
        return presses.every((p) => list.some((e) => e.startedAt >= p && e.outcome === "ok")) ? list : undefined;
      },
      60_000,
    );
    expect(buttonSyncs.filter((e) => e.startedAt >= presses[0]!).length).toBeLessThanOrEqual(2);
    // as the server saw it: never two syncs at once
    expect(server.syncSessions().filter((s) => s.end >= launched).length).toBeGreaterThanOrEqual(2);
    expect(server.overlappingSyncs(launched)).toEqual([]);
    expect(server.collectionSyncs()).toBeGreaterThan(starts);
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
  });

  it("Anki's own Y key goes through the add-on too", async () => {
    onTestFailed(() => anki.keepEvidence("y-key"));
    await anki.driver("addNote", { front: "synced by the Y key", back: "" });
    const pressed = Date.now();
    // the key reached Anki's main window, where its shortcuts act
    expect(await anki.driver("shortcut", { keys: "Y" })).toMatchObject({ active: "AnkiQt" });
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 30_000, pressed);
    expect(await device(other, server, ["sync", "--query", '"front:synced by the Y key"'])).toMatchObject({ found: 1 });
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
  });

  it("a message from Flipnem on a sync the user started shows in Anki's text window, holding nothing up", async () => {
    onTestFailed(() => anki.keepEvidence("server-message"));
    const text = "Flipnem will be down for maintenance tonight.";
    await anki.driver("nextReply", { server_message: text });
    const { name } = await anki.driver<{ name: string }>("addMedia", { name: "with-message.png", data_hex: PNG_HEX });
    await anki.driver("addNote", { front: `message <img src="${name}">`, back: "" });
    const pressed = Date.now();
    await anki.driver("pressSync");
    await waitForHistory(
      anki,
      { kind: "collection", trigger: "button", outcome: "ok", serverMessage: text },
      30_000,
      pressed,
    );
    const shown = await waitFor(
      "the message window",
      async () =>
        (await anki.driver<Array<{ text: string; modal: boolean }>>("windows")).find((w) => w.text.includes(text)),
      10_000,
    );
    expect(shown.modal).toBe(false);
    // the media sync after it ran while the window was still open: nothing waited for the user
    await waitForHistory(anki, { kind: "media", outcome: "ok" }, 30_000, pressed);
    expect((await anki.driver<Array<{ text: string }>>("windows")).some((w) => w.text.includes(text))).toBe(true);
    expect(await anki.driver("clickButton", { text: "Close" })).toMatchObject({ clicked: true });
    // Anki's own progress window for the sync may take a moment to go on a busy machine
    await waitFor("no other window", async () => (await anki.unexpectedWindows()).length === 0, 5000);
  });

  it("background: with the switch on, a note added in Anki reaches Flipnem within moments, once idle", async () => {
    onTestFailed(() => anki.keepEvidence("background-sync"));
    const settings = {
      autoSync: true,
      syncMedia: true,
      periodicMedia: true,
      periodicMediaMinutes: 15,
      backgroundSync: true,
    };
    expect(await anki.saveSettings(settings)).toMatchObject({ ok: true });
    const added = Date.now();
    await anki.driver("addNoteAsUser", { front: "sent in the background", back: "" });
    // two minutes after the last change (scaled), with no click
    await waitForHistory(anki, { kind: "collection", trigger: "background", outcome: "ok" }, 30_000, added);
    expect(await device(other, server, ["sync", "--query", '"front:sent in the background"'])).toMatchObject({
      found: 1,
    });
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
  });

  it("a change made while the sidebar page is loading still goes to Flipnem in the background", async () => {
    onTestFailed(() => anki.keepEvidence("background-page-loading"));
    await anki.driver("holdSidebar", { hold: true });
    await waitFor("sidebar page loading", async () => (await anki.driver("product")).pageReady === false, 10_000);
    const added = Date.now();
    await anki.driver("addNoteAsUser", { front: "changed while the page loads", back: "" });
    await waitFor(
      "the note in Anki",
      async () =>
        (await anki.driver<{ count: number }>("findNotes", { query: '"front:changed while the page loads"' })).count ===
        1,
      10_000,
    );
    await anki.driver("holdSidebar", { hold: false });
    await waitForHistory(anki, { kind: "collection", trigger: "background", outcome: "ok" }, 30_000, added);
    expect(await device(other, server, ["sync", "--query", '"front:changed while the page loads"'])).toMatchObject({
      found: 1,
    });
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
  });

  it("a close that begins before the sidebar page is up waits for the page, then syncs the change", async () => {
    onTestFailed(() => anki.keepEvidence("close-page-loading"));
    // the page that runs the orchestrator starts again and cannot say hello yet
    await anki.driver("holdSidebar", { hold: true });
    await waitFor("sidebar page loading", async () => (await anki.driver("product")).pageReady === false, 10_000);
    await anki.driver("addNote", { front: "added while the page loads", back: "" });
    const closeStarted = Date.now();
    await anki.driver("close");
    await sleep(1000);
    // still open: the close waits for its sync, and nobody can run it yet
    expect(anki.exitedAt).toBeUndefined();
    await anki.driver("holdSidebar", { hold: false });
    await anki.waitExit(30_000);
    const lastClose = (await anki.storeData()).lastClose as { reason: string; at: number };
    expect(lastClose.at * 1000).toBeGreaterThanOrEqual(closeStarted);
    expect(lastClose.reason).toBe("synced");
    await waitForHistory(anki, { kind: "collection", trigger: "close", outcome: "ok" }, 5000, closeStarted);
    expect(await device(other, server, ["sync", "--query", '"front:added while the page loads"'])).toMatchObject({
      found: 1,
    });
  });

  it("a close that comes as a signal while the open waits for its page: Anki closes once the page is up, the change synced", async () => {
    onTestFailed(() => anki.keepEvidence("close-in-open-hold"));
    // the page cannot say hello from the first moment: the profile opens, held until a page decides its open sync
    await anki.launch({ ...SCALE, FLIPNEM_TEST_HOLD_SIDEBAR: "1" });
    expect((await anki.driver("product")).pageReady).toBe(false);
    await anki.driver("addNote", { front: "added while the open waited", back: "" });
    const closeStarted = Date.now();
    anki.child!.kill("SIGTERM"); // as a logout or a shutdown closes Anki
    await waitFor(
      "the close under way",
      async () => (await anki.driver<{ profileOpen?: boolean }>("state")).profileOpen === false,
      10_000,
      20,
    );
    await anki.driver("holdSidebar", { hold: false });
    await anki.waitExit(30_000);
    console.log(`closed ${anki.exitedAt! - closeStarted} ms after the signal, the page held for the first part`);
    const lastClose = (await anki.storeData()).lastClose as { reason: string; at: number };
    expect(lastClose.at * 1000).toBeGreaterThanOrEqual(closeStarted);
    expect(lastClose.reason).toBe("synced");
    await waitForHistory(anki, { kind: "collection", trigger: "close", outcome: "ok" }, 5000, closeStarted);
    expect(await device(other, server, ["sync", "--query", '"front:added while the open waited"'])).toMatchObject({
      found: 1,
    });
  });

  it("a close goes on within its bound when the add-on's own state cannot be written", async () => {
    onTestFailed(() => anki.keepEvidence("close-store-stalled"));
    const launched = Date.now();
    await anki.launch(SCALE);
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" }, 60_000, launched);
    const STALL_MS = 8000;
    await anki.driver("holdStoreWrites", { seconds: STALL_MS / 1000 });
    const started = Date.now();
    await anki.driver("close");
    // Anki closes its collection (state saved, nothing lost) without waiting for the stalled write
    const closedAt = await waitFor(
      "the collection closed",
      async () => {
        const state = await anki.driver<{ hasCol: boolean }>("state").catch(() => ({ hasCol: false }));
        return state.hasCol ? undefined : Date.now();
      },
      30_000,
      50,
    );
    expect(closedAt - started).toBeLessThan(STALL_MS - 2000);
    await anki.waitExit(30_000);
  });
});
