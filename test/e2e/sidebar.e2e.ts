// The status sidebar in real Anki: live progress, results, failures in words, history.
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { Anki, PNG_HEX, SCREENSHOTS, seedAccount, sleep, waitFor, waitForHistory } from "./harness";
import { useWorld } from "./world";

const SCALE = { FLIPNEM_TIMER_SCALE: "0.05" };

/** Polls a sidebar section until its text matches, fast enough to catch a sync in progress. */
async function sees(page: Page, testId: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return waitFor(
    `${testId} ~ ${pattern}`,
    async () => {
      const text = await page.getByTestId(testId).innerText({ timeout: 1000 });
      return pattern.test(text) ? text : undefined;
    },
    timeoutMs,
    50,
  );
}

describe("status sidebar", () => {
  const world = useWorld();
  const { server, proxy } = world;
  const consoleErrors: string[] = [];
  let anki: Anki;
  let page: Page;

  async function attach(): Promise<Page> {
    page = await anki.sidebar();
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(String(e)));
    return page;
  }

  beforeAll(async () => {
    await seedAccount(server, 3);
    anki = world.anki(true);
    await anki.seed({ seed: ["--sidebar-visible", "--minutes", "1"] });
  });

  it("shows the open sync in progress, then its result", async () => {
    onTestFailed(() => anki.keepEvidence("sidebar-open"));
    proxy.delayMs = 250;
    await anki.launch(SCALE);
    await attach();
    await sees(page, "now", /collection/i);
    proxy.delayMs = 0;
    await sees(page, "last-collection", /just now/i);
    expect(await page.getByTestId("last-collection").innerText()).not.toMatch(/fail|could not/i);
    await expect(page.getByTestId("connection").innerText()).resolves.toContain("flipnem-test");
  });

  it("Sync now starts exactly one sync, shown in progress and then done", async () => {
    onTestFailed(() => anki.keepEvidence("sidebar-sync-now"));
    await anki.driver("addNote", { front: "from the sidebar", back: "" });
    const before = server.collectionSyncs();
    const clicked = Date.now();
    proxy.delayMs = 250;
    await page.getByTestId("sync-now").click();
    await sees(page, "now", /collection/i);
    proxy.delayMs = 0;
    await waitForHistory(anki, { kind: "collection", trigger: "sidebar", outcome: "ok" }, 60_000, clicked);
    await sleep(2000);
    expect(server.collectionSyncs() - before).toBe(1);
    await sees(page, "last-collection", /just now/i);
  });

  it("shows a periodic media sync and its result", async () => {
    onTestFailed(() => anki.keepEvidence("sidebar-periodic"));
    proxy.delayMs = 250;
    await anki.driver("addMedia", { name: "sidebar.png", data_hex: PNG_HEX });
    await sees(page, "now", /media/i);
    proxy.delayMs = 0;
    await waitForHistory(anki, { kind: "media", trigger: "periodic", outcome: "ok" }, 30_000, Date.now() - 20_000);
    await sees(page, "last-media", /just now/i);
    await sees(page, "next", /Media sync at/);
  });

  it("says in words, naming Flipnem, that the server is down, and shows the recovery", async () => {
    onTestFailed(() => anki.keepEvidence("sidebar-down"));
    proxy.mode = "refuse";
    const syncNow = page.getByTestId("sync-now");
    const where = await syncNow.boundingBox();
    const clicked = Date.now();
    await syncNow.click();
    // the press itself failed (a periodic media sync failing at the same moment also names Flipnem)
    await waitForHistory(anki, { kind: "collection", trigger: "sidebar", outcome: "networkError" }, 30_000, clicked);
    const words = await sees(page, "problems", /Flipnem/);
    expect(words).not.toMatch(/AnkiWeb/);
    expect(await anki.unexpectedWindows()).toEqual([]);
    // the problem appeared without moving the button from under the pointer
    expect(await syncNow.boundingBox()).toEqual(where);
    await page.screenshot({ path: join(SCREENSHOTS, "sidebar-problem.png") });
    proxy.mode = "forward";
    await waitForHistory(anki, { kind: "collection", trigger: "retry", outcome: "ok" }, 60_000, Date.now() - 1000);
    await waitFor(
      "problem cleared",
      async () => !/Could not reach/.test(await page.getByTestId("sidebar").innerText()),
      15_000,
    );
  });

  it("is shown and hidden from the Tools menu and its shortcut", async () => {
    onTestFailed(() => anki.keepEvidence("sidebar-toggle"));
    expect((await anki.driver<{ visible: boolean }>("dock")).visible).toBe(true);
    await anki.driver("menuAction", { text: "Flipnem Sync Status" });
    expect((await anki.driver<{ visible: boolean }>("dock")).visible).toBe(false);
    await anki.driver("menuAction", { text: "Flipnem Sync Status" });
    expect((await anki.driver<{ visible: boolean }>("dock")).visible).toBe(true);
    await anki.driver("shortcut", { keys: "Ctrl+Shift+Y" });
    expect((await anki.driver<{ visible: boolean }>("dock")).visible).toBe(false);
    await anki.driver("shortcut", { keys: "Ctrl+Shift+Y" });
    expect((await anki.driver<{ visible: boolean }>("dock")).visible).toBe(true);
  });

  it("screenshots: light, night and 220 px narrow, with no console errors", async () => {
    onTestFailed(() => anki.keepEvidence("sidebar-screens"));
    await page.screenshot({ path: join(SCREENSHOTS, "sidebar-light.png") });
    await anki.driver("setTheme", { dark: true });
    await sleep(800);
    expect(await page.evaluate(() => document.documentElement.classList.contains("night-mode"))).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, "sidebar-night.png") });
    await anki.driver("setTheme", { dark: false });
    await anki.driver("resizeDock", { width: 220 });
    await sleep(500);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, "sidebar-narrow.png") });
    expect(consoleErrors).toEqual([]);
  });

  it("keeps the history, the visibility and the side across a restart of Anki", async () => {
    onTestFailed(() => anki.keepEvidence("sidebar-restart"));
    const rows = await page.getByTestId("history").locator("li").count();
    expect(rows).toBeGreaterThan(3);
    await anki.driver("moveDock", { area: "left" });
    await anki.close();
    const launched = Date.now();
    await anki.launch(SCALE);
    expect(await anki.driver("dock")).toMatchObject({ visible: true, area: "left" });
    await attach();
    await waitForHistory(anki, { kind: "collection", trigger: "open" }, 60_000, launched);
    await waitFor("history kept", async () => (await page.getByTestId("history").locator("li").count()) > rows, 15_000);
    await anki.driver("menuAction", { text: "Flipnem Sync Status" });
    await anki.close();
    await anki.launch(SCALE);
    expect(await anki.driver("dock")).toMatchObject({ visible: false });
  });
});
