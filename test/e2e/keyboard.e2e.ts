// A keyboard user's keys are input: Anki's shortcut keys (`s`, `d`, `a`, `y`) enter through the
// X server (XTest) as a keyboard's do, and a background sync stalled at a safe point gives way
// to each of them before Anki handles the key. Timers ×0.05 (idle 60 s → 3 s); the safe-point
// sync's own network timeout (10 s) is real time, so a key Anki had to wait behind the sync
// would take about that long to act.
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { Anki, seedAccount, waitFor, waitForHistory } from "./harness";
import { useWorld } from "./world";

const SCALE = { FLIPNEM_TIMER_SCALE: "0.05" };
/** A key acts within this of being pressed: far below the stalled sync's 10 s timeout. */
const ANSWERS_WITHIN_MS = 3000;

interface Product {
  collectionRunning: boolean;
  trigger: string | null;
}

interface Win {
  title: string;
  class: string;
  main: boolean;
}

const state = async (anki: Anki) => (await anki.driver<{ state: string }>("state")).state;
const addWindowOpen = async (anki: Anki) => (await anki.driver<Win[]>("windows")).some((w) => w.class === "AddCards");

/** Where each key starts, and what Anki shows once it has handled the key. */
const KEYS: Array<{ key: string; from: "deckBrowser" | "overview"; acted: (anki: Anki) => Promise<boolean> }> = [
  // Study: the deck list's `s` opens the deck's overview
  { key: "s", from: "deckBrowser", acted: async (anki) => (await state(anki)) === "overview" },
  // Decks: from the overview back to the deck list
  { key: "d", from: "overview", acted: async (anki) => (await state(anki)) === "deckBrowser" },
  // Add: the Add window opens
  { key: "a", from: "deckBrowser", acted: addWindowOpen },
  // Sync: Anki's own sync key goes to the add-on's queue, which runs it once the stalled sync has given way
  {
    key: "y",
    from: "deckBrowser",
    acted: async (anki) => (await anki.driver<Product>("product")).trigger === "button",
  },
];

describe("Anki's shortcut keys stop a stalled background sync (timers ×0.05, behind a proxy)", () => {
  const world = useWorld();
  const { proxy } = world;
  let anki: Anki;

  beforeAll(async () => {
    await seedAccount(world.server, 3);
    anki = world.anki(true);
    await anki.seed({ seed: ["--sidebar-visible"] });
    await anki.launch(SCALE);
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" });
  });

  for (const { key, from, acted } of KEYS) {
    it(`\`${key}\` on the ${from === "deckBrowser" ? "deck list" : "overview"}: the sync gives way at once and Anki acts on the key`, async () => {
      onTestFailed(() => anki.keepEvidence(`keyboard-${key}`));
      await anki.driver(from);
      proxy.mode = "silent";
      let pressed = 0;
      try {
        const since = Date.now();
        await anki.driver("addNoteAsUser", { front: `made before \`${key}\``, back: "" });
        await waitFor(
          "a background sync stalled at the safe point",
          async () => (await anki.driver<Product>("product")).collectionRunning,
          30_000,
          50,
        );
        const running = await anki.history();
        pressed = (await anki.keys([key]))[0] ?? Date.now();
        await waitFor(`Anki acting on \`${key}\``, () => acted(anki), 20_000, 50);
        // and the collection is free for the user's next step (Anki's deck list reads it in the background);
        // after `y` the user's own sync holds it, as Anki's own would
        if (key !== "y") await anki.driver("reviews");
        const tookMs = Date.now() - pressed;
        console.log(`\`${key}\`: Anki acted ${tookMs} ms after the key, a stalled background sync running`);
        expect(tookMs).toBeLessThan(ANSWERS_WITHIN_MS);
        // the sync that stalled gave way to the user (it did not run into its timeout)
        const stopped = await waitForHistory(anki, { kind: "collection", trigger: "background" }, 20_000, since);
        expect(stopped.outcome).toBe("aborted");
        expect(running.filter((e) => e.startedAt >= since)).toEqual([]);
        const page = await anki.sidebar();
        expect(await page.getByTestId("history").textContent()).toContain("Gave way to you");
        expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
      } finally {
        proxy.mode = "forward";
        await anki.driver("closeWindow", { title: "Add" });
      }
      // what waited goes once the user leaves Anki alone again
      await anki.driver("deckBrowser");
      await waitForHistory(anki, { kind: "collection", outcome: "ok" }, 60_000, pressed);
    });
  }
});
