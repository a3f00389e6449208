// The local demo: a Flipnem stand-in (Anki's own sync server) on 127.0.0.1, a fresh Anki
// signed in to it with Flipnem Sync installed. With a display, Anki opens for you; without
// one, it runs one open→close cycle under Xvfb, prints what synced and saves a screenshot.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  Anki,
  ROOT,
  SyncServer,
  USER,
  Xvfb,
  device,
  seedAccount,
  waitForHistory,
  type HistoryEntry,
} from "../test/e2e/harness";

const DEMO = join(ROOT, ".demo");

function describe(entries: HistoryEntry[]): string {
  return entries
    .map((e) => {
      const what = e.kind === "collection" ? "collection" : "media";
      const reason = e.skippedReason ? ` (${e.skippedReason})` : "";
      return `  ${new Date(e.startedAt).toLocaleTimeString()}  ${what.padEnd(10)} ${e.trigger.padEnd(9)} ${e.outcome}${reason} in ${e.durationMs} ms`;
    })
    .join("\n");
}

async function main(): Promise<void> {
  rmSync(DEMO, { recursive: true, force: true });
  mkdirSync(DEMO, { recursive: true });
  const server = new SyncServer(join(DEMO, "server"));
  mkdirSync(server.dir, { recursive: true });
  const headless = !process.env.DISPLAY || process.env.CI === "true";
  const xvfb = new Xvfb();
  let anki: Anki | undefined;
  try {
    await server.start();
    console.log(`Flipnem stand-in (Anki's sync server) at ${server.endpoint}, user "${USER}"`);
    // another device puts a few cards on the server first, so there is something to sync
    const other = await seedAccount(server, 3, join(DEMO, "other-device", "collection.anki2"));
    if (headless) await xvfb.start();
    else xvfb.display = process.env.DISPLAY ?? "";
    anki = new Anki(server, xvfb, join(DEMO, "anki-base"), "Demo");
    anki.withDriver = false;
    await anki.seed({ seed: ["--sidebar-visible"] });
    // then adds one more, which the open sync brings into Anki
    await device(other, server, ["add-note", "--front", "Added on another device", "--sync"]);
    const opened = Date.now();
    await anki.launch();
    console.log(`Anki is running with Flipnem Sync (profile "Demo", base ${anki.base})`);
    await waitForHistory(anki, { kind: "collection", trigger: "open" }, 90_000, opened);
    if (headless) {
      const page = await anki.sidebar();
      await page.waitForTimeout(1000);
      await page.screenshot({ path: join(DEMO, "sidebar.png") });
      console.log(`Sidebar screenshot: ${join(DEMO, "sidebar.png")}`);
      await anki.close();
    } else {
      console.log("Close Anki when you are done; it syncs on close.");
      await new Promise<void>((r) => anki?.child?.once("exit", () => r()));
    }
    const history = (await anki.history()) as HistoryEntry[];
    console.log(`What Flipnem Sync did:\n${describe(history.filter((e) => e.startedAt >= opened))}`);
    console.log(
      `The server saw ${server.requests("/sync/meta")} sync check(s), ${server.collectionSyncs()} collection sync(s) with changes and ${server.requests("/msync/begin")} media sync(s).`,
    );
  } finally {
    await anki?.kill();
    await server.stop();
    await xvfb.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
