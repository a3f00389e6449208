// A profile switch is a close followed by an open; state and history are per profile.
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { Anki, PASSWORD, USER, device, seedAccount, sleep, waitFor, waitForHistory } from "./harness";
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

  it("a sign-in still under way when the profile is switched signs in neither profile", async () => {
    onTestFailed(() => anki.keepEvidence("sign-in-switch"));
    const { proxy } = world;
    expect(await anki.driver("menuAction", { text: "Flipnem Sync…" })).toMatchObject({ triggered: true });
    let page = await anki.settingsPage();
    await page.getByTestId("sign-out").click();
    await waitFor("signed out", async () => !(await anki.driver<{ hasKey: boolean }>("profile")).hasKey, 10_000);
    page = await anki.settingsPage();
    // a slow server: the answer comes after the switch
    proxy.delayMs = 3000;
    try {
      await page.getByTestId("server").fill(proxy.endpoint);
      await page.getByTestId("username").fill(USER);
      await page.getByTestId("password").fill(PASSWORD);
      await page.getByTestId("sign-in").click();
      await anki.driver("switchProfile", { name: "User 1" });
      await waitFor("first profile open", async () => (await anki.driver("profile")).name === "User 1", 60_000);
      // well past the slow answer
      await sleep(8000);
    } finally {
      proxy.delayMs = 0;
    }
    expect(await anki.driver("profile")).toMatchObject({
      name: "User 1",
      hasKey: true,
      customSyncUrl: server.endpoint,
    });
    expect(await anki.storeData("User 1")).toMatchObject({ server: server.endpoint, managed: true });
    expect(await anki.storeData("Second")).toMatchObject({ managed: false });
  });
});
