// A keyboard user studies with Space and 1-4 only, then `d` back to the deck list: every one of
// those keys is input, so no background sync starts until the quiet time has passed after the
// last key. Real time (no timer scale), with the quiet time set to its minimum, 10 s. Keys enter
// through the X server (XTest), as a keyboard's do.
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { Anki, seedAccount, sleep, waitFor, waitForHistory } from "./harness";
import { useWorld } from "./world";

const IDLE_MS = 10_000;

describe("studying from the keyboard (real time, idle 10 s)", () => {
  const world = useWorld();
  let anki: Anki;

  beforeAll(async () => {
    await seedAccount(world.server, 30);
    anki = world.anki();
    await anki.seed({ seed: ["--config", `idleSeconds=${IDLE_MS / 1000}`] });
    await anki.launch();
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" });
  });

  it("answering with Space and 1-4 for longer than the quiet time, then `d`: the sync waits the quiet time after the last key", async () => {
    onTestFailed(() => anki.keepEvidence("keyboard-study"));
    await anki.driver("study");
    await waitFor("the reviewer", async () => (await anki.driver("shownCard")).cardId, 10_000);
    const reviewsBefore = (await anki.driver<{ count: number }>("reviews")).count;
    // Space shows the answer, a number answers; about 14 s of it, longer than the quiet time
    const answers = ["3", "4", "2", "3", "1", "3", "4", "3", "2", "3"];
    const sent = await anki.keys(
      answers.flatMap((ease) => ["space", ease]),
      700,
    );
    expect(sent.at(-1)! - sent[0]!).toBeGreaterThan(IDLE_MS);
    // the user reads the next question a while (a change is owed 10 s after the last answer), then goes back
    await sleep(8000);
    const [back] = await anki.keys(["d"]);
    await waitFor(
      "the deck list",
      async () => (await anki.driver<{ state: string }>("state")).state === "deckBrowser",
      5000,
    );
    // the keys were Anki's: each answered a card
    expect((await anki.driver<{ count: number }>("reviews")).count).toBeGreaterThanOrEqual(
      reviewsBefore + answers.length - 1,
    );
    const synced = await waitForHistory(
      anki,
      { kind: "collection", trigger: "background", outcome: "ok" },
      IDLE_MS + 30_000,
      sent[0]!,
    );
    console.log(
      `the background sync started ${synced.startedAt - back!} ms after the last key (quiet time ${IDLE_MS} ms)`,
    );
    expect(synced.startedAt - back!).toBeGreaterThanOrEqual(IDLE_MS - 250);
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
  });
});
