// The foundation: the built add-on runs in real Anki against the real sync server.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { Anki, ADDON, isAddonPage, pinned, ROOT, RESULTS, seedAccount, USER, versionParts, waitFor } from "./harness";
import { useWorld } from "./world";

const manifest = JSON.parse(readFileSync(join(ROOT, "manifest.json"), "utf8")) as {
  human_version: string;
  name: string;
};

describe("foundation", () => {
  const world = useWorld();
  const { server } = world;
  let anki: Anki;

  beforeAll(async () => {
    await seedAccount(server, 2);
    anki = world.anki();
    await anki.seed();
    await anki.launch();
  });

  it("starts with the add-on enabled and no error window", async () => {
    onTestFailed(() => anki.keepEvidence("foundation-start"));
    const addons = await anki.driver<Array<{ dir: string; enabled: boolean; version: string }>>("addons");
    const ours = addons.find((a) => a.dir === "flipnem_sync");
    expect(ours?.enabled).toBe(true);
    expect(ours?.version).toBe(manifest.human_version);
    expect(await anki.unexpectedWindows()).toEqual([]);
  });

  it("runs the Anki and Qt this leg pins, and says which", async () => {
    const versions = await anki.driver<{ anki: string; qt: string; pyqt: string; python: string }>("versions");
    const agent = await (await anki.sidebar()).evaluate(() => navigator.userAgent);
    const chromium = `Chromium ${/Chrome\/([\d.]+)/.exec(agent)?.[1] ?? "?"}`;
    expect(versionParts(versions.anki)).toEqual(pinned("aqt"));
    expect(versionParts(versions.qt)).toEqual(pinned("PyQt6-Qt6"));
    const line = `Anki ${versions.anki}, Qt ${versions.qt}, PyQt ${versions.pyqt}, ${chromium}, Python ${versions.python}`;
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, "versions.txt"), `${line}\n`);
    console.log(line);
  });

  it("the driver sees a window the test opens on purpose (positive control)", async () => {
    await anki.driver("positiveControl", { title: "Driver control" });
    const seen = await anki.unexpectedWindows();
    expect(seen.map((w) => w.title)).toContain("Driver control");
    await anki.driver("closeWindow", { title: "Driver control" });
    expect(await anki.unexpectedWindows()).toEqual([]);
  });

  it("renders the sidebar page with the version that came from Python (a bridge round trip)", async () => {
    onTestFailed(() => anki.keepEvidence("foundation-sidebar"));
    await anki.driver("setDock", { visible: true });
    const page = await anki.sidebar();
    await page
      .getByTestId("version")
      .filter({ hasText: `v${manifest.human_version}` })
      .waitFor({ timeout: 15_000 });
    await expect(page.getByTestId("connection").innerText()).resolves.toContain(USER);
    await page.screenshot({ path: join(RESULTS, "sidebar-foundation.png") });
  });

  it("answers a request from its own page with the same id", async () => {
    const page = await anki.sidebar();
    const reply = await page.evaluate(
      () => new Promise((resolve) => window.pycmd?.('flipnem:{"id":4242,"command":"ping","args":{}}', resolve)),
    );
    expect(reply).toMatchObject({ id: 4242, ok: true, result: { pong: true } });
  });

  it("refuses a command sent from Anki's own webviews, while the same command from its page works", async () => {
    onTestFailed(() => anki.keepEvidence("foundation-refusal"));
    await anki.driver("setDock", { visible: false });
    expect((await anki.driver<{ visible: boolean }>("dock")).visible).toBe(false);
    const foreign = (await anki.pages()).filter((p) => !isAddonPage(p.url()));
    expect(foreign.length).toBeGreaterThan(0);
    for (const page of foreign) {
      const reply = await page.evaluate(
        () =>
          new Promise((resolve) =>
            (window as unknown as { pycmd: (t: string, cb: (r: unknown) => void) => void }).pycmd(
              'flipnem:{"id":1,"command":"toggleSidebar","args":{}}',
              resolve,
            ),
          ),
      );
      expect(reply).toMatchObject({ ok: false, error: { code: "refused" } });
    }
    // no effect: the sidebar stayed hidden
    expect((await anki.driver<{ visible: boolean }>("dock")).visible).toBe(false);
    expect((await anki.driver<{ refused: number }>("product")).refused).toBeGreaterThanOrEqual(foreign.length);
    // the same command from the add-on's own page takes effect
    const own = await anki.sidebar();
    await own.evaluate(
      () => new Promise((resolve) => window.pycmd?.('flipnem:{"id":2,"command":"toggleSidebar","args":{}}', resolve)),
    );
    await waitFor("sidebar shown", async () => (await anki.driver<{ visible: boolean }>("dock")).visible, 5000);
  });

  it("installs the packaged file with Anki's own installer and lists it enabled after a restart", async () => {
    onTestFailed(() => anki.keepEvidence("foundation-install"));
    const result = await anki.driver<{ type: string; name: string }>("install", { path: ADDON });
    expect(result).toMatchObject({ type: "InstallOk", name: manifest.name });
    await anki.close();
    await anki.launch();
    const addons = await anki.driver<Array<{ dir: string; enabled: boolean }>>("addons");
    expect(addons.find((a) => a.dir === "flipnem_sync")?.enabled).toBe(true);
    const page = await anki.sidebar();
    await page
      .getByTestId("version")
      .filter({ hasText: manifest.human_version })
      .waitFor({ state: "attached", timeout: 15_000 });
    expect(await anki.unexpectedWindows()).toEqual([]);
  });
});
