// Hostile decks and broken files, in real Anki: card JavaScript in the reviewer can neither
// read the add-on's files nor replace its pages, and no damaged file costs the user their sync.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { Anki, ankiAtLeast, seedAccount, sleep, waitFor, waitForHistory } from "./harness";
import { useWorld } from "./world";

const PRODUCT = "addons21/flipnem_sync";
const DRIVER_FOLDER = "000_flipnem_test_driver";

/**
 * The reviewer's page (Anki's main webview) once it shows the card holding `selector`. On a cold
 * machine Anki's reviewer sometimes asks for the card before its own scripts have loaded (its
 * console says `_showQuestion is not defined`); entering the reviewer again loads it afresh.
 */
async function reviewer(anki: Anki, selector: string): Promise<Page> {
  const find = async (): Promise<Page | undefined> => {
    for (const page of await anki.pages()) {
      if (page.url().includes("/_addons/")) continue;
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
    await anki.launch();
    await waitForHistory(anki, { kind: "collection", trigger: "open" });
    // Anki is settled: the open sync's media is done too
    await waitForHistory(anki, { kind: "media", trigger: "open" });
  });

  it("card JavaScript reads no file outside the add-on's built pages, by any traversal form; the pages still load", async () => {
    onTestFailed(() => anki.keepEvidence("security-traversal"));
    const storeFile = anki.storePath().split("/").pop()!;
    // relative to web/: the add-on's log and state, and another add-on's code
    const targets = [
      "../user_files/flipnem-sync.log",
      `../user_files/profiles/${encodeURIComponent(storeFile)}`,
      `../../${DRIVER_FOLDER}/__init__.py`,
    ];
    const forms = ["..%2f", "..%2F", "%2e%2e%2f", "%2E%2E%2F", "..%252f", "%252e%252e%252f", "%2e%2e/", "..%5c"];
    const traversals = targets.flatMap((t) =>
      forms.map((form) => `/_addons/flipnem_sync/web/${t.replaceAll("../", form)}`),
    );
    const direct = [
      "/_addons/flipnem_sync/user_files/flipnem-sync.log",
      "/_addons/flipnem_sync/config.json",
      "/_addons/flipnem_sync/web/../user_files/flipnem-sync.log",
      `/_addons/${DRIVER_FOLDER}/__init__.py`,
    ];
    const own = ["/_addons/flipnem_sync/web/index.html"];
    await anki.driver("showCard", { notetype: "Hostile probe", qfmt: probeCard([...traversals, ...direct, ...own]) });
    const page = await reviewer(anki, "#hostile-probe[data-done=yes]");
    const results = JSON.parse((await page.locator("#hostile-probe").textContent()) ?? "[]") as Array<{
      path: string;
      status: number;
      body: string;
    }>;
    expect(results).toHaveLength(traversals.length + direct.length + own.length);
    // what each file would show: a log line, the state's fields, the driver's docstring
    const secret = / INFO |"managed"|"user"|Test-only driver/;
    const leaked = results.filter((r) => !own.includes(r.path) && (r.status === 200 || secret.test(r.body)));
    expect(leaked).toEqual([]);
    // the add-on's own page is still served (so the refusals above are not a server that serves nothing)
    const page200 = results.filter((r) => own.includes(r.path));
    expect(page200.map((r) => r.status)).toEqual([200]);
    expect(page200[0]!.body).toContain("<title>Flipnem Sync</title>");
    // the files probed for exist: a 404 above is a refusal, not a missing file
    expect(existsSync(join(anki.base, PRODUCT, "user_files/flipnem-sync.log"))).toBe(true);
    expect(existsSync(anki.storePath())).toBe(true);
  });

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
      if (page.url().includes("/_addons/flipnem_sync/")) {
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

  it("every file of the add-on lost: Anki's profile still holds the account, so the add-on still syncs it", async () => {
    const anki = world.anki();
    onTestFailed(() => anki.keepEvidence("security-files-lost"));
    await anki.seed();
    await anki.launch();
    await waitForHistory(anki, { kind: "collection", trigger: "open" });
    await anki.close();
    rmSync(join(anki.base, PRODUCT, "user_files"), { recursive: true, force: true });
    const since = Date.now();
    await anki.launch();
    await provesTheAddonSyncs(anki, since);
    expect(await problems(anki)).toMatch(/still signed in/i);
    await anki.kill();
  });
});
