// The two cases that need the user: a rejected key, and a full sync. Shown once, never chosen for them.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { Anki, device, py, seedAccount, sleep, tempDir, waitFor, waitForHistory } from "./harness";
import { useWorld } from "./world";

const SCALE = { FLIPNEM_TIMER_SCALE: "0.05" };
type Profile = { hasKey: boolean };

describe("problems that need the user", () => {
  const world = useWorld();
  const { server } = world;
  let anki: Anki;
  let other: string;

  beforeAll(async () => {
    other = await seedAccount(server, 2);
  });

  it("a rejected key (403): the key is cleared as Anki does, 'sign in again' is shown once, no retries, no dialog", async () => {
    anki = world.anki();
    onTestFailed(() => anki.keepEvidence("auth-rejected"));
    // the sidebar starts hidden: the add-on must show it for a problem that needs the user
    await anki.seed({ seed: ["--bad-key"] });
    const launched = Date.now();
    await anki.launch(SCALE);
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "authFailed" }, 60_000, launched);
    expect(await anki.driver<Profile>("profile")).toMatchObject({ hasKey: false });
    expect(await anki.unexpectedWindows()).toEqual([]);
    await waitFor("sidebar shown", async () => (await anki.driver<{ visible: boolean }>("dock")).visible, 10_000);
    const page = await anki.sidebar();
    const problems = page.getByTestId("problems");
    await problems.filter({ hasText: /sign in again/i }).waitFor({ timeout: 10_000 });
    expect((await problems.innerText()).match(/sign in again/gi)?.length).toBe(1);
    // backoff would have retried within seconds at this scale; a rejected key is not retried
    await sleep(6000);
    const after = (await anki.history()).filter((e) => e.startedAt > launched && e.kind === "collection");
    expect(after.filter((e) => e.trigger === "retry" && e.outcome !== "skipped")).toEqual([]);
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
    await anki.close();
  });

  it("a full sync on an automatic trigger is recorded and waits; Sync shows Anki's own choice, and Cancel changes nothing", async () => {
    anki = world.anki();
    onTestFailed(() => anki.keepEvidence("full-sync"));
    await anki.seed({ seed: ["--sidebar-visible"] });
    const forced = await device(other, server, ["force-full-upload"]);
    const launched = Date.now();
    await anki.launch(SCALE);
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "fullSyncRequired" }, 60_000, launched);
    expect(await anki.unexpectedWindows()).toEqual([]);
    const page = await anki.sidebar();
    await page
      .getByTestId("problems")
      .filter({ hasText: /Upload or Download/ })
      .waitFor({ timeout: 10_000 });
    // a note added since the last sync: Anki then answers a status check from the collection alone
    await anki.driver("addNote", { front: "added before Sync", back: "kept" });
    const localBefore = (await anki.driver<{ count: number }>("findNotes", { query: "" })).count;
    const uploadsBefore = server.requests("/sync/upload");
    const downloadsBefore = server.requests("/sync/download");
    await anki.driver("pressSync");
    const choice = await waitFor(
      "Anki's upload/download question",
      async () => (await anki.unexpectedWindows()).find((w) => /upload|download/i.test(String(w.text))),
      30_000,
    );
    expect(choice.main).toBe(false);
    expect(await anki.driver("clickButton", { text: "Cancel" })).toMatchObject({ clicked: true });
    await waitFor("question closed", async () => (await anki.unexpectedWindows()).length === 0, 10_000);
    // the add-on learns from the server that nothing was chosen, and keeps saying so
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "cancelled" }, 30_000, launched);
    await page
      .getByTestId("problems")
      .filter({ hasText: /Upload or Download/ })
      .waitFor({ timeout: 10_000 });
    await sleep(1000);
    expect((await anki.driver<{ count: number }>("findNotes", { query: "" })).count).toBe(localBefore);
    expect(server.requests("/sync/upload")).toBe(uploadsBefore);
    expect(server.requests("/sync/download")).toBe(downloadsBefore);
    const check = await py(["local", "--col", other, "--query", "deck:*"]);
    expect(check.found).toBe(forced.notes);
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
  });

  /** Sync pressed with a full sync waiting: Anki's question, answered with Upload. */
  async function chooseUpload(): Promise<void> {
    await anki.driver("pressSync");
    await waitFor(
      "Anki's upload/download question",
      async () => (await anki.unexpectedWindows()).some((w) => /upload|download/i.test(String(w.text))),
      30_000,
    );
    expect(await anki.driver("clickButton", { text: "Upload to AnkiWeb" })).toMatchObject({ clicked: true });
  }

  function savedCopies(): string[] {
    const backups = join(anki.base, anki.profile, "backups");
    return existsSync(backups) ? readdirSync(backups).filter((n) => n.startsWith("flipnem-before-upload-")) : [];
  }

  it("Upload: Flipnem's collection, with another device's note, is saved beside Anki's backups first; then the upload goes", async () => {
    onTestFailed(() => anki.keepEvidence("upload-copy"));
    await device(other, server, ["add-note", "--front", "made on the phone", "--sync"]);
    const uploadsBefore = server.requests("/sync/upload");
    const chosen = Date.now();
    await chooseUpload();
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 60_000, chosen);
    const [copy] = savedCopies();
    expect(copy).toMatch(/^flipnem-before-upload-\d{4}-\d\d-\d\d-[\d.]+\.anki2\.gz$/);
    const unpacked = join(tempDir("copy"), "collection.anki2");
    writeFileSync(unpacked, gunzipSync(readFileSync(join(anki.base, anki.profile, "backups", copy!))));
    const held = await py(["local", "--col", unpacked, "--query", '"front:made on the phone"']);
    expect(held.found).toBe(1);
    expect(await anki.tooltips()).toEqual(expect.arrayContaining([expect.stringContaining(copy!)]));
    expect(server.requests("/sync/upload")).toBe(uploadsBefore + 1);
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
  });

  it("with the copy impossible, the upload waits for a second yes: No changes nothing, Yes uploads", async () => {
    onTestFailed(() => anki.keepEvidence("upload-no-copy"));
    await device(other, server, ["force-full-upload"]);
    await anki.driver("breakFlipnemCopy");
    const copies = savedCopies().length;
    const uploadsBefore = server.requests("/sync/upload");
    const askedAt = Date.now();
    await chooseUpload();
    const second = await waitFor(
      "the second question",
      async () => (await anki.unexpectedWindows()).find((w) => String(w.text).includes("could not save a copy")),
      30_000,
    );
    expect(String(second.text)).toContain("the backups folder cannot be written");
    expect(await anki.driver("clickButton", { text: "No" })).toMatchObject({ clicked: true });
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "cancelled" }, 30_000, askedAt);
    expect(server.requests("/sync/upload")).toBe(uploadsBefore);
    const yesAt = Date.now();
    await chooseUpload();
    await waitFor(
      "the second question again",
      async () => (await anki.unexpectedWindows()).some((w) => String(w.text).includes("could not save a copy")),
      30_000,
    );
    expect(await anki.driver("clickButton", { text: "Yes" })).toMatchObject({ clicked: true });
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 60_000, yesAt);
    expect(server.requests("/sync/upload")).toBe(uploadsBefore + 1);
    expect(savedCopies().length).toBe(copies);
    await anki.close();
  });
});
