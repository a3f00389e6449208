// Without a mouse, with a screen reader, in a narrow window: axe-core inside Anki's own webviews
// (injected over CDP, in every state a user meets), and a keyboard-only session whose keys all
// go through the X server (XTest), as a keyboard's do.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page } from "playwright-core";
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import {
  Anki,
  PASSWORD,
  RESULTS,
  ROOT,
  SCREENSHOTS,
  USER,
  py,
  seedAccount,
  sleep,
  waitFor,
  waitForHistory,
} from "./harness";
import { MORE_FIELDS } from "../../web/src/ui/settings/options";
import { useWorld } from "./world";

const AXE_SOURCE = readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");

type Violation = { id: string; impact: string | null; help: string; nodes: string[] };

/** axe-core's whole rule set (none disabled) on `page`, or on the part `scope` selects; written to the results. */
async function axe(page: Page, name: string, scope?: string): Promise<Violation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (within) => {
    type Result = {
      violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
    };
    const run = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<Result> } }).axe.run;
    const result = await run(within ?? document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
  }, scope);
  mkdirSync(join(RESULTS, "axe"), { recursive: true });
  writeFileSync(join(RESULTS, "axe", `${name}.json`), JSON.stringify(violations, null, 2));
  return violations;
}

const serious = (found: Violation[]) => found.filter((v) => v.impact === "serious" || v.impact === "critical");

/** Where the keys are in a page: the focused element's test id (reading it is not input). */
const focused = (page: Page) =>
  page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? "");

async function panelShown(anki: Anki): Promise<Page> {
  await waitFor(
    "the panel",
    async () =>
      (await anki.driver<Array<{ title: string }>>("windows")).some((w) => w.title === "Flipnem Sync Settings"),
    10_000,
  );
  // as a window manager does for a window that opens: the keys go to it
  expect(await anki.driver("activate", { title: "Flipnem Sync Settings" })).toMatchObject({ active: true });
  const page = await anki.settingsPage();
  await page.getByTestId("option-idleSeconds-input").waitFor({ timeout: 15_000 });
  return page;
}

async function panelClosed(anki: Anki): Promise<void> {
  await waitFor(
    "the panel closed",
    async () =>
      !(await anki.driver<Array<{ title: string }>>("windows")).some((w) => w.title === "Flipnem Sync Settings"),
    10_000,
  );
}

/** Tab, Tab, …: the test ids the keys land on, in order. */
async function tabOrder(anki: Anki, page: Page, count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    await anki.press(["Tab"]);
    seen.push(await focused(page));
  }
  return seen;
}

async function topBar(anki: Anki): Promise<{ page: Page; link: Locator }> {
  return waitFor("the top bar status", async () => {
    for (const p of await anki.pages()) {
      const link = p.locator("#flipnem-sync-status");
      if ((await link.count()) === 1) return { page: p, link };
    }
    return undefined;
  });
}

// the stated Tab order (README, "Keyboard and screen readers")
const PANEL_SIGNED_OUT = ["server", "username", "password", "sign-in", "auto-sync", "sync-media", "periodic-media"];
const PANEL_SIGNED_IN = [
  "test-connection",
  "sign-out",
  "auto-sync",
  "sync-media",
  "periodic-media",
  "minutes",
  "background-sync",
  ...MORE_FIELDS,
  "close",
];
const SIDEBAR_SIGNED_IN = ["settings", "sync-now", "pause", "pause-hour", "pause-tomorrow"];

describe("accessibility", () => {
  const world = useWorld();
  const { server, proxy } = world;
  let anki: Anki;

  beforeAll(async () => {
    await seedAccount(server, 2);
    anki = world.anki(true);
    // signed out, with the collection the account already holds: signing in is a normal sync
    await anki.seed({ signedIn: false });
    await py(["download", "--endpoint", server.endpoint, "--user", USER, "--col", anki.collectionPath]);
    await anki.launch({ FLIPNEM_TIMER_SCALE: "0.05" });
  });

  it("keyboard only: sign in, a switch, an option, Sync now, pause and resume, into and out of the sidebar", async () => {
    onTestFailed(() => anki.keepEvidence("a11y-keyboard"));
    await anki.driver("setDock", { visible: false });
    // the sidebar's shortcut, typed in Anki's window: the sidebar shows and has the keys
    await anki.keys(["ctrl+shift+y"]);
    await waitFor(
      "the keys in the sidebar",
      async () => (await anki.driver<{ inSidebar: boolean }>("focus")).inSidebar,
      5000,
    );
    const sidebar = await anki.sidebar();
    expect(await tabOrder(anki, sidebar, 1)).toEqual(["sign-in"]);
    await anki.press(["Return"]);
    const panel = await panelShown(anki);
    expect(await tabOrder(anki, panel, PANEL_SIGNED_OUT.length)).toEqual(PANEL_SIGNED_OUT);
    // back to the address (Shift+Tab), and fill the form
    await anki.press(Array.from({ length: PANEL_SIGNED_OUT.length - 1 }, () => "shift+Tab"));
    expect(await focused(panel)).toBe("server");
    await anki.press(["ctrl+a", "BackSpace"]);
    await anki.type(proxy.endpoint);
    await anki.press(["Tab"]);
    await anki.type(USER);
    await anki.press(["Tab"]);
    await anki.type(PASSWORD);
    const signedIn = Date.now();
    await anki.press(["Return"]);
    await panel.getByTestId("account-status").filter({ hasText: USER }).waitFor({ timeout: 30_000 });
    await waitForHistory(anki, { kind: "collection", trigger: "signIn", outcome: "ok" }, 30_000, signedIn);
    // signed in: the stated order, from the top
    await panel.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    expect(await tabOrder(anki, panel, PANEL_SIGNED_IN.length)).toEqual(PANEL_SIGNED_IN);
    // a switch (Space) and an option (typed, then Enter), on the focus ring's element
    await anki.press(
      Array.from({ length: PANEL_SIGNED_IN.length - PANEL_SIGNED_IN.indexOf("periodic-media") - 1 }, () => "shift+Tab"),
    );
    expect(await focused(panel)).toBe("periodic-media");
    const ring = await panel.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(ring).not.toBe("none");
    await anki.press(["space"]);
    await waitFor(
      "periodic media off",
      async () => (await anki.driver<{ autoSyncMediaMinutes: number }>("profile")).autoSyncMediaMinutes === 0,
      10_000,
    );
    // the interval's field went with the switch; Reset to defaults is there now: then More's first option
    await anki.press(["Tab", "Tab", "Tab"]);
    expect(await focused(panel)).toBe("option-idleSeconds-input");
    await anki.press(["ctrl+a", "BackSpace"]);
    await anki.type("12");
    await anki.press(["Return"]);
    await waitFor("the option saved", async () => (await anki.storeData()).idleSeconds === 12, 10_000);
    // Escape closes the panel
    await anki.press(["Escape"]);
    await panelClosed(anki);
    // the user is in Anki's window again; the shortcut hides the sidebar, then brings the keys back into it
    await anki.keys(["ctrl+shift+y"]);
    await waitFor("hidden", async () => !(await anki.driver<{ visible: boolean }>("dock")).visible, 5000);
    await anki.keys(["ctrl+shift+y"]);
    await waitFor(
      "the keys in the sidebar",
      async () => (await anki.driver<{ inSidebar: boolean }>("focus")).inSidebar,
      5000,
    );
    await sidebar.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    expect(await tabOrder(anki, sidebar, SIDEBAR_SIGNED_IN.length)).toEqual(SIDEBAR_SIGNED_IN);
    // Sync now, from the keys
    await anki.press(["shift+Tab", "shift+Tab", "shift+Tab"]);
    expect(await focused(sidebar)).toBe("sync-now");
    const pressed = Date.now();
    await anki.press(["Return"]);
    await waitForHistory(anki, { kind: "collection", trigger: "sidebar", outcome: "ok" }, 30_000, pressed);
    // pause, then resume: Space on the switch
    await anki.press(["Tab"]);
    expect(await focused(sidebar)).toBe("pause");
    await anki.press(["space"]);
    await waitFor("paused", () => sidebar.getByTestId("pause").isChecked(), 5000);
    await anki.press(["space"]);
    await waitFor("resumed", async () => !(await sidebar.getByTestId("pause").isChecked()), 5000);
    // Escape: the keys go back to Anki, the sidebar stays
    await anki.press(["Escape"]);
    await waitFor("the keys in Anki", async () => (await anki.driver<{ inAnki: boolean }>("focus")).inAnki, 5000);
    expect((await anki.driver<{ visible: boolean }>("dock")).visible).toBe(true);
  });

  it("axe-core finds no serious or critical violation in the sidebar: light, night, 220 px, and with a problem shown", async () => {
    onTestFailed(() => anki.keepEvidence("a11y-sidebar"));
    await anki.driver("setDock", { visible: true });
    const page = await anki.sidebar();
    expect(serious(await axe(page, "sidebar-light"))).toEqual([]);
    await anki.driver("setTheme", { dark: true });
    await waitFor("night", () => page.evaluate(() => document.documentElement.classList.contains("night-mode")), 5000);
    expect(serious(await axe(page, "sidebar-night"))).toEqual([]);
    await anki.driver("setTheme", { dark: false });
    await anki.driver("resizeDock", { width: 220 });
    await sleep(500);
    expect(serious(await axe(page, "sidebar-narrow"))).toEqual([]);
    proxy.mode = "refuse";
    const pressed = Date.now();
    try {
      await anki.driver("pressSync");
      await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "networkError" }, 30_000, pressed);
      await page.getByTestId("problem").first().waitFor({ timeout: 10_000 });
      expect(serious(await axe(page, "sidebar-problem"))).toEqual([]);
      await anki.driver("setTheme", { dark: true });
      await sleep(800);
      expect(serious(await axe(page, "sidebar-problem-night"))).toEqual([]);
      await anki.driver("setTheme", { dark: false });
    } finally {
      proxy.mode = "forward";
    }
  });

  it("axe-core finds none in the panel: signed in, the full-sync explanation, More, light and night; a removed label turns it red", async () => {
    onTestFailed(() => anki.keepEvidence("a11y-panel"));
    expect(await anki.driver("menuAction", { text: "Flipnem Sync…" })).toMatchObject({ triggered: true });
    const page = await panelShown(anki);
    expect(serious(await axe(page, "panel-signed-in"))).toEqual([]);
    await anki.driver("emitToPages", {
      event: "fullSyncChoice",
      data: { required: "either", localNotes: 2, localCards: 2 },
    });
    await page.getByTestId("full-sync-explanation").waitFor({ timeout: 5000 });
    expect(serious(await axe(page, "panel-full-sync"))).toEqual([]);
    // nothing runs off the side: the panel reflows in its window
    const [scrollWidth, innerWidth] = await page.evaluate(() => [
      document.documentElement.scrollWidth,
      window.innerWidth,
    ]);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth!);
    await page.getByTestId("more").screenshot({ path: join(SCREENSHOTS, "more-light.png") });
    await anki.driver("setTheme", { dark: true });
    await sleep(800);
    expect(serious(await axe(page, "panel-night"))).toEqual([]);
    await page.getByTestId("more").screenshot({ path: join(SCREENSHOTS, "more-night.png") });
    await anki.driver("setTheme", { dark: false });
    await sleep(500);
    // the check can fail: the same panel with one label taken away
    await page.evaluate(() => document.querySelector('label[for="option-idleSeconds"]')?.remove());
    const red = serious(await axe(page, "panel-without-a-label"));
    expect(red.map((v) => v.id)).toContain("label");
    await anki.press(["Escape"]);
    await panelClosed(anki);
  });

  it("the top bar: axe-core finds none in the add-on's link; in a narrow window it shortens to its symbol, at Anki's narrowest it steps aside: Anki's links stay in place", async () => {
    onTestFailed(() => anki.keepEvidence("a11y-top-bar"));
    const bar = await topBar(anki);
    await waitFor(
      "a status",
      async () => ((await bar.link.getAttribute("aria-label")) ?? "").startsWith("Flipnem"),
      10_000,
    );
    expect(serious(await axe(bar.page, "top-bar", "#flipnem-sync-status"))).toEqual([]);
    const layout = () =>
      bar.page.evaluate(() => {
        const links = Array.from(document.querySelectorAll<HTMLElement>("a.hitem")).filter(
          (a) => a.offsetParent !== null,
        );
        const boxes = links.map(
          (a) =>
            ({ id: a.id, ...a.getBoundingClientRect().toJSON() }) as {
              id: string;
              left: number;
              right: number;
              top: number;
            },
        );
        const short = document.querySelector<HTMLElement>("#flipnem-sync-status .flipnem-short");
        return {
          width: window.innerWidth,
          overflow: document.documentElement.scrollWidth > window.innerWidth + 1,
          rows: new Set(boxes.map((b) => Math.round(b.top))).size,
          rightmost: Math.max(...boxes.map((b) => b.right)),
          ids: boxes.map((b) => b.id),
          shortShown: short !== null && getComputedStyle(short).display !== "none",
        };
      });
    // the top bar is the glance for a user with the sidebar hidden: the window is Anki's alone
    await anki.driver("setDock", { visible: false });
    await anki.driver("resizeMain", { width: 1200, height: 800 });
    await sleep(800);
    const wide = await layout();
    expect(wide).toMatchObject({ shortShown: false });
    // a narrow window: the symbol alone, Anki's links on one row, nothing pushed out
    await anki.driver("resizeMain", { width: 600, height: 700 });
    await sleep(800);
    const narrow = await layout();
    expect(narrow).toMatchObject({ shortShown: true, overflow: false, rows: 1 });
    expect(narrow.ids).toContain("flipnem-sync-status");
    expect(narrow.rightmost).toBeLessThanOrEqual(narrow.width);
    expect(await bar.link.getAttribute("aria-label")).toMatch(/^Flipnem/);
    expect(serious(await axe(bar.page, "top-bar-narrow", "#flipnem-sync-status"))).toEqual([]);
    await bar.page.screenshot({ path: join(SCREENSHOTS, "top-bar-600.png") });
    // Anki's narrowest window: its own links fill the bar, so the status steps aside and they stay
    // exactly where they are without it
    await anki.driver("resizeMain", { width: 400, height: 700 });
    await sleep(800);
    const narrowest = await layout();
    expect(narrowest.width).toBeGreaterThanOrEqual(380);
    expect(narrowest.width).toBeLessThanOrEqual(420);
    expect(narrowest).toMatchObject({ overflow: false, rows: 1 });
    expect(narrowest.ids).not.toContain("flipnem-sync-status");
    const boxes = () =>
      bar.page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>("a.hitem"))
          .filter((a) => a.id !== "flipnem-sync-status")
          .map((a) => Math.round(a.getBoundingClientRect().left)),
      );
    await bar.page.screenshot({ path: join(SCREENSHOTS, "top-bar-400.png") });
    const withStatus = await boxes();
    await bar.page.evaluate(() => document.getElementById("flipnem-sync-status")?.remove());
    // at most the width of the space Anki's markup puts after its last link
    const without = await boxes();
    expect(Math.max(...without.map((left, i) => Math.abs(left - withStatus[i]!)))).toBeLessThanOrEqual(4);
    await anki.driver("resizeMain", { width: 1200, height: 800 });
    await anki.driver("setDock", { visible: true });
  });
  // last: it signs the profile out
  it("axe-core finds none in the panel signed out", async () => {
    onTestFailed(() => anki.keepEvidence("a11y-panel-signed-out"));
    expect(await anki.driver("menuAction", { text: "Flipnem Sync…" })).toMatchObject({ triggered: true });
    const page = await panelShown(anki);
    await page.getByTestId("sign-out").focus();
    await anki.press(["Return"]);
    await page.getByTestId("username").waitFor({ timeout: 15_000 });
    expect(serious(await axe(page, "panel-signed-out"))).toEqual([]);
    await anki.press(["Escape"]);
    await panelClosed(anki);
  });
});
