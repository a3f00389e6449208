// Hostile decks and broken files, in real Anki: card JavaScript in the reviewer can neither
// read the add-on's files nor replace its pages, and no damaged file costs the user their sync.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { Anki, ankiAtLeast, isAddonPage, py, seedAccount, sleep, waitFor, waitForHistory } from "./harness";
import { useWorld } from "./world";

const PRODUCT = "addons21/flipnem_sync";
const DRIVER_FOLDER = "000_flipnem_test_driver";
/** Another add-on installed beside the product, exporting its web folder loosely, as many do. */
const LOOSE_FOLDER = "loose_exports";

function installLooseAddon(base: string): void {
  const folder = join(base, "addons21", LOOSE_FOLDER);
  mkdirSync(join(folder, "web"), { recursive: true });
  writeFileSync(
    join(folder, "__init__.py"),
    'from aqt import mw\n\nmw.addonManager.setWebExports(__name__, r"web/.*")\n',
  );
  writeFileSync(join(folder, "web", "own.txt"), "a loose add-on's own file");
}

/** Card JavaScript that fetches the add-on's page and frames it, from Anki's server and from the add-on's own scheme. */
const FRAME_CARD = `<pre id="hostile-frames"></pre>
<iframe name="served" src="/_addons/flipnem_sync/web/index.html#settings"></iframe>
<iframe name="scheme" src="flipnem-sync://app/index.html#settings"></iframe>
<iframe name="control" srcdoc="<p>the card's own frame</p><input type=password>"></iframe>
<script>
  Promise.all(["/_addons/flipnem_sync/web/index.html", "flipnem-sync://app/index.html"].map(function (path) {
    return fetch(path).then(
      function (r) { return r.text().then(function (t) { return { status: r.status, body: t.slice(0, 200) }; }); },
      function (e) { return { status: 0, body: String(e) }; }
    );
  })).then(function (results) {
    var el = document.getElementById("hostile-frames");
    el.textContent = JSON.stringify(results);
    el.dataset.done = "yes";
  });
</script>`;

/**
 * The reviewer's page (Anki's main webview) once it shows the card holding `selector`. On a cold
 * machine Anki's reviewer sometimes asks for the card before its own scripts have loaded (its
 * console says `_showQuestion is not defined`); entering the reviewer again loads it afresh.
 */
async function reviewer(anki: Anki, selector: string): Promise<Page> {
  const find = async (): Promise<Page | undefined> => {
    for (const page of await anki.pages()) {
      if (isAddonPage(page.url())) continue;
      const count = await page
        .locator(selector)
        .count()
        .catch(() => 0);
      if (count > 0) return page;
    }
    return undefined;
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await waitFor(`reviewer showing ${selector} (attempt ${attempt})`, find, 15_000);
    } catch (err) {
      if (attempt === 3) throw err;
      await anki.driver("reviewAgain");
    }
  }
}

/** A service worker as a shared deck could ship it: a media file, registered by the card with scope "/". */
const WORKER = String.raw`
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
const FAKE_PAGE = ${JSON.stringify(`<!doctype html><html><head><title>Flipnem Sync</title></head>
<body><div id="app" data-fake-page="yes">Sign in to Flipnem<input type="password"></div><script>
var tries = 0;
function attack() {
  if (typeof pycmd !== "function") { if (tries++ < 200) setTimeout(attack, 50); return; }
  var send = function (id, command, args) { pycmd("flipnem:" + JSON.stringify({ id: id, command: command, args: args }), function () {}); };
  send(9001, "saveSettings", { settings: { autoSync: false, syncMedia: false, periodicMedia: false, periodicMediaMinutes: 1440, backgroundSync: true } });
  send(9002, "signOut", {});
}
attack();
</script></body></html>`)};
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (url.pathname === "/__flipnem_probe") {
    event.respondWith(new Response("worker answered", { headers: { "Content-Type": "text/plain" } }));
  } else if (url.pathname.startsWith("/_addons/flipnem_sync/web/")) {
    event.respondWith(new Response(FAKE_PAGE, { headers: { "Content-Type": "text/html" } }));
  }
});
`;

const WORKER_CARD = `<div id="hostile-worker">a card from a shared deck</div>
<script>
  navigator.serviceWorker.register("/_flipnem_sw.js", { scope: "/" }).then(
    function () { document.getElementById("hostile-worker").dataset.registered = "yes"; },
    function (e) { document.getElementById("hostile-worker").dataset.registered = "error: " + e; }
  );
</script>`;

/** Card JavaScript that fetches each path and writes what came back into the card. */
function probeCard(paths: string[]): string {
  return `<pre id="hostile-probe"></pre>
<script>
  Promise.all(${JSON.stringify(paths)}.map(function (path) {
    return fetch(path).then(
      function (r) { return r.text().then(function (t) { return { path: path, status: r.status, body: t.slice(0, 200) }; }); },
      function (e) { return { path: path, status: 0, body: String(e) }; }
    );
  })).then(function (results) {
    var el = document.getElementById("hostile-probe");
    el.textContent = JSON.stringify(results);
    el.dataset.done = "yes";
  });
</script>`;
}

describe("hostile decks", () => {
  const world = useWorld();
  const { server } = world;
  let anki: Anki;

  beforeAll(async () => {
    await seedAccount(server, 1);
    anki = world.anki();
    await anki.seed({ seed: ["--sidebar-visible"] });
    installLooseAddon(anki.base);
    await anki.launch();
    await waitForHistory(anki, { kind: "collection", trigger: "open" });
    // Anki is settled: the open sync's media is done too
    await waitForHistory(anki, { kind: "media", trigger: "open" });
  });

  it("card JavaScript reads none of the add-on's files through any add-on's export, by any traversal form", async () => {
    onTestFailed(() => anki.keepEvidence("security-traversal"));
    // from addons21/<add-on>/web/: the add-on's log and a profile's state live outside addons21/,
    // where they lived before, and (the route's positive control) another add-on's code inside it
    const profile = encodeURIComponent(anki.profile);
    const targets = [
      "../../../flipnem_sync/flipnem-sync.log",
      `../../../${profile}/flipnem_sync/state.json`,
      `../../../${profile}/flipnem_sync/state.last-good.json`,
      "../../flipnem_sync/user_files/flipnem-sync.log",
    ];
    const inside = `../../${DRIVER_FOLDER}/__init__.py`;
    const forms = ["..%2f", "..%2F", "%2e%2e%2f", "%2E%2E%2F", "..%252f", "%252e%252e%252f", "%2e%2e/", "..%5c"];
    const through = (folder: string, target: string) =>
      forms.map((form) => `/_addons/${folder}/web/${target.replaceAll("../", form)}`);
    const traversals = [LOOSE_FOLDER, "flipnem_sync"].flatMap((folder) => targets.flatMap((t) => through(folder, t)));
    const direct = [
      "/_addons/flipnem_sync/web/index.html",
      "/_addons/flipnem_sync/config.json",
      "/_addons/flipnem_sync/user_files/flipnem-sync.log",
    ];
    // what the loose export does serve: its own file, and a file inside addons21/ by traversal
    const controls = [
      `/_addons/${LOOSE_FOLDER}/web/own.txt`,
      `/_addons/${LOOSE_FOLDER}/web/${inside.replaceAll("../", "..%2f")}`,
    ];
    await anki.driver("showCard", {
      notetype: "Hostile probe",
      qfmt: probeCard([...traversals, ...direct, ...controls]),
    });
    const page = await reviewer(anki, "#hostile-probe[data-done=yes]");
    const results = JSON.parse((await page.locator("#hostile-probe").textContent()) ?? "[]") as Array<{
      path: string;
      status: number;
      body: string;
    }>;
    expect(results).toHaveLength(traversals.length + direct.length + controls.length);
    // what each file would show: a log line, the state's fields, the page's title
    const secret = / INFO |"managed"|"user"|<title>Flipnem Sync/;
    const leaked = results.filter((r) => !controls.includes(r.path) && (r.status === 200 || secret.test(r.body)));
    expect(leaked).toEqual([]);
    // the route is real: the loose export serves its own file, and lets a card read inside addons21/
    const control = results.filter((r) => controls.includes(r.path));
    expect(control.map((r) => r.status)).toEqual([200, 200]);
    expect(control[0]!.body).toBe("a loose add-on's own file");
    expect(control[1]!.body).toContain("Test-only driver");
    // the files probed for exist, where they now live: a refusal above is not a missing file
    expect(readFileSync(anki.logPath, "utf8")).toMatch(/ INFO /);
    expect(existsSync(anki.storePath())).toBe(true);
    expect(existsSync(anki.storePath().replace(/\.json$/, ".last-good.json"))).toBe(true);
    expect(existsSync(join(anki.base, PRODUCT, "user_files"))).toBe(false);
  });

  it("a card can neither fetch nor frame the add-on's pages; its own frame works", async () => {
    onTestFailed(() => anki.keepEvidence("security-frames"));
    const refusedBefore = (await anki.driver<{ refused: number }>("product")).refused;
    await anki.driver("showCard", { notetype: "Hostile frames", qfmt: FRAME_CARD });
    const card = await reviewer(anki, "#hostile-frames[data-done=yes]");
    const fetched = JSON.parse((await card.locator("#hostile-frames").textContent()) ?? "[]") as Array<{
      status: number;
      body: string;
    }>;
    // no page content by fetch, from Anki's server or the add-on's own scheme
    expect(fetched.filter((r) => r.status === 200 || r.body.includes("Flipnem"))).toEqual([]);
    await sleep(2000);
    const frames = card.frames().filter((f) => f !== card.mainFrame());
    // a frame whose load failed may never run script (Qt 6.6 leaves it without one): nothing renders there
    const nothing = { fields: 0, page: 0, text: "" };
    const looks = await Promise.all(
      frames.map(async (f) => ({
        name: f.name(),
        ...(await Promise.race([
          f
            .evaluate(() => ({
              // the control's field, or any element of the add-on's pages (each carries a test id)
              fields: document.querySelectorAll("input").length,
              page: document.querySelectorAll("[data-testid]").length,
              text: (document.body?.textContent ?? "").slice(0, 200),
            }))
            .catch(() => nothing),
          sleep(3000).then(() => nothing),
        ])),
      })),
    );
    const control = looks.find((l) => l.name === "control");
    expect(control?.fields).toBe(1);
    const hostile = looks.filter((l) => l.name !== "control");
    expect(hostile.length).toBe(2);
    for (const frame of hostile) {
      expect(frame.page, frame.name).toBe(0);
      expect(frame.fields, frame.name).toBe(0);
      expect(frame.text, frame.name).not.toMatch(/Flipnem Sync|Sign in/);
    }
    // nothing of the add-on's ran in the card, so nothing reached Python to be refused
    expect((await anki.driver<{ refused: number }>("product")).refused).toBe(refusedBefore);
  });

  for (const pageName of ["sidebar", "settings"] as const) {
    it(`the ${pageName} page stays where it is: no link, script, form or window takes it elsewhere; an inserted script does not run`, async () => {
      onTestFailed(() => anki.keepEvidence(`security-navigation-${pageName}`));
      if (pageName === "settings") await anki.driver("menuAction", { text: "Flipnem Sync…" });
      const page = pageName === "sidebar" ? await anki.sidebar() : await anki.settingsPage();
      await page.getByTestId(pageName).waitFor({ timeout: 15_000 });
      const url = page.url();
      const pagesBefore = (await anki.pages()).length;
      const windowsBefore = (await anki.driver<unknown[]>("windows")).length;
      const elsewhere = `${world.server.endpoint}health`;
      const attempts: Array<[string, (target: string) => void]> = [
        [
          "a link",
          (target) => {
            const a = document.createElement("a");
            a.href = target;
            document.body.append(a);
            a.click();
          },
        ],
        ["location.assign", (target) => location.assign(target)],
        [
          "a form",
          (target) => {
            const form = document.createElement("form");
            form.action = target;
            form.method = "get";
            document.body.append(form);
            // from the page's own task, as a script's submit would be (not inside the test's evaluate)
            setTimeout(() => form.submit(), 0);
          },
        ],
      ];
      for (const [how, attempt] of attempts) {
        await page.evaluate(() => ((window as unknown as { stayed: number }).stayed = 1));
        await page.evaluate(attempt, elsewhere).catch(() => undefined);
        await sleep(1000);
        expect(page.url(), how).toBe(url);
        expect(await page.evaluate(() => (window as unknown as { stayed?: number }).stayed), how).toBe(1);
        expect((await anki.pages()).length, how).toBe(pagesBefore);
        expect((await anki.driver<unknown[]>("windows")).length, how).toBe(windowsBefore);
      }
      // a window, last: the page asks from its own task, and what Chromium made for it is let go at once
      await page.evaluate((target) => void setTimeout(() => window.open(target, "_blank"), 0), elsewhere);
      await sleep(1500);
      expect((await anki.driver<unknown[]>("windows")).length, "window.open").toBe(windowsBefore);
      // a fresh connection: the refused popup may leave the old one waiting on it
      anki.reconnect();
      const again = pageName === "sidebar" ? await anki.sidebar() : await anki.settingsPage();
      expect(again.url(), "window.open").toBe(url);
      expect(await again.evaluate(() => (window as unknown as { stayed?: number }).stayed), "window.open").toBe(1);
      expect((await anki.pages()).length, "window.open").toBe(pagesBefore);
      // an inline script put into the page (by whatever got markup in) is refused by the page's policy
      const inline = await again.evaluate(
        () =>
          new Promise<{ ran: boolean; violated: string }>((resolve) => {
            let violated = "";
            document.addEventListener("securitypolicyviolation", (e) => (violated = e.effectiveDirective));
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.body.append(script);
            setTimeout(
              () => resolve({ ran: (window as unknown as { inlineRan?: boolean }).inlineRan === true, violated }),
              500,
            );
          }),
      );
      expect(inline).toEqual({ ran: false, violated: "script-src-elem" });
      if (pageName === "settings") await anki.driver("closeWindow", { title: "Flipnem Sync Settings" });
    });
  }

  it("a service worker from a card cannot replace the add-on's pages or command the add-on", async () => {
    onTestFailed(() => anki.keepEvidence("security-service-worker"));
    const before = await anki.driver<{ hasKey: boolean; autoSync: boolean; autoSyncMediaMinutes: number }>("profile");
    expect(before.hasKey).toBe(true);
    await anki.driver("showCard", {
      notetype: "Hostile worker",
      qfmt: WORKER_CARD,
      media: { "_flipnem_sw.js": WORKER },
    });
    const card = await reviewer(anki, "#hostile-worker");
    // positive control: the worker did register and answers requests in the reviewer's own profile
    const registered = await waitFor("worker registered", async () => {
      const state = await card.locator("#hostile-worker").getAttribute("data-registered");
      return state ?? undefined;
    });
    expect(registered).toBe("yes");
    await waitFor("worker controls the reviewer", () =>
      card.evaluate(() => navigator.serviceWorker.controller !== null),
    );
    expect(await card.evaluate(() => fetch("/__flipnem_probe").then((r) => r.text()))).toBe("worker answered");
    // the worker answers the add-on's page address too, where it can reach it
    expect(await card.evaluate(() => fetch("/_addons/flipnem_sync/web/index.html").then((r) => r.text()))).toContain(
      "data-fake-page",
    );

    // now the user opens the settings and the sidebar page starts again (as after a crash)
    await anki.driver("menuAction", { text: "Flipnem Sync…" });
    await anki.driver("reloadSidebar");
    const settings = await anki.settingsPage();
    await settings.getByTestId("settings").waitFor({ timeout: 15_000 });
    const sidebar = await anki.sidebar();
    await sidebar.getByTestId("sidebar").waitFor({ timeout: 15_000 });
    // a fake page would have acted by now: it sends its commands as soon as pycmd exists
    await sleep(3000);
    for (const page of await anki.pages()) {
      if (isAddonPage(page.url())) {
        expect(await page.locator("[data-fake-page]").count()).toBe(0);
      }
    }
    const after = await anki.driver<typeof before>("profile");
    expect(after).toEqual(before);
    expect((await anki.storeData()).managed).toBe(true);

    // each add-on page runs in a profile of its own: not Anki's default, not the reviewer's, not the API one
    const profiles = await anki.driver<{
      views: Array<{ view: string; sharesWith: string[]; sameAsReviewer: boolean }>;
      ankiProfiles: string[];
    }>("viewProfiles");
    // from 25.02 Anki's pages share two profiles of its own; 24.06 puts them all in Qt's default one
    const ankisOwn = ankiAtLeast([25, 2]);
    expect(profiles.ankiProfiles).toEqual(ankisOwn ? ["default", "withApi", "withoutApi"] : ["default"]);
    const byView = Object.fromEntries(profiles.views.map((v) => [v.view, v]));
    // positive control: the comparison does see the profile the reviewer shares with Anki's pages
    expect(byView.reviewer?.sharesWith).toContain(ankisOwn ? "withoutApi" : "default");
    for (const name of ["sidebar", "settings"]) {
      expect(byView[name], name).toBeDefined();
      expect(byView[name]!.sharesWith, name).toEqual([]);
      expect(byView[name]!.sameAsReviewer, name).toBe(false);
    }
    await anki.driver("closeWindow", { title: "Flipnem Sync Settings" });
  });
});

type StoreCell = { name: string; meta?: unknown; store?: string; expectLines: RegExp[]; interval: boolean };

const DEEP = `{"managed": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
const CELLS: StoreCell[] = [
  {
    name: "config a string, state not JSON",
    meta: "fast please",
    store: "{broken",
    expectLines: [/config/i, /last good copy/i],
    interval: true,
  },
  {
    name: "config null, state with NaN",
    meta: null,
    store: '{"managed": true, "x": NaN}',
    expectLines: [/config/i, /last good copy/i],
    interval: true,
  },
  {
    name: "config a list, state a list",
    meta: [1, 2],
    store: "[1, 2, 3]",
    expectLines: [/config/i, /last good copy/i],
    interval: true,
  },
  {
    name: "config with wrong types inside, state nested deeply",
    meta: { periodicMediaMinutes: "often", closeBoundSeconds: true, autoSync: "no" },
    store: DEEP,
    expectLines: [/periodicMediaMinutes/, /closeBoundSeconds/, /last good copy/i],
    interval: true,
  },
];

describe("broken files", () => {
  const world = useWorld();
  const { server } = world;

  beforeAll(async () => {
    await seedAccount(server, 1);
  });

  async function problems(anki: Anki): Promise<string> {
    const page = await anki.sidebar();
    return waitFor("problems shown", async () => {
      const text = await page.getByTestId("problems").textContent({ timeout: 1000 });
      return text ?? undefined;
    });
  }

  async function provesTheAddonSyncs(anki: Anki, since: number): Promise<void> {
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" }, 60_000, since);
    expect((await anki.driver<{ nativeCollectionSync: number }>("counts")).nativeCollectionSync).toBe(0);
    expect(await anki.unexpectedWindows()).toEqual([]);
    expect((await anki.driver<{ hasKey: boolean }>("profile")).hasKey).toBe(true);
    expect((await anki.storeData()).managed).toBe(true);
  }

  for (const cell of CELLS) {
    it(`${cell.name}: Anki starts with no error, the add-on syncs, the interval and managed state survive, a line says so`, async () => {
      const anki = world.anki();
      onTestFailed(() => anki.keepEvidence(`security-files-${cell.name}`));
      await anki.seed({ seed: ["--minutes", "7"] });
      // the seed is what a sign-in leaves, with its last good copy beside it
      expect(existsSync(anki.storePath().replace(/\.json$/, ".last-good.json"))).toBe(true);
      const metaPath = join(anki.base, PRODUCT, "meta.json");
      const meta = existsSync(metaPath) ? (JSON.parse(readFileSync(metaPath, "utf8")) as Record<string, unknown>) : {};
      writeFileSync(metaPath, JSON.stringify({ ...meta, config: cell.meta }));
      if (cell.store !== undefined) writeFileSync(anki.storePath(), cell.store);
      const since = Date.now();
      await anki.launch();
      await provesTheAddonSyncs(anki, since);
      if (cell.interval) expect((await anki.storeData()).periodicMediaMinutes).toBe(7);
      const text = await problems(anki);
      for (const line of cell.expectLines) expect(text).toMatch(line);
      await anki.kill();
    });
  }

  it("wrong types in the state file are refused: 'no' is not true, and the bad values are named", async () => {
    const anki = world.anki();
    onTestFailed(() => anki.keepEvidence("security-files-types"));
    await anki.seed({ seed: ["--minutes", "7"] });
    const stored = JSON.parse(readFileSync(anki.storePath(), "utf8")) as Record<string, unknown>;
    writeFileSync(anki.storePath(), JSON.stringify({ ...stored, backgroundSync: "no", sidebarVisible: "no" }));
    const since = Date.now();
    await anki.launch();
    await provesTheAddonSyncs(anki, since);
    expect((await anki.driver<{ visible: boolean }>("dock")).visible).toBe(false);
    const text = await problems(anki);
    expect(text).toMatch(/backgroundSync/);
    expect(text).toMatch(/sidebarVisible/);
    const saved = await anki.storeData();
    expect(saved.periodicMediaMinutes).toBe(7);
    expect(saved.backgroundSync).toBeUndefined();
    await anki.kill();
  });

  it("upgraded from the layout that kept its files inside addons21/, then the profile renamed: history, settings and log are all there", async () => {
    const anki = world.anki();
    onTestFailed(() => anki.keepEvidence("security-files-upgrade"));
    await anki.seed({ seed: ["--minutes", "7"] });
    await anki.launch();
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" });
    await anki.close();
    const before = await anki.history();
    expect(before.length).toBeGreaterThanOrEqual(2);
    const logBefore = readFileSync(anki.logPath, "utf8");
    // what an earlier version leaves: the same files inside the add-on's folder
    await py(["old-layout", "--base", anki.base, "--profile", anki.profile]);
    const oldFiles = join(anki.base, PRODUCT, "user_files");
    expect(existsSync(anki.storePath())).toBe(false);
    expect(existsSync(join(oldFiles, "flipnem-sync.log"))).toBe(true);
    const since = Date.now();
    await anki.launch();
    await provesTheAddonSyncs(anki, since);
    const after = await anki.history();
    for (const entry of before) expect(after).toContainEqual(entry);
    expect((await anki.storeData()).periodicMediaMinutes).toBe(7);
    expect(readFileSync(anki.logPath, "utf8").startsWith(logBefore)).toBe(true);
    // nothing is left where a card could read it
    expect(existsSync(oldFiles)).toBe(false);
    await anki.close();

    // Anki's own rename moves the profile's folder, and the add-on's state with it
    await py(["rename-profile", "--base", anki.base, "--profile", anki.profile, "--to", "Renamed"]);
    const renamed = new Anki(world.server, world.xvfb, anki.base, "Renamed");
    try {
      const again = Date.now();
      await renamed.launch();
      await provesTheAddonSyncs(renamed, again);
      const kept = await renamed.history();
      for (const entry of after) expect(kept).toContainEqual(entry);
      expect((await renamed.storeData()).periodicMediaMinutes).toBe(7);
    } finally {
      await renamed.kill();
    }
  });

  it("every file of the add-on lost: Anki's profile still holds the account, so the add-on still syncs it", async () => {
    const anki = world.anki();
    onTestFailed(() => anki.keepEvidence("security-files-lost"));
    await anki.seed();
    await anki.launch();
    await waitForHistory(anki, { kind: "collection", trigger: "open" });
    await anki.close();
    rmSync(dirname(anki.storePath()), { recursive: true, force: true });
    rmSync(dirname(anki.logPath), { recursive: true, force: true });
    const since = Date.now();
    await anki.launch();
    await provesTheAddonSyncs(anki, since);
    expect(await problems(anki)).toMatch(/still signed in/i);
    await anki.kill();
  });
});
