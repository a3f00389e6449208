// The panel's "More" in real Anki: every option set from the keyboard (XTest), in effect at once,
// kept where it belongs across a restart, refused in words when out of range.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { Anki, device, seedAccount, sleep, waitFor, waitForHistory } from "./harness";
import { useWorld } from "./world";

const SCALE = { FLIPNEM_TIMER_SCALE: "0.05" };

async function openPanel(anki: Anki): Promise<Page> {
  expect(await anki.driver("menuAction", { text: "Flipnem Sync…" })).toMatchObject({ triggered: true });
  const page = await anki.settingsPage();
  await page.getByTestId("option-idleSeconds-input").waitFor({ timeout: 15_000 });
  return page;
}

/**
 * Tab (or Shift+Tab, for a control above the keys) until the keys are on `testid`, as a keyboard
 * user gets there; reading where they are is not input.
 */
async function tabTo(anki: Anki, page: Page, testid: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const where = await page.evaluate((id) => {
      const target = document.querySelector(`[data-testid="${id}"]`);
      const active = document.activeElement;
      if (!target || active === target) return target ? "there" : "missing";
      if (!active || active === document.body) return "after";
      return target.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING ? "before" : "after";
    }, testid);
    if (where === "there") return;
    if (where === "missing") throw new Error(`no ${testid} in the page`);
    await anki.press([where === "before" ? "shift+Tab" : "Tab"], 30);
  }
  throw new Error(`the keys never reached ${testid}`);
}

/** The user tabs to a field and types into it, through the X server. */
async function typeInto(anki: Anki, page: Page, key: string, text: string): Promise<void> {
  await tabTo(anki, page, `option-${key}-input`);
  await anki.press(["ctrl+a", "BackSpace"]);
  await anki.type(text);
  await anki.press(["Return"]);
}

const status = (page: Page) => page.getByTestId("option-status").innerText();

function metaConfig(anki: Anki): Record<string, unknown> {
  const meta = join(anki.base, "addons21/flipnem_sync/meta.json");
  return existsSync(meta)
    ? ((JSON.parse(readFileSync(meta, "utf8")) as { config?: Record<string, unknown> }).config ?? {})
    : {};
}

describe("More: every option in the panel", () => {
  const world = useWorld();
  const { server, proxy } = world;
  let anki: Anki;
  let other: string;

  beforeAll(async () => {
    other = await seedAccount(server, 2);
    anki = world.anki(true);
    await anki.seed();
  });

  it("a metered-connection user follows the sidebar's hint and allows metered syncing, without a restart", async () => {
    onTestFailed(() => anki.keepEvidence("options-metered"));
    const launched = Date.now();
    await anki.launch(SCALE);
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" }, 60_000, launched);
    const sidebar = await anki.sidebar();
    await anki.driver("metered", { metered: true });
    const since = Date.now();
    await anki.driver("addNoteAsUser", { front: "sent on a metered connection", back: "" });
    await waitForHistory(anki, { kind: "collection", skippedReason: "metered" }, 20_000, since);
    const hint = await waitFor(
      "the hint in the sidebar",
      async () => {
        const text = await sidebar.getByTestId("sidebar").innerText();
        return text.includes("the connection is metered") ? text : undefined;
      },
      10_000,
    );
    expect(hint).toContain("allowed in Tools > Flipnem Sync… > More");
    // where the hint says: Tools > Flipnem Sync…, then More's switch, from the keyboard
    const page = await openPanel(anki);
    await expect(page.getByRole("heading", { name: "More" }).count()).resolves.toBe(1);
    await tabTo(anki, page, "option-allowMetered-input");
    await anki.press(["space"]);
    await waitFor("saved", async () => (await status(page)).startsWith("Saved"), 10_000);
    expect(await page.getByTestId("option-allowMetered-input").isChecked()).toBe(true);
    await anki.press(["Escape"]);
    // still metered: the change goes by itself, in the background, as the user comes back to Anki
    await anki.back();
    const sent = await waitForHistory(
      anki,
      { kind: "collection", trigger: "background", outcome: "ok" },
      30_000,
      since,
    );
    expect(sent.startedAt).toBeGreaterThan(since);
    expect(await device(other, server, ["sync", "--query", '"front:sent on a metered connection"'])).toMatchObject({
      found: 1,
    });
    // the whole add-on's: kept in Anki's add-on config, not the profile
    expect(metaConfig(anki).allowMetered).toBe(true);
    expect((await anki.storeData()).allowMetered).toBeUndefined();
    await anki.driver("metered", { metered: false });
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
  });

  it("out of range or taken: refused in words under the field, nothing saved", async () => {
    onTestFailed(() => anki.keepEvidence("options-refused"));
    const page = await openPanel(anki);
    const before = { meta: metaConfig(anki), store: await anki.storeData() };
    for (const [key, text, words] of [
      ["idleSeconds", "4", "Enter a number from 5 to 3600."],
      ["statusCheckMinutes", "2000", "Enter a number from 5 to 1440."],
      ["lastingFailureMinutes", "0", "Enter a number from 1 to 10080."],
      ["closeBoundSeconds", "301", "Enter a number from 5 to 300."],
      ["closeTotalSeconds", "1.5", "Enter a whole number from 10 to 3600."],
      ["sidebarShortcut", "Shift+Y", "Shift+Y is too close to Y, Anki's Sync key"],
      ["sidebarShortcut", "Ctrl+P", "Ctrl+P is Anki's Preferences already"],
    ] as const) {
      await typeInto(anki, page, key, text);
      const message = page.getByTestId(`option-${key}-message`);
      await message.waitFor({ timeout: 10_000 });
      expect(await message.innerText()).toContain(words);
      expect(await page.getByTestId(`option-${key}-input`).inputValue()).toBe(text);
    }
    await sleep(500);
    expect(metaConfig(anki)).toEqual(before.meta);
    expect((await anki.storeData()).idleSeconds).toBe(before.store.idleSeconds);
    await anki.press(["Escape"]);
  });

  it("each option set from the keyboard: in effect at once (the shortcut, the close's bound), kept across a restart", async () => {
    onTestFailed(() => anki.keepEvidence("options-set"));
    const page = await openPanel(anki);
    const wanted: Array<[string, string]> = [
      ["idleSeconds", "7"],
      ["statusCheckMinutes", "45"],
      ["lastingFailureMinutes", "100"],
      ["closeBoundSeconds", "5"],
      ["closeTotalSeconds", "30"],
      ["sidebarShortcut", "Ctrl+Alt+K"],
    ];
    for (const [key, text] of wanted) {
      await typeInto(anki, page, key, text);
      await waitFor(`${key} saved`, async () => (await status(page)).startsWith("Saved"), 10_000);
      expect(await page.getByTestId(`option-${key}-message`).count()).toBe(0);
    }
    // where each lives: the profile's own, or the whole add-on's
    expect(await anki.storeData()).toMatchObject({
      idleSeconds: 7,
      statusCheckMinutes: 45,
      lastingFailureMinutes: 100,
    });
    expect(metaConfig(anki)).toMatchObject({
      closeBoundSeconds: 5,
      closeTotalSeconds: 30,
      sidebarShortcut: "Ctrl+Alt+K",
    });
    expect(await page.getByTestId("option-idleSeconds-scope").innerText()).toBe("This profile");
    expect(await page.getByTestId("option-sidebarShortcut-scope").innerText()).toBe("All profiles");
    await anki.press(["Escape"]);
    // the new shortcut works at once, through the X server into Anki's window; the old one no longer does
    const shown = (await anki.driver<{ visible: boolean }>("dock")).visible;
    await anki.keys(["ctrl+alt+k"]);
    await waitFor(
      "the sidebar toggled",
      async () => (await anki.driver<{ visible: boolean }>("dock")).visible !== shown,
      5000,
    );
    await anki.keys(["ctrl+shift+y"]);
    await sleep(500);
    expect((await anki.driver<{ visible: boolean }>("dock")).visible).toBe(!shown);
    // the close's bound is 5 s now: a server that stops answering holds the close that long, not 20 s
    await anki.driver("addNote", { front: "waits behind a silent server", back: "" });
    proxy.mode = "silent";
    try {
      await anki.close(60_000);
    } finally {
      proxy.mode = "forward";
    }
    const lastClose = (await anki.storeData()).lastClose as { reason: string; waitedSeconds: number };
    // the stalled sync timed out at the bound (or the watchdog ended it there), never at 20 s
    expect(["bound", "synced"]).toContain(lastClose.reason);
    expect(lastClose.waitedSeconds).toBeGreaterThanOrEqual(4.5);
    expect(lastClose.waitedSeconds).toBeLessThan(10);
    // after a restart, the panel reads every value back
    const launched = Date.now();
    await anki.launch(SCALE);
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" }, 60_000, launched);
    const again = await openPanel(anki);
    for (const [key, text] of wanted) expect(await again.getByTestId(`option-${key}-input`).inputValue()).toBe(text);
    expect(await again.getByTestId("option-allowMetered-input").isChecked()).toBe(true);
    // Reset brings the shipped shortcut back, at once
    await tabTo(anki, again, "option-sidebarShortcut-reset");
    await anki.press(["Return"]);
    await waitFor(
      "reset",
      async () => (await again.getByTestId("option-sidebarShortcut-input").inputValue()) === "Ctrl+Shift+Y",
      10_000,
    );
    expect(metaConfig(anki).sidebarShortcut).toBeUndefined();
    await anki.press(["Escape"]);
    await anki.close();
  });

  it("an invalid hand edit of meta.json shows one line and keeps the default", async () => {
    onTestFailed(() => anki.keepEvidence("options-hand-edit"));
    anki.setConfig({ closeTotalSeconds: "two minutes" });
    const launched = Date.now();
    await anki.launch(SCALE);
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" }, 60_000, launched);
    const sidebar = await anki.sidebar();
    const lines = await waitFor(
      "the config line",
      async () => {
        const found = (await sidebar.getByTestId("problem").allInnerTexts()).filter((t) =>
          t.includes("closeTotalSeconds"),
        );
        return found.length ? found : undefined;
      },
      10_000,
    );
    expect(lines).toEqual(["Config: closeTotalSeconds must be a whole number from 10 to 3600; using 120."]);
    const page = await openPanel(anki);
    expect(await page.getByTestId("option-closeTotalSeconds-input").inputValue()).toBe("120");
    await anki.press(["Escape"]);
    await anki.close();
  });
});
