// The copy before an upload, bounded: a server that trickles, sends more than the cap, or
// announces more than the disk holds ends the copy with a clear reason, and the upload waits for a
// second yes; Cancel stops it at once; only the newest three copies stay; Anki's backups are untouched.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { Anki, device, py, seedAccount, sleep, tempDir, waitFor, waitForHistory } from "./harness";
import { useWorld } from "./world";

// lowered only through the add-on's clamped test knobs: a cap of 256 KiB (a seeded collection is
// about 140 KB), 8 seconds, and 1 GiB of free disk
const CAP_BYTES = 256 * 1024;
const CAP_SECONDS = 8;
const FREE_BYTES = 1024 ** 3;
const KNOBS = {
  FLIPNEM_TIMER_SCALE: "0.05",
  FLIPNEM_TEST_COPY_MAX_BYTES: String(CAP_BYTES),
  FLIPNEM_TEST_COPY_MAX_SECONDS: String(CAP_SECONDS),
  FLIPNEM_TEST_COPY_FREE_BYTES: String(FREE_BYTES),
};
const SECOND_YES = "could not save a copy";
// the copy's download (a few KB compressed) then takes far longer than the time cap
const TRICKLE = 300;

describe("the copy before an upload is bounded", () => {
  const world = useWorld();
  const { server, proxy } = world;
  let anki: Anki;
  let other: string;

  beforeAll(async () => {
    other = await seedAccount(server, 1);
    anki = world.anki(true);
    await anki.seed({ seed: ["--sidebar-visible"] });
    await anki.launch(KNOBS);
  });

  const backups = (): string => join(anki.base, anki.profile, "backups");
  const list = (): string[] => (existsSync(backups()) ? readdirSync(backups()).sort() : []);
  const copies = (): string[] => list().filter((n) => n.startsWith("flipnem-before-upload-"));
  const leftovers = (): string[] => list().filter((n) => n.startsWith(".flipnem-copy-") || n.endsWith(".part"));

  /** Anki's memory now and at its peak (kB), from the kernel. */
  function memory(): { rssKb: number; peakKb: number } {
    const status = readFileSync(`/proc/${anki.child!.pid}/status`, "utf8");
    const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)![1]);
    return { rssKb: kb("VmRSS"), peakKb: kb("VmHWM") };
  }

  /**
   * Another device forces a full sync; Sync shows Anki's question, answered with Upload. The proxy
   * trickles from the click on (`bytesPerSecond`), so only the copy's download is slow.
   * Returns when Sync was pressed (history entries start then), when Upload was clicked, and the
   * server's uploads so far (the other device's own included).
   */
  async function chooseUpload(bytesPerSecond = 0): Promise<{ since: number; clicked: number; uploads: number }> {
    await device(other, server, ["force-full-upload"]);
    const uploads = server.requests("/sync/upload");
    const since = Date.now();
    await anki.driver("pressSync");
    await waitFor(
      "Anki's upload/download question",
      async () => (await anki.unexpectedWindows()).some((w) => /upload|download/i.test(String(w.text))),
      30_000,
    );
    proxy.bytesPerSecond = bytesPerSecond;
    const clicked = Date.now();
    expect(await anki.driver("clickButton", { text: "Upload to AnkiWeb" })).toMatchObject({ clicked: true });
    return { since, clicked, uploads };
  }

  const secondQuestion = (timeoutMs = 30_000): Promise<Record<string, unknown>> =>
    waitFor(
      "the second question",
      async () => (await anki.unexpectedWindows()).find((w) => String(w.text).includes(SECOND_YES)),
      timeoutMs,
      50,
    );

  const copyWindow = (): Promise<Record<string, unknown>> =>
    waitFor(
      "the copy's window",
      async () => (await anki.unexpectedWindows()).find((w) => String(w.text).includes("Saving a copy")),
      30_000,
      50,
    );

  /** No to the second question: nothing is uploaded and nothing is left behind. */
  async function answerNo(since: number, uploadsBefore: number): Promise<void> {
    expect(await anki.driver("clickButton", { text: "No" })).toMatchObject({ clicked: true });
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "cancelled" }, 30_000, since);
    expect(server.requests("/sync/upload")).toBe(uploadsBefore);
    expect(leftovers()).toEqual([]);
  }

  it("five uploads in a row keep the newest three copies, gzipped and whole; Anki's own backups are unchanged", async () => {
    onTestFailed(() => anki.keepEvidence("copy-five-uploads"));
    const ankiBefore = (await anki.driver<{ anki: string[] }>("createBackup")).anki;
    expect(ankiBefore.length).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) {
      await device(other, server, ["add-note", "--front", `phone note ${i}`, "--sync"]);
      const { since, uploads } = await chooseUpload();
      await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 60_000, since);
      expect(server.requests("/sync/upload")).toBe(uploads + 1);
      await sleep(1100); // copies are named by the second
    }
    const kept = copies();
    expect(kept).toHaveLength(3);
    for (const name of kept) expect(name).toMatch(/^flipnem-before-upload-\d{4}-\d\d-\d\d-[\d.]+\.anki2\.gz$/);
    // the newest holds the last note made on the other device before its upload
    const unpacked = join(tempDir("copy"), "collection.anki2");
    writeFileSync(unpacked, gunzipSync(readFileSync(join(backups(), kept[2]!))));
    expect((await py(["local", "--col", unpacked, "--query", '"front:phone note 4"'])).found).toBe(1);
    expect(await anki.tooltips()).toEqual(expect.arrayContaining([expect.stringContaining(kept[2]!)]));
    // Anki's backup (which thins its own) neither lists nor removes the add-on's copies
    const after = await anki.driver<{ anki: string[]; all: string[] }>("createBackup");
    expect(after.anki.filter((n) => !ankiBefore.includes(n)).length).toBeLessThanOrEqual(1);
    expect(after.anki.filter((n) => ankiBefore.includes(n))).toEqual(ankiBefore);
    expect(copies()).toEqual(kept);
    expect(leftovers()).toEqual([]);
  });

  it("a trickling server: Cancel stops the copy within 2 s, and the upload waits for a second yes", async () => {
    onTestFailed(() => anki.keepEvidence("copy-cancel"));
    const kept = copies();
    try {
      const { since, uploads } = await chooseUpload(TRICKLE);
      await copyWindow();
      await sleep(1500);
      const memBefore = memory();
      const pressed = Date.now();
      expect(await anki.driver("clickButton", { text: "Cancel" })).toMatchObject({ clicked: true });
      const second = await secondQuestion(5000);
      const tookMs = Date.now() - pressed;
      console.log(
        `copy cancelled: second question after ${tookMs} ms; memory ${JSON.stringify([memBefore, memory()])}`,
      );
      expect(tookMs).toBeLessThan(2000);
      expect(String(second.text)).toContain("you stopped it");
      await answerNo(since, uploads);
    } finally {
      proxy.bytesPerSecond = 0;
    }
    expect(copies()).toEqual(kept);
  });

  it("a trickling server, left alone: the copy ends at its time cap, and Yes uploads", async () => {
    onTestFailed(() => anki.keepEvidence("copy-time-cap"));
    let since = 0;
    let uploads = 0;
    try {
      const chosen = await chooseUpload(TRICKLE);
      ({ since, uploads } = chosen);
      const started = chosen.clicked;
      await copyWindow();
      const second = await secondQuestion(CAP_SECONDS * 1000 + 20_000);
      const tookMs = Date.now() - started;
      console.log(`copy ended by its time cap after ${tookMs} ms (cap ${CAP_SECONDS} s)`);
      expect(tookMs).toBeGreaterThan(CAP_SECONDS * 1000 - 500);
      expect(tookMs).toBeLessThan(CAP_SECONDS * 1000 + 5000);
      expect(String(second.text)).toContain(`longer than ${CAP_SECONDS} seconds`);
      expect(leftovers()).toEqual([]);
    } finally {
      proxy.bytesPerSecond = 0;
    }
    expect(await anki.driver("clickButton", { text: "Yes" })).toMatchObject({ clicked: true });
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 60_000, since);
    expect(server.requests("/sync/upload")).toBe(uploads + 1);
  });

  it("a server that sends more than the cap (announcing less): the copy stops, nothing is kept, No uploads nothing", async () => {
    onTestFailed(() => anki.keepEvidence("copy-size-cap"));
    // Flipnem's collection grows past the cap: 2,000 notes from another device
    other = await seedAccount(server, 2000);
    const kept = copies();
    proxy.announce = { path: "/sync/download", size: 1000 };
    try {
      const memBefore = memory();
      const { since, uploads } = await chooseUpload(40_000);
      const second = await secondQuestion();
      console.log(`size cap: memory before/after ${JSON.stringify([memBefore, memory()])}`);
      expect(String(second.text)).toContain("sent more than the 256 KiB a copy may take");
      await answerNo(since, uploads);
    } finally {
      proxy.announce = undefined;
      proxy.bytesPerSecond = 0;
    }
    expect(copies()).toEqual(kept);
  });

  it("a server that announces more than the free disk: the copy stops before the bytes, memory stays flat", async () => {
    onTestFailed(() => anki.keepEvidence("copy-disk"));
    const kept = copies();
    // 1.5 GiB: more than the (pretended) 1 GiB free; Anki reserves what is announced
    proxy.announce = { path: "/sync/download", size: 1.5 * 1024 ** 3 };
    try {
      const memBefore = memory();
      const { since, uploads } = await chooseUpload(TRICKLE);
      const second = await secondQuestion();
      const memAfter = memory();
      console.log(`announced 1.5 GiB: memory before/after ${JSON.stringify([memBefore, memAfter])}`);
      expect(String(second.text)).toContain("more than the free disk space allows");
      // the peak grew by far less than what was announced
      expect(memAfter.peakKb - memBefore.peakKb).toBeLessThan(100 * 1024);
      await answerNo(since, uploads);
    } finally {
      proxy.announce = undefined;
      proxy.bytesPerSecond = 0;
    }
    expect(copies()).toEqual(kept);
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
    await anki.close();
  });
});
