// Within moments, as a user's devices live it: another device changes Flipnem while the user is in
// another application; they come back to Anki; what they stop doing reaches Flipnem seconds later.
// Focus moves as a window manager moves it (a second X client takes it, XSetInputFocus), keys
// enter through the X server (XTest). The other device syncs once, never retrying: a sync of
// Anki's that got in its way would show as its failure.
// Timers ×0.1 where said (two minutes away → 12 s, the first idle check 5 min → 30 s); the
// return's pull itself, the quiet time of the push tests and every network timeout run on real time.
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import {
  Anki,
  EXIT_MARGIN_S,
  PNG_HEX,
  device,
  seedAccount,
  sleep,
  waitFor,
  waitForHistory,
  type HistoryEntry,
} from "./harness";
import { useWorld } from "./world";

const SCALE = 0.1;
const AWAY_MS = 120_000 * SCALE;
/** Flipnem's changes are in Anki this soon after the user is back (the bench gives the exact figure). */
const PULLED_WITHIN_MS = 10_000;
const IDLE_MS = 10_000;
const CLOSE_BOUND = 6;

interface Product {
  collectionRunning: boolean;
  trigger: string | null;
}

/** When a sync ended, by its history entry. */
const ended = (e: HistoryEntry) => e.startedAt + e.durationMs;
const shown = async (anki: Anki) => anki.driver<{ state: string; cardId: number | null }>("shownCard");
const state = async (anki: Anki) => (await anki.driver<{ state: string }>("state")).state;
const found = async (anki: Anki, query: string) => (await anki.driver<{ count: number }>("findNotes", { query })).count;
const media = async (anki: Anki) =>
  Object.keys((await anki.driver<{ media: Record<string, string> }>("inventory")).media);

interface Change {
  sync: string;
  media: string;
  reviewed: number[];
  syncedAt: number;
}

describe("back in Anki after a while away (timers ×0.1)", () => {
  const world = useWorld();
  const { server } = world;
  let anki: Anki;
  let other: string;

  beforeAll(async () => {
    other = await seedAccount(server, 30);
    anki = world.anki();
    await anki.seed();
    await anki.launch({ FLIPNEM_TIMER_SCALE: String(SCALE) });
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" });
  });

  /** Anki is the active application on `place`, the user there a moment ago: the idle checks start over. */
  async function hereOn(place: "deckBrowser" | "study"): Promise<void> {
    await anki.back();
    await anki.driver(place);
    if (place === "study") await waitFor("the reviewer", async () => (await shown(anki)).cardId, 10_000);
    await anki.driver("userInput");
    await sleep(300);
  }

  it("on the deck list: the note, its image and five reviews are in Anki within seconds, and Study Now shows them reviewed", async () => {
    onTestFailed(() => anki.keepEvidence("moments-return"));
    await hereOn("deckBrowser");
    const awayAt = await anki.away();
    const change = (await device(other, server, [
      "change",
      "--front",
      "from the phone, with a picture",
      "--media-name",
      "phone-picture.jpg",
      "--review",
      "5",
      "--no-retry",
    ])) as unknown as Change;
    expect(change.sync).toBe("ok");
    expect(change.reviewed).toHaveLength(5);
    const metaAfterOther = server.requests("/sync/meta");
    await sleep(Math.max(0, awayAt + AWAY_MS + 1000 - Date.now()));
    // nothing asked Flipnem while the user was away: the pull below is the return's, not a clock's
    expect(server.requests("/sync/meta")).toBe(metaAfterOther);
    const backAt = await anki.back();
    const pulled = await waitForHistory(anki, { kind: "collection", trigger: "return", outcome: "ok" }, 10_000, backAt);
    const reviewed = `cid:${change.reviewed.join(",")} -is:new`;
    await waitFor(
      "the note, its picture and the five reviews in Anki",
      async () =>
        (await found(anki, '"front:from the phone, with a picture"')) === 1 &&
        (await found(anki, reviewed)) === 5 &&
        (await media(anki)).includes(change.media),
      PULLED_WITHIN_MS,
      100,
    );
    const inAnki = Date.now() - backAt;
    console.log(`back in Anki: the pull started ${pulled.startedAt - backAt} ms after, all of it in ${inAnki} ms`);
    expect(inAnki).toBeLessThan(PULLED_WITHIN_MS);
    // Study Now a second after coming back: the cards answered on the phone are not asked again
    await sleep(Math.max(0, backAt + 1000 - Date.now()));
    await anki.keys(["s", "s"]);
    await waitFor("the reviewer", async () => (await shown(anki)).cardId, 10_000);
    const card = (await shown(anki)).cardId!;
    expect(change.reviewed).not.toContain(card);
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
    expect(await anki.unexpectedWindows()).toEqual([]);
    await anki.driver("deckBrowser");
  });

  it("into the reviewer: the card shown stays and nothing syncs until the user leaves the reviewer", async () => {
    onTestFailed(() => anki.keepEvidence("moments-return-reviewer"));
    await hereOn("study");
    const card = (await shown(anki)).cardId;
    const awayAt = await anki.away();
    const change = (await device(other, server, [
      "change",
      "--front",
      "from the phone, while a card was shown",
      "--media-name",
      "phone-reviewer.jpg",
      "--no-retry",
    ])) as unknown as Change;
    expect(change.sync).toBe("ok");
    await sleep(Math.max(0, awayAt + AWAY_MS + 1000 - Date.now()));
    const meta = server.requests("/sync/meta");
    const entries = (await anki.history()).length;
    const backAt = await anki.back();
    await sleep(4000);
    expect(await shown(anki)).toEqual({ state: "review", cardId: card });
    expect(server.requests("/sync/meta")).toBe(meta);
    expect((await anki.history()).length).toBe(entries);
    // the user leaves the reviewer: Flipnem's changes come in at the deck list
    const [left] = await anki.keys(["d"]);
    await waitFor("the deck list", async () => (await state(anki)) === "deckBrowser", 5000);
    const pulled = await waitForHistory(anki, { kind: "collection", outcome: "ok" }, 20_000, backAt);
    expect(pulled.startedAt).toBeGreaterThanOrEqual(left!);
    // whichever automatic sync goes first brings them (a background one carries them too)
    expect(["pull", "return", "background"]).toContain(pulled.trigger);
    expect(await found(anki, '"front:from the phone, while a card was shown"')).toBe(1);
  });
});

describe("a return pull stalled by the network gives way to the user (timers ×0.1, behind a proxy)", () => {
  const world = useWorld();
  const { proxy } = world;
  let anki: Anki;
  let other: string;

  beforeAll(async () => {
    other = await seedAccount(world.server, 3);
    anki = world.anki(true);
    await anki.seed({ seed: ["--close-bound", String(CLOSE_BOUND)] });
    await anki.launch({ FLIPNEM_TIMER_SCALE: String(SCALE), FLIPNEM_TEST_HEARTBEAT: "1" });
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" });
  });

  it("the first key after its first second stops it within 2.5 s, and Anki acts on the key", async () => {
    onTestFailed(() => anki.keepEvidence("moments-give-way"));
    await anki.back();
    await anki.driver("deckBrowser");
    await anki.driver("userInput");
    const awayAt = await anki.away();
    await device(other, world.server, ["add-note", "--front", "pulled after giving way", "--sync"]);
    await sleep(Math.max(0, awayAt + AWAY_MS + 1000 - Date.now()));
    proxy.mode = "silent";
    let pressed = 0;
    try {
      const backAt = await anki.back();
      await waitFor(
        "the return's pull, stalled",
        async () => (await anki.driver<Product>("product")).trigger === "return",
        10_000,
        50,
      );
      // the first key comes after the pull's first second: the return's own input is past
      await sleep(Math.max(0, backAt + 1500 - Date.now()));
      await anki.driver("stall"); // from here, the longest the main thread went unanswered
      pressed = (await anki.keys(["s"]))[0]!;
      await waitFor("the deck's overview", async () => (await state(anki)) === "overview", 2500, 50);
      const stopped: HistoryEntry = await waitForHistory(
        anki,
        { kind: "collection", trigger: "return" },
        10_000,
        backAt,
      );
      expect(stopped.outcome).toBe("aborted");
      expect(ended(stopped) - pressed).toBeLessThan(2500);
      const { longestMs } = await anki.driver<{ longestMs: number }>("stall");
      console.log(`gave way ${ended(stopped) - pressed} ms after the key; main thread's longest gap ${longestMs} ms`);
      expect(longestMs).toBeLessThan(2500);
    } finally {
      proxy.mode = "forward";
    }
    // it finishes at the next safe point: the deck's overview, once the user leaves Anki alone
    await waitForHistory(anki, { kind: "collection", trigger: "pull", outcome: "ok" }, 30_000, pressed);
    expect(await found(anki, '"front:pulled after giving way"')).toBe(1);
  });

  it("closing Anki while an idle check hangs on the network exits within the close bound", async () => {
    onTestFailed(() => anki.keepEvidence("moments-close-during-check"));
    await anki.driver("deckBrowser");
    await sleep(1500); // left alone for the (scaled) idle time: a safe point
    proxy.mode = "silent";
    try {
      const fired = Date.now();
      expect(await anki.driver("fireWakeup", { name: "statusCheck" })).toMatchObject({ fired: true });
      await waitFor(
        "the check, hanging",
        async () => (await anki.driver<Product>("product")).trigger === "pull",
        10_000,
        50,
      );
      const closeStarted = Date.now();
      const tookMs = await anki.close(120_000);
      console.log(`Anki exited ${tookMs} ms after the close began, an idle check hanging (bound ${CLOSE_BOUND} s)`);
      const lastClose = (await anki.storeData()).lastClose as { waitedSeconds: number; at: number };
      expect(lastClose.at).toBeGreaterThanOrEqual(closeStarted / 1000);
      expect(lastClose.waitedSeconds).toBeLessThanOrEqual(CLOSE_BOUND + 3);
      // what the user waits for: Anki gone, not only the add-on's own record of its wait
      expect(tookMs).toBeLessThan((CLOSE_BOUND + EXIT_MARGIN_S) * 1000);
      // the check gave way to the close at once; the close sync ran in its place
      const history = await anki.history();
      const check = history.find((e) => e.trigger === "pull" && e.startedAt >= fired && e.startedAt < closeStarted);
      expect(check?.outcome).toBe("aborted");
      expect(ended(check!) - closeStarted).toBeLessThan(2000);
      expect(history.some((e) => e.kind === "collection" && e.trigger === "close")).toBe(true);
    } finally {
      proxy.mode = "forward";
    }
  });
});

describe("this device's changes reach Flipnem seconds after the user stops (real time, default settings)", () => {
  const world = useWorld();
  const { server } = world;
  let anki: Anki;
  let other: string;

  beforeAll(async () => {
    other = await seedAccount(server, 30);
    anki = world.anki();
    await anki.seed();
    await anki.launch();
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" });
  });

  const reviewsOnServer = async () => (await device(other, server, ["sync"])).reviews as number;

  /** Three cards answered from the keyboard, then `d`: returns when the last key went. */
  async function threeReviews(): Promise<number> {
    await anki.back();
    await anki.driver("study");
    await waitFor("the reviewer", async () => (await shown(anki)).cardId, 10_000);
    await anki.keys(["space", "3", "space", "3", "space", "3"], 300);
    const [back] = await anki.keys(["d"]);
    await waitFor("the deck list", async () => (await state(anki)) === "deckBrowser", 5000);
    return back!;
  }

  it("no input after three reviews: on Flipnem within the quiet time and 10 s", async () => {
    onTestFailed(() => anki.keepEvidence("moments-push-stop"));
    const before = await reviewsOnServer();
    const stopped = await threeReviews();
    const pushed = await waitForHistory(
      anki,
      { kind: "collection", trigger: "background", outcome: "ok" },
      40_000,
      stopped,
    );
    console.log(`pushed: on Flipnem ${ended(pushed) - stopped} ms after the last key`);
    expect(pushed.startedAt - stopped).toBeGreaterThanOrEqual(IDLE_MS - 250);
    expect(ended(pushed) - stopped).toBeLessThan(IDLE_MS + 10_000);
    expect(await reviewsOnServer()).toBe(before + 3);
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
  });

  it("Anki left for another application after three reviews: on Flipnem within 10 s", async () => {
    onTestFailed(() => anki.keepEvidence("moments-push-leave"));
    const before = await reviewsOnServer();
    const stopped = await threeReviews();
    const awayAt = await anki.away();
    const pushed = await waitForHistory(
      anki,
      { kind: "collection", trigger: "background", outcome: "ok" },
      20_000,
      stopped,
    );
    console.log(
      `left Anki: on Flipnem ${ended(pushed) - awayAt} ms after, ${pushed.startedAt - stopped} ms after the last key`,
    );
    expect(ended(pushed) - awayAt).toBeLessThan(10_000);
    // it went because the user left, not because the quiet time passed
    expect(pushed.startedAt - stopped).toBeLessThan(IDLE_MS - 1000);
    expect(await reviewsOnServer()).toBe(before + 3);
    await anki.back();
  });

  it("a note with an image: the note and its file both reach Flipnem", async () => {
    onTestFailed(() => anki.keepEvidence("moments-push-media"));
    await anki.back();
    await anki.driver("deckBrowser");
    const since = Date.now();
    const { name } = await anki.driver<{ name: string }>("addMedia", { name: "made-here.png", data_hex: PNG_HEX });
    await anki.driver("addNoteAsUser", { front: "made here, with a picture", back: `<img src="${name}">` });
    await anki.away();
    await waitForHistory(anki, { kind: "media", outcome: "ok" }, 30_000, since);
    const held = (await device(other, server, [
      "sync",
      "--media",
      "--query",
      '"front:made here, with a picture"',
      "--media-name",
      name,
    ])) as {
      found: number;
      mediaPresent: boolean;
    };
    expect(held).toMatchObject({ found: 1, mediaPresent: true });
    await anki.back();
  });
});

describe("opening Anki: Study Now pressed as soon as the deck list is drawn (real time)", () => {
  const world = useWorld();
  const { server } = world;
  let anki: Anki;
  let other: string;

  beforeAll(async () => {
    other = await seedAccount(server, 30);
    anki = world.anki();
    await anki.seed();
  });

  it("shows no card answered on the other device, and the card shown does not change afterwards", async () => {
    onTestFailed(() => anki.keepEvidence("moments-open"));
    const change = (await device(other, server, [
      "change",
      "--front",
      "from the phone, before Anki opened",
      "--media-name",
      "phone-open.jpg",
      "--review",
      "5",
    ])) as unknown as Change;
    expect(change.reviewed).toHaveLength(5);
    await anki.launch();
    expect(await state(anki)).toBe("deckBrowser");
    await anki.keys(["s", "s"], 50);
    await waitFor("the reviewer", async () => (await shown(anki)).cardId, 20_000, 20);
    const first = await shown(anki);
    expect(change.reviewed).not.toContain(first.cardId);
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" });
    await sleep(3000);
    expect(await shown(anki)).toEqual(first);
    expect(await found(anki, '"front:from the phone, before Anki opened"')).toBe(1);
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
  });
});

describe("nobody touches Anki for two hours (timers ×0.02: an hour is 72 s)", () => {
  const world = useWorld();
  const { server } = world;
  const SLOW = 0.02;
  const HOUR = 3_600_000 * SLOW;
  const minute = (n: number) => n * 60_000 * SLOW;
  let anki: Anki;
  let other: string;

  beforeAll(async () => {
    other = await seedAccount(server, 3);
    anki = world.anki();
    await anki.seed();
    await anki.launch({ FLIPNEM_TIMER_SCALE: String(SLOW) });
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" });
  });

  it("checks thin out (at most 12 in the first hour, 2 an hour after), and a note made at minute 40 comes in at the next check", async () => {
    onTestFailed(() => anki.keepEvidence("moments-idle"));
    // back in Anki (a return, if Anki was not active: its pull goes now), then the user's last input
    // under two scaled minutes later, which is no return: the idle time starts there
    await anki.back();
    await anki.driver("deckBrowser");
    await sleep(1000);
    await anki.driver("userInput");
    const start = Date.now();
    const metaAtStart = server.requests("/sync/meta");
    // the count at the end of the first idle hour, read then whatever the test is waiting for
    const atHour = new Promise<number>((resolve) =>
      setTimeout(() => resolve(server.requests("/sync/meta")), start + HOUR - Date.now()),
    );
    await sleep(start + minute(40) - Date.now());
    await device(other, server, ["add-note", "--front", "made at idle minute 40", "--sync"]);
    const othersMeta = 1;
    const pulled = await waitForHistory(
      anki,
      { kind: "collection", trigger: "pull", outcome: "ok" },
      minute(40),
      start,
    );
    const at = (pulled.startedAt - start) / minute(1);
    console.log(`the note made at idle minute 40 came in at idle minute ${at.toFixed(1)}`);
    // the schedule's checks: 5, 15, 35, 65… minutes after the user was last there
    expect(at).toBeGreaterThan(60);
    expect(at).toBeLessThan(70);
    expect(await found(anki, '"front:made at idle minute 40"')).toBe(1);
    const firstHour = (await atHour) - metaAtStart - othersMeta;
    await sleep(start + 2 * HOUR - Date.now());
    const secondHour = server.requests("/sync/meta") - metaAtStart - othersMeta - firstHour;
    console.log(`requests asking Flipnem: ${firstHour} in the first idle hour, ${secondHour} in the second`);
    expect(firstHour).toBeGreaterThanOrEqual(1);
    expect(firstHour).toBeLessThanOrEqual(12);
    expect(secondHour).toBeLessThanOrEqual(2);
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
  });
});
