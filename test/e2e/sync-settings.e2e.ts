// Switches: auto sync off, media off, Preferences both ways, and the add-on disabled.
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { Anki, PNG_HEX, USER, device, seedAccount, sleep, waitFor, waitForHistory } from "./harness";
import { useWorld } from "./world";

const SCALE = { FLIPNEM_TIMER_SCALE: "0.05" };
type Prefs = { autoSync: boolean; syncMedia: boolean; periodicMedia: boolean };

describe("settings", () => {
  const world = useWorld();
  const { server } = world;
  let anki: Anki;
  let other: string;

  beforeAll(async () => {
    other = await seedAccount(server, 1);
  });

  it("auto sync off: no collection sync on open or close, and Sync still works", async () => {
    anki = world.anki();
    onTestFailed(() => anki.keepEvidence("auto-sync-off"));
    await anki.seed({ seed: ["--no-auto-sync"] });
    // changes on both sides, so a sync would have something to exchange
    await device(other, server, ["add-note", "--front", "remote while off", "--sync"]);
    await anki.addLocalNote("local while off");
    const before = server.collectionSyncs();
    await anki.launch(SCALE);
    await anki.sidebar();
    await sleep(3000);
    expect(server.collectionSyncs()).toBe(before);
    expect((await anki.driver<{ count: number }>("findNotes", { query: '"front:remote while off"' })).count).toBe(0);
    const pressed = Date.now();
    await anki.driver("pressSync");
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 60_000, pressed);
    expect(server.collectionSyncs()).toBe(before + 1);
    expect((await anki.driver<{ count: number }>("findNotes", { query: '"front:remote while off"' })).count).toBe(1);
    await anki.driver("addNote", { front: "local after sync", back: "" });
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
    await anki.close();
    expect(server.collectionSyncs()).toBe(before + 1);
    expect((await anki.history()).some((e) => e.trigger === "close" && e.outcome !== "skipped")).toBe(false);
  });

  it("a setting changed in Tools > Preferences > Syncing reaches the add-on", async () => {
    anki = world.anki();
    onTestFailed(() => anki.keepEvidence("prefs-to-addon"));
    await anki.seed({ seed: ["--minutes", "1"] });
    const launched = Date.now();
    await anki.launch(SCALE);
    await waitForHistory(anki, { kind: "media", trigger: "periodic" }, 30_000, launched);
    await anki.driver("prefsSet", { values: { periodicMedia: false } });
    const changed = Date.now();
    await sleep(500);
    await anki.driver("addMedia", { name: "not-periodic.png", data_hex: PNG_HEX });
    // four intervals pass with no periodic media sync
    await sleep(12_000);
    const after = (await anki.history()).filter(
      (e) => e.kind === "media" && e.trigger === "periodic" && e.startedAt > changed,
    );
    expect(after).toEqual([]);
    await anki.driver("prefsSet", { values: { periodicMedia: true } });
    await waitForHistory(anki, { kind: "media", trigger: "periodic", outcome: "ok" }, 30_000, Date.now());
    expect(await anki.driver("counts")).toMatchObject({ nativePeriodicMedia: 0 });
  });

  it("a setting changed in the add-on shows in Preferences, and bad values are refused", async () => {
    onTestFailed(() => anki.keepEvidence("addon-to-prefs"));
    const settings = {
      autoSync: true,
      syncMedia: false,
      periodicMedia: true,
      periodicMediaMinutes: 30,
      backgroundSync: false,
    };
    expect(await anki.saveSettings(settings)).toMatchObject({ ok: true });
    expect(await anki.driver<Prefs>("prefsRead")).toEqual({ autoSync: true, syncMedia: false, periodicMedia: true });
    expect(await anki.driver("profile")).toMatchObject({ syncMedia: false, autoSyncMediaMinutes: 15 });
    const bad = await anki.saveSettings({ ...settings, syncMedia: true, periodicMediaMinutes: 0 });
    expect(bad).toMatchObject({ ok: false, error: { code: "badSettings" } });
    expect(await anki.driver("profile")).toMatchObject({ syncMedia: false });
  });

  it("media off: an image in a note does not travel with the sync", async () => {
    onTestFailed(() => anki.keepEvidence("media-off"));
    const { name } = await anki.driver<{ name: string }>("addMedia", { name: "stays-home.png", data_hex: PNG_HEX });
    await anki.driver("addNote", { front: `home <img src="${name}">`, back: "" });
    const pressed = Date.now();
    await anki.driver("pressSync");
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 60_000, pressed);
    await sleep(2000);
    const seen = await device(other, server, ["sync", "--media", "--media-name", name, "--query", '"front:home*"']);
    expect(seen).toMatchObject({ found: 1, mediaPresent: false });
    await anki.close();
  });

  it("signed in to another account in Anki's own Preferences, the profile is Anki's again: Sync runs Anki's own sync", async () => {
    onTestFailed(() => anki.keepEvidence("handed-back"));
    const launched = Date.now();
    await anki.launch(SCALE);
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" }, 60_000, launched);
    await anki.driver("setProfile", { values: { syncUser: "someone-else@example.com" } });
    await anki.driver("addNote", { front: "synced by Anki itself", back: "" });
    const before = server.collectionSyncs();
    const pressed = Date.now();
    await anki.driver("pressSync");
    await waitFor(
      "Anki's own sync",
      async () => (await anki.driver<{ nativeCollectionSync: number }>("counts")).nativeCollectionSync >= 1,
      30_000,
    );
    await waitFor("the sync at the server", () => server.collectionSyncs() > before, 30_000);
    await sleep(1000);
    expect((await anki.history()).filter((e) => e.startedAt >= pressed && e.kind === "collection")).toEqual([]);
    // back to the account the add-on signed in with: the add-on's again
    await anki.driver("setProfile", { values: { syncUser: USER } });
    const again = Date.now();
    await anki.driver("pressSync");
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 30_000, again);
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 1 });
    await anki.close();
  });

  it("with the add-on disabled in Tools > Add-ons, Anki's own auto sync runs as usual after a restart", async () => {
    onTestFailed(() => anki.keepEvidence("disabled"));
    await anki.launch(SCALE);
    await anki.driver("setEnabled", { folder: "flipnem_sync", enabled: false });
    await anki.close();
    const historyBefore = (await anki.history()).length;
    await device(other, server, ["add-note", "--front", "native path", "--sync"]);
    const before = server.collectionSyncs();
    await anki.launch(SCALE);
    expect((await anki.driver<{ loaded: boolean }>("product")).loaded).toBe(false);
    await waitFor(
      "native open sync",
      async () => (await anki.driver<{ nativeCollectionSync: number }>("counts")).nativeCollectionSync >= 1,
      30_000,
    );
    await waitFor(
      "note from the native sync",
      async () => (await anki.driver<{ count: number }>("findNotes", { query: '"front:native path"' })).count === 1,
      30_000,
    );
    expect(server.collectionSyncs()).toBeGreaterThan(before);
    expect((await anki.history()).length).toBe(historyBefore);
    // and Anki's own periodic media timer starts its media sync again (the control for every "0" above);
    // it skips a tick while the open sync's media is still running, as Anki does
    await waitFor(
      "Anki's own periodic media sync",
      async () => (await anki.driver<{ nativePeriodicMedia: number }>("nativePeriodicTick")).nativePeriodicMedia >= 1,
      30_000,
      500,
    );
  });
});
