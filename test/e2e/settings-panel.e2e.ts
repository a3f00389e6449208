// Connecting to Flipnem from the settings panel, in real Anki against the real server.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import {
  Anki,
  PASSWORD,
  RESULTS,
  SCREENSHOTS,
  ROOT,
  USER,
  freePort,
  py,
  isAddonPage,
  tempDir,
  waitFor,
  waitForHistory,
} from "./harness";
import { useWorld } from "./world";

type Profile = {
  hasKey: boolean;
  syncUser: string | null;
  customSyncUrl: string | null;
  autoSync: boolean;
  syncMedia: boolean;
  autoSyncMediaMinutes: number;
};
type Prefs = { autoSync: boolean; syncMedia: boolean; periodicMedia: boolean };

async function openPanel(anki: Anki): Promise<Page> {
  expect(await anki.driver("menuAction", { text: "Flipnem Sync…" })).toMatchObject({ triggered: true });
  const page = await anki.settingsPage();
  await page.getByTestId("server").waitFor({ timeout: 15_000 });
  return page;
}

async function signIn(page: Page, server: string, username: string, password: string, enter = false): Promise<void> {
  await page.getByTestId("server").fill(server);
  await page.getByTestId("username").fill(username);
  await page.getByTestId("password").fill(password);
  // from the keyboard, Enter in the password field signs in
  if (enter) await page.getByTestId("password").press("Enter");
  else await page.getByTestId("sign-in").click();
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const OWN_SERVER = "https://sync.example.org/";

describe("settings panel", () => {
  const world = useWorld();
  const { server } = world;
  let anki: Anki;

  beforeAll(async () => {
    anki = world.anki();
    // periodic media was switched off in Preferences before the add-on came
    await anki.seed({ signedIn: false, seed: ["--minutes", "15", "--no-periodic"] });
    // the profile already holds cards; the Flipnem account is empty
    for (const front of ["local one", "local two"]) {
      await anki.addLocalNote(front);
    }
    await anki.launch();
  });

  it("opens from Tools > Flipnem Sync… and from the Config button in Tools > Add-ons; Escape closes it", async () => {
    onTestFailed(() => anki.keepEvidence("panel-open"));
    const page = await openPanel(anki);
    expect((await anki.driver<Array<{ title: string }>>("windows")).map((w) => w.title)).toContain(
      "Flipnem Sync Settings",
    );
    await page.getByTestId("server").focus();
    // the page goes away with the dialog, so the key press may not see its own key-up
    await page.keyboard.press("Escape").catch(() => undefined);
    await waitFor(
      "panel closed",
      async () =>
        !(await anki.driver<Array<{ title: string }>>("windows")).some((w) => w.title === "Flipnem Sync Settings"),
      10_000,
    );
    expect(await anki.driver("addonConfigButton", { folder: "flipnem_sync" })).toMatchObject({ clicked: true });
    await waitFor(
      "panel from Config",
      async () =>
        (await anki.driver<Array<{ title: string }>>("windows")).some((w) => w.title === "Flipnem Sync Settings"),
      10_000,
    );
    await (await anki.settingsPage()).getByTestId("server").waitFor();
    expect(await anki.unexpectedWindows(["Flipnem Sync Settings"])).toEqual([]);
  });

  it("before signing in, the profile is Anki's: its Preferences choice stands", async () => {
    expect(await anki.driver<Profile>("profile")).toMatchObject({ hasKey: false, autoSyncMediaMinutes: 0 });
  });

  it("a malformed address is refused beside the field, and nothing is stored", async () => {
    onTestFailed(() => anki.keepEvidence("panel-bad-address"));
    const page = await openPanel(anki);
    await signIn(page, "ftp://sync.example.com/", USER, PASSWORD);
    await expect(page.getByTestId("server-message").innerText()).resolves.toMatch(/https/);
    expect(await anki.driver<Profile>("profile")).toMatchObject({ hasKey: false, customSyncUrl: null });
  });

  it("a wrong password gets its own message and nothing is stored", async () => {
    onTestFailed(() => anki.keepEvidence("panel-wrong-password"));
    const page = await openPanel(anki);
    await signIn(page, server.endpoint, USER, "not the password", true);
    await page
      .getByTestId("account-message")
      .filter({ hasText: /did not accept/ })
      .waitFor({ timeout: 30_000 });
    expect(await anki.driver<Profile>("profile")).toMatchObject({ hasKey: false, syncUser: null, customSyncUrl: null });
    await expect(page.getByTestId("password").inputValue()).resolves.toBe("");
  });

  it("an unreachable server gets its own message", async () => {
    onTestFailed(() => anki.keepEvidence("panel-unreachable"));
    const page = await openPanel(anki);
    await signIn(page, `http://127.0.0.1:${await freePort()}/`, USER, PASSWORD);
    await page
      .getByTestId("account-message")
      .filter({ hasText: /Could not reach/ })
      .waitFor({ timeout: 60_000 });
    expect(await anki.driver<Profile>("profile")).toMatchObject({ hasKey: false });
  });

  it("good credentials: signed in, and the first sync uploads only after the user confirms", async () => {
    onTestFailed(() => anki.keepEvidence("panel-sign-in"));
    const page = await openPanel(anki);
    await signIn(page, server.endpoint.replace(/\/$/, ""), USER, PASSWORD);
    await page.getByTestId("account-status").filter({ hasText: USER }).waitFor({ timeout: 30_000 });
    // the first connection starts with the seed's defaults: all three switches on (the page
    // applies them as it hears of the sign-in, a moment after the panel shows it)
    const signedIn = {
      hasKey: true,
      syncUser: USER,
      customSyncUrl: server.endpoint,
      autoSync: true,
      syncMedia: true,
      autoSyncMediaMinutes: 15,
    };
    await waitFor(
      "the defaults in Anki's profile",
      async () => {
        const profile = await anki.driver<Profile>("profile");
        return Object.entries(signedIn).every(([k, v]) => profile[k as keyof Profile] === v);
      },
      10_000,
    );
    expect(await anki.driver<Profile>("profile")).toMatchObject(signedIn);
    // the panel explains the choice, then Anki asks; nothing is uploaded before the answer
    await page.getByTestId("full-sync-explanation").waitFor({ timeout: 30_000 });
    const asking = await waitFor(
      "Anki's upload question",
      async () =>
        (await anki.unexpectedWindows(["Flipnem Sync Settings"])).find(
          (w) => w.class === "MessageBox" || w.class === "QMessageBox",
        ),
      30_000,
    );
    // Anki's own question (in its own words, which name AnkiWeb)
    expect(asking.text).toMatch(/replace/i);
    expect(server.requests("/sync/upload")).toBe(0);
    expect(await anki.driver("clickButton", { text: "Yes" })).toMatchObject({ clicked: true });
    await waitFor("upload", () => server.requests("/sync/upload") === 1, 30_000);
    // the orchestrator hears that the one-way sync is done
    await waitForHistory(anki, { kind: "collection", trigger: "signIn", outcome: "ok" }, 30_000);
    const other = join(tempDir("device"), "collection.anki2");
    await waitFor(
      "the other device sees the cards",
      async () => (await py(["download", "--endpoint", server.endpoint, "--user", USER, "--col", other])).notes === 2,
      30_000,
      1000,
    );
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
  });

  it("test connection shows the server reachable, the round trip, and that the key was accepted", async () => {
    onTestFailed(() => anki.keepEvidence("panel-test-connection"));
    const page = await anki.settingsPage();
    // a normal sync, so the key has been accepted once
    const pressed = Date.now();
    await anki.driver("pressSync");
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 30_000, pressed);
    await page.getByTestId("test-connection").click();
    const result = page.getByTestId("connection-result");
    await result.filter({ hasText: /ms/ }).waitFor({ timeout: 30_000 });
    await expect(result.innerText()).resolves.toMatch(/accepted/i);
  });

  it("each switch and the interval apply at once, and Preferences and the orchestrator follow", async () => {
    onTestFailed(() => anki.keepEvidence("panel-switches"));
    const page = await anki.settingsPage();
    const sidebar = await anki.sidebar();
    await page.getByTestId("auto-sync").click();
    await waitFor("autoSync off", async () => (await anki.driver<Profile>("profile")).autoSync === false, 10_000);
    await page.getByTestId("sync-media").click();
    await waitFor("syncMedia off", async () => (await anki.driver<Profile>("profile")).syncMedia === false, 10_000);
    // with media off the orchestrator plans no periodic media sync
    await sidebar.getByTestId("next").filter({ hasText: /off/i }).waitFor({ state: "attached", timeout: 10_000 });
    await page.getByTestId("sync-media").click();
    await page.getByTestId("periodic-media").click();
    await waitFor(
      "periodic off",
      async () => (await anki.driver<Profile>("profile")).autoSyncMediaMinutes === 0,
      10_000,
    );
    await page.getByTestId("periodic-media").click();
    await page.getByTestId("minutes").fill("5");
    await page.getByTestId("minutes").press("Enter");
    await page.getByTestId("minutes").blur();
    await sidebar.getByTestId("next").filter({ hasText: /5 min/ }).waitFor({ state: "attached", timeout: 10_000 });
    // an invalid interval is refused and never saved
    await page.getByTestId("minutes").fill("0");
    await page.getByTestId("minutes").blur();
    await page.getByTestId("minutes-message").waitFor({ timeout: 5000 });
    expect(await anki.driver<Profile>("profile")).toMatchObject({
      autoSync: false,
      syncMedia: true,
      autoSyncMediaMinutes: 15,
    });
    await page.getByTestId("auto-sync").click();
    await waitFor("autoSync on", async () => (await anki.driver<Profile>("profile")).autoSync === true, 10_000);
    // the page goes away with the dialog, so the key press may not see its own key-up
    await page.keyboard.press("Escape").catch(() => undefined);
    expect(await anki.driver<Prefs>("prefsRead")).toEqual({ autoSync: true, syncMedia: true, periodicMedia: true });
  });

  it("screenshots of the panel in light and night theme", async () => {
    const page = await openPanel(anki);
    await page.getByTestId("account-status").waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, "settings-light.png") });
    await anki.driver("setTheme", { dark: true });
    await waitFor(
      "night theme",
      () => page.evaluate(() => document.documentElement.classList.contains("night-mode")),
      10_000,
    );
    await page.screenshot({ path: join(SCREENSHOTS, "settings-night.png") });
    await anki.driver("setTheme", { dark: false });
  });

  it("never stores or shows the password or the key", async () => {
    const key = createHash("sha1").update(`${USER}:${PASSWORD}`).digest("hex");
    const secrets = [PASSWORD, key].flatMap((s) => [
      s,
      Buffer.from(s).toString("base64"),
      Buffer.from(s).toString("hex"),
    ]);
    const files = [
      ...filesUnder(anki.base).filter((f) => !f.endsWith("prefs21.db")),
      ...filesUnder(RESULTS),
      anki.stdoutPath,
    ];
    const leaks: string[] = [];
    for (const file of files) {
      const text = readFileSync(file).toString("latin1");
      for (const s of secrets) if (text.includes(s)) leaks.push(`${file.replace(ROOT, "")}: ${secrets.indexOf(s)}`);
    }
    for (const page of await anki.pages()) {
      if (!isAddonPage(page.url())) continue;
      const seen = await page.evaluate(
        () =>
          document.documentElement.outerHTML +
          JSON.stringify(localStorage) +
          JSON.stringify(sessionStorage) +
          document.cookie,
      );
      for (const s of secrets) if (seen.includes(s)) leaks.push(`${page.url()}: ${secrets.indexOf(s)}`);
    }
    expect(files.length).toBeGreaterThan(5);
    expect(leaks).toEqual([]);
    // positive control: the search does find the key where Anki keeps it
    expect(readFileSync(join(anki.base, "prefs21.db")).toString("latin1")).toContain(key);
  });

  it("sign out clears Anki's key and restores the address the profile had", async () => {
    onTestFailed(() => anki.keepEvidence("panel-sign-out"));
    const page = await openPanel(anki);
    await page.getByTestId("sign-out").click();
    await waitFor("signed out", async () => !(await anki.driver<Profile>("profile")).hasKey, 10_000);
    expect(await anki.driver<Profile>("profile")).toMatchObject({ hasKey: false, syncUser: null, customSyncUrl: null });
    await page.getByTestId("sign-in").waitFor({ timeout: 10_000 });
  });

  it("signing in while the sidebar page is still loading: its sync runs once the page is up, as the user's own", async () => {
    onTestFailed(() => anki.keepEvidence("panel-sign-in-page-loading"));
    // the page that runs the orchestrator starts again and cannot say hello yet
    await anki.driver("holdSidebar", { hold: true });
    await waitFor("sidebar page loading", async () => (await anki.driver("product")).pageReady === false, 10_000);
    // meanwhile, the profile had been pointed at a server of the user's own in Preferences
    expect(await anki.driver("setProfile", { values: { customSyncUrl: OWN_SERVER } })).toMatchObject({
      customSyncUrl: OWN_SERVER,
    });
    const page = await openPanel(anki);
    const signedInAt = Date.now();
    await signIn(page, server.endpoint, USER, PASSWORD);
    await page.getByTestId("account-status").filter({ hasText: USER }).waitFor({ timeout: 30_000 });
    await anki.driver("holdSidebar", { hold: false });
    await waitForHistory(anki, { kind: "collection", trigger: "signIn", outcome: "ok" }, 30_000, signedInAt);
    expect(await anki.driver("counts")).toMatchObject({ nativeCollectionSync: 0 });
  });

  it("signing out gives the profile back the server it had before signing in", async () => {
    onTestFailed(() => anki.keepEvidence("panel-sign-out-restore"));
    const page = await openPanel(anki);
    expect(await anki.driver<Profile>("profile")).toMatchObject({ customSyncUrl: server.endpoint });
    // the sign-in sync's media (a new server: every file is checked again) ends first
    await waitFor(
      "no sync running",
      async () => {
        const product = await anki.driver("product");
        return product.collectionRunning === false && product.mediaRunning === false;
      },
      30_000,
    );
    await page.getByTestId("sign-out").click();
    await waitFor("signed out", async () => !(await anki.driver<Profile>("profile")).hasKey, 10_000);
    expect(await anki.driver<Profile>("profile")).toMatchObject({ hasKey: false, customSyncUrl: OWN_SERVER });
  });
});
