// A profile switch is a close followed by an open; state and history are per profile.
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { Anki, device, seedAccount, waitFor, waitForHistory } from "./harness";
import { useWorld } from "./world";

describe("profile switch", () => {
  const world = useWorld();
  const { server } = world;
  let anki: Anki;
  let other: string;

  beforeAll(async () => {
    other = await seedAccount(server, 1);
    anki = world.anki();
    await anki.seed({ alsoProfiles: ["Second"], seed: ["--sidebar-visible"] });
  });

  it("closes the first profile with its sync, opens the second with its own, and keeps each history apart", async () => {
    onTestFailed(() => anki.keepEvidence("profile-switch"));
    const launched = Date.now();
    await anki.launch();
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" }, 60_000, launched);
    await anki.driver("addNote", { front: "written in the first profile", back: "" });
    const switched = Date.now();
    await anki.driver("switchProfile", { name: "Second" });
    await waitFor(
      "second profile open",
      async () => (await anki.driver<{ name: string }>("profile")).name === "Second",
      60_000,
    );
    await waitForHistory(anki, { kind: "collection", trigger: "close", outcome: "ok" }, 30_000, switched);
    const second = await waitForHistory(
      anki,
      { kind: "collection", trigger: "open", outcome: "ok" },
      60_000,
      switched,
      "Second",
    );
    // the first profile's note went to Flipnem at its close and came down at the second's open
    expect(await device(other, server, ["sync", "--query", '"front:written in the first profile"'])).toMatchObject({
      found: 1,
    });
    expect(
      (await anki.driver<{ count: number }>("findNotes", { query: '"front:written in the first profile"' })).count,
    ).toBe(1);
    // each profile has its own history
    const firstHistory = await anki.history();
    const secondHistory = await anki.history("Second");
    expect(secondHistory.some((e) => e.trigger === "close")).toBe(false);
    expect(firstHistory.some((e) => e.startedAt === second.startedAt && e.trigger === "open")).toBe(false);
    const page = await anki.sidebar();
    await page.getByTestId("connection").filter({ hasText: "Second" }).waitFor({ timeout: 10_000 });
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
    expect(await anki.unexpectedWindows()).toEqual([]);
  });
});
