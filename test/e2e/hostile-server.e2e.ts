// A hostile server, in real Anki: a redirect to an address the add-on would refuse from the user
// does not move the profile's later syncs there.
import { existsSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { Anki, device, seedAccount, waitFor, waitForHistory } from "./harness";
import { useWorld } from "./world";

// plain http to an address that is not loopback, so the rule refuses it; Linux connects 0.0.0.0
// locally, so even a build that followed it would send nothing off this machine
const REFUSED = "http://0.0.0.0:1/";

describe("a hostile server", () => {
  const world = useWorld();
  const { server } = world;
  let anki: Anki;
  let other: string;

  beforeAll(async () => {
    other = await seedAccount(server, 1);
    anki = world.anki();
    await anki.seed();
    await anki.launch();
    await waitForHistory(anki, { kind: "collection", trigger: "open", outcome: "ok" });
  });

  it("a redirect to plain http off this machine is not kept: the next sync goes to the server the user chose", async () => {
    onTestFailed(() => anki.keepEvidence("hostile-redirect"));
    // the redirect arrives in a real reply after the sync, so Anki's own client never follows it
    await anki.driver("nextReply", { new_endpoint: REFUSED });
    const pressed = Date.now();
    await anki.driver("pressSync");
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 30_000, pressed);
    const profile = await anki.driver<Record<string, unknown>>("profile");
    expect(profile.currentSyncUrl ?? null).toBeNull();
    expect(profile.customSyncUrl).toBe(server.endpoint);
    // one line says so, without the address
    const log = anki.logPath;
    const line = await waitFor("the refusal logged", async () =>
      existsSync(log)
        ? readFileSync(log, "utf8")
            .split("\n")
            .find((l) => l.includes("redirect was refused"))
        : undefined,
    );
    expect(line).not.toContain("0.0.0.0");
    // the next sync reaches the server the user chose
    const starts = server.collectionSyncs();
    await anki.driver("addNote", { front: "after a refused redirect", back: "" });
    const again = Date.now();
    await anki.driver("pressSync");
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 30_000, again);
    expect(server.collectionSyncs()).toBe(starts + 1);
    expect(await device(other, server, ["sync", "--query", '"front:after a refused redirect"'])).toMatchObject({
      found: 1,
    });
  });

  it("a redirect that keeps the rule is still followed, as Anki follows it", async () => {
    onTestFailed(() => anki.keepEvidence("hostile-redirect-kept"));
    // the server sends the profile to itself: an address the user could have entered, on this machine
    await anki.driver("nextReply", { new_endpoint: server.endpoint });
    const pressed = Date.now();
    await anki.driver("pressSync");
    await waitForHistory(anki, { kind: "collection", trigger: "button", outcome: "ok" }, 30_000, pressed);
    expect(await anki.driver("profile")).toMatchObject({ currentSyncUrl: server.endpoint });
  });
});
