// The settings page's state object, driven through a fake bridge without any DOM.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeBridge, SETTINGS, SERVER, helloReply } from "../../../../test/fakes/fakeBridge";
import { FALLBACK_SETTINGS } from "./form";
import { MINUTES_SAVE_DELAY_MS, SettingsPanel } from "./panel.svelte";

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

async function started(
  overrides: Record<string, unknown> = {},
  session: Record<string, unknown> = {},
): Promise<{ bridge: FakeBridge; panel: SettingsPanel; stop: () => void }> {
  const bridge = new FakeBridge();
  const panel = new SettingsPanel(bridge);
  const stop = panel.start();
  const hello = bridge.pending("hello");
  expect(hello.args).toEqual({ page: "settings" });
  hello.resolve(helloReply(overrides, session));
  await flush();
  return { bridge, panel, stop };
}

describe("hello", () => {
  it("shows the profile's settings and prefills Flipnem's address", async () => {
    const { panel } = await started({}, { settings: { ...SETTINGS, periodicMediaMinutes: 30 } });
    expect(panel.loaded).toBe(true);
    expect(panel.hasProfile).toBe(true);
    expect(panel.settings.periodicMediaMinutes).toBe(30);
    expect(panel.minutesText).toBe("30");
    expect(panel.serverText).toBe(SERVER);
    expect(panel.account).toEqual({ signedIn: false });
  });

  it("says so when Anki cannot be reached", async () => {
    const bridge = new FakeBridge();
    const panel = new SettingsPanel(bridge);
    panel.start();
    bridge.pending("hello").reject("noBridge", "not running inside Anki");
    await flush();
    expect(panel.problems).toEqual(["Flipnem Sync could not talk to Anki: not running inside Anki"]);
    expect(panel.loaded).toBe(true);
  });

  it("reads a signed-in session", async () => {
    const { panel } = await started(
      { keyAccepted: true, problems: ["Config: bad"] },
      { signedIn: true, user: "ann", server: "https://x/" },
    );
    expect({
      version: panel.version,
      problems: panel.problems,
      hasProfile: panel.hasProfile,
      account: panel.account,
      settings: panel.settings,
      defaults: panel.defaults,
      keyAccepted: panel.keyAccepted,
      busy: panel.busy,
      preferencesOpen: panel.preferencesOpen,
    }).toEqual({
      version: "0.1.0",
      problems: ["Config: bad"],
      hasProfile: true,
      account: { signedIn: true, user: "ann", server: "https://x/" },
      settings: SETTINGS,
      defaults: { server: SERVER, settings: SETTINGS },
      keyAccepted: true,
      busy: false,
      preferencesOpen: false,
    });
  });

  it("has no session when no profile is open", async () => {
    const { panel } = await started({ session: null });
    expect(panel.hasProfile).toBe(false);
  });

  // The bridge checks the reply against protocol.json: a malformed hello is refused there, and
  // the panel reads nothing of it (it used to fall back field by field here).
  it("a malformed hello is refused by the bridge: the panel says so and shows nothing half-read", async () => {
    const bridge = new FakeBridge();
    const panel = new SettingsPanel(bridge);
    panel.start();
    bridge.pending("hello").resolve({ session: { signedIn: false, settings: { autoSync: 1 } }, problems: [3, "x"] });
    await flush();
    expect(panel.version).toBe("");
    expect(panel.keyAccepted).toBeNull();
    expect(panel.defaults).toEqual({ server: "", settings: FALLBACK_SETTINGS });
    expect(panel.settings).toEqual(FALLBACK_SETTINGS);
    expect(panel.problems).toEqual(["Flipnem Sync could not talk to Anki: hello reply: missing version"]);
    expect(panel.hasProfile).toBe(false);
  });

  it("a profile's settings the form cannot show: the defaults are shown, and it says so", async () => {
    const defaults = { ...SETTINGS, periodicMediaMinutes: 20 };
    const { panel } = await started(
      { problems: ["x"], defaults: { server: SERVER, settings: defaults } },
      { settings: { ...SETTINGS, periodicMediaMinutes: 0 } },
    );
    expect(panel.settings).toEqual(defaults);
    expect(panel.problems).toEqual([
      "x",
      "Flipnem Sync could not read this profile's settings; the defaults are shown.",
    ]);
  });

  it("stops listening when stopped", async () => {
    const { bridge, panel, stop } = await started();
    stop();
    bridge.emit("accountChanged", { signedIn: true, user: "ann", server: SERVER });
    expect(panel.account.signedIn).toBe(false);
  });
});

describe("minutes", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("saves a valid interval after a pause in typing, once", async () => {
    const { bridge, panel } = await started();
    panel.editMinutes("3");
    panel.editMinutes("30");
    expect(bridge.sent("saveSettings")).toHaveLength(0);
    vi.advanceTimersByTime(MINUTES_SAVE_DELAY_MS);
    expect(bridge.sent("saveSettings").map((r) => r.args)).toEqual([
      { settings: { ...SETTINGS, periodicMediaMinutes: 30 } },
    ]);
  });

  it("never saves an invalid interval, even after a pause", async () => {
    const { bridge, panel } = await started();
    for (const text of ["0", "1441", "2.5", "", "abc"]) {
      panel.editMinutes(text);
      vi.advanceTimersByTime(MINUTES_SAVE_DELAY_MS * 2);
      panel.commitMinutes();
      expect(panel.minutesMessage).not.toBe("");
    }
    expect(bridge.sent("saveSettings")).toHaveLength(0);
  });

  it("a valid interval then an invalid one: the valid one is not sent late", async () => {
    const { bridge, panel } = await started();
    panel.editMinutes("144");
    panel.editMinutes("1441");
    vi.advanceTimersByTime(MINUTES_SAVE_DELAY_MS * 2);
    expect(bridge.sent("saveSettings")).toHaveLength(0);
  });

  it("a switch changed while typing takes the valid interval along", async () => {
    const { bridge, panel } = await started();
    panel.editMinutes("45");
    panel.setSwitch("syncMedia", false);
    vi.advanceTimersByTime(MINUTES_SAVE_DELAY_MS * 2);
    expect(bridge.sent("saveSettings").map((r) => r.args)).toEqual([
      { settings: { ...SETTINGS, syncMedia: false, periodicMediaMinutes: 45 } },
    ]);
  });

  it("a switch changed beside an invalid interval sends the last saved one", async () => {
    const { bridge, panel } = await started();
    panel.editMinutes("0");
    panel.setSwitch("autoSync", false);
    expect(bridge.pending("saveSettings").args).toEqual({ settings: { ...SETTINGS, autoSync: false } });
    bridge.pending("saveSettings").resolve({ settings: { ...SETTINGS, autoSync: false } });
    await flush();
    expect(panel.minutesText).toBe("0");
    expect(panel.minutesMessage).toBe("Choose from 1 to 1440 minutes.");
  });

  it("committing an unchanged interval sends nothing", async () => {
    const { bridge, panel } = await started();
    panel.editMinutes("15");
    panel.commitMinutes();
    vi.advanceTimersByTime(MINUTES_SAVE_DELAY_MS * 2);
    expect(bridge.sent("saveSettings")).toHaveLength(0);
  });
});

describe("saving", () => {
  it("only the latest change decides what the switches show", async () => {
    const { bridge, panel } = await started();
    panel.setSwitch("autoSync", false);
    panel.setSwitch("syncMedia", false);
    const [first, second] = bridge.sent("saveSettings");
    expect(second?.args).toEqual({ settings: { ...SETTINGS, autoSync: false, syncMedia: false } });
    first?.resolve({ settings: { ...SETTINGS, autoSync: false } });
    await flush();
    expect(panel.settings).toEqual({ ...SETTINGS, autoSync: false, syncMedia: false });
    expect(panel.saveStatus).toBe("saving");
    second?.reject("prefsOpen", "Close Tools > Preferences first.");
    await flush();
    // the truth is what the first save confirmed
    expect(panel.settings).toEqual({ ...SETTINGS, autoSync: false });
    expect(panel.saveStatus).toBe("failed");
    expect(panel.saveMessage).toBe("Close Tools > Preferences first.");
  });

  it("a change from Preferences shows at once, but not over a change being saved", async () => {
    const { bridge, panel } = await started();
    bridge.emit("settingsChanged", { settings: { ...SETTINGS, periodicMedia: false } });
    expect(panel.settings.periodicMedia).toBe(false);
    panel.setSwitch("autoSync", false);
    bridge.emit("settingsChanged", { settings: { ...SETTINGS, periodicMedia: false } });
    expect(panel.settings.autoSync).toBe(false);
  });

  it("ignores malformed settings from Python", async () => {
    const { bridge, panel } = await started();
    bridge.emit("settingsChanged", { settings: { autoSync: "no" } });
    expect(panel.settings).toEqual(SETTINGS);
  });

  it("reset sends the defaults Python gave, not the fallback", async () => {
    const defaults = { ...SETTINGS, backgroundSync: true, periodicMediaMinutes: 20 };
    const { bridge, panel } = await started(
      { defaults: { server: SERVER, settings: defaults } },
      { settings: { ...SETTINGS, autoSync: false } },
    );
    expect(panel.isDefault).toBe(false);
    panel.editMinutes("abc");
    panel.resetToDefaults();
    expect(bridge.pending("saveSettings").args).toEqual({ settings: defaults });
    expect(panel.minutesText).toBe("20");
    expect(panel.minutesMessage).toBe("");
    expect(panel.isDefault).toBe(true);
  });
});

describe("account", () => {
  it("does not send a sign-in with a bad address, a missing username or password, and keeps the password", async () => {
    const { bridge, panel } = await started();
    panel.serverText = "http://sync.example.com/";
    panel.username = "ann";
    panel.password = "secret";
    await panel.signIn();
    expect(panel.serverMessage).toContain("Use https://");
    panel.serverText = "https://sync.example.com";
    panel.username = " ";
    await panel.signIn();
    expect(panel.serverMessage).toBe("");
    expect(panel.accountMessage).toBe("Enter your Flipnem username.");
    panel.username = "ann";
    panel.password = "";
    await panel.signIn();
    expect(panel.accountMessage).toBe("Enter your password.");
    expect(bridge.sent("signIn")).toHaveLength(0);
  });

  it("sends the normalised address, clears the password, and ignores a second submit", async () => {
    const { bridge, panel } = await started();
    panel.serverText = " https://sync.example.com/prefix ";
    panel.username = " ann ";
    panel.password = "secret";
    void panel.signIn();
    void panel.signIn();
    expect(bridge.sent("signIn").map((r) => r.args)).toEqual([
      { server: "https://sync.example.com/prefix/", username: "ann", password: "secret" },
    ]);
    expect(panel.password).toBe("");
    expect(panel.serverText).toBe("https://sync.example.com/prefix/");
    expect(panel.signingIn).toBe(true);
  });

  it("after signing in, uses the user and server from the event or else what was typed", async () => {
    const { bridge, panel } = await started();
    panel.username = "ann";
    panel.password = "pw";
    void panel.signIn();
    bridge.pending("signIn").resolve({ started: true });
    bridge.emit("signInFinished", { outcome: "ok" });
    expect(panel.account).toEqual({ signedIn: true, user: "ann", server: SERVER });
    expect(panel.signingIn).toBe(false);
  });

  it("an unreachable server is named from the event", async () => {
    const { bridge, panel } = await started();
    panel.username = "ann";
    panel.password = "pw";
    void panel.signIn();
    bridge.emit("signInFinished", { outcome: "unreachable", server: "https://other.example/" });
    expect(panel.accountMessage).toBe("Could not reach https://other.example/. Check the address and your connection.");
  });

  it("a failed sign-in says so in Flipnem's words", async () => {
    const { bridge, panel } = await started();
    panel.username = "ann";
    panel.password = "pw";
    void panel.signIn();
    bridge.emit("signInFinished", { outcome: "failed", message: "AnkiWeb had a problem" });
    expect(panel.accountMessage).toBe("Signing in to Flipnem failed: Flipnem had a problem");
  });

  it("a sign-in request Python refuses for another reason shows beside the account", async () => {
    const { bridge, panel } = await started();
    panel.username = "ann";
    panel.password = "pw";
    const done = panel.signIn();
    bridge.pending("signIn").reject("notOpen", "no profile is open");
    await done;
    expect(panel.signingIn).toBe(false);
    expect(panel.accountMessage).toBe("Signing in to Flipnem failed: no profile is open");
  });

  it("signing out offers the server the user was on", async () => {
    const { bridge, panel } = await started({}, { signedIn: true, user: "ann", server: "http://127.0.0.1:8080/" });
    expect(panel.serverText).toBe("http://127.0.0.1:8080/");
    bridge.emit("accountChanged", { signedIn: false });
    expect(panel.account).toEqual({ signedIn: false });
    expect(panel.serverText).toBe("http://127.0.0.1:8080/");
  });

  it("test connection asks about the signed-in server; a refused request is shown", async () => {
    const { bridge, panel } = await started({}, { signedIn: true, user: "ann", server: SERVER });
    const done = panel.testConnection();
    expect(bridge.pending("testConnection").args).toEqual({ server: SERVER });
    bridge.pending("testConnection").reject("notOpen", "no profile");
    await done;
    expect(panel.testing).toBe(false);
    expect(panel.connection).toEqual(["The connection test could not run: no profile"]);
  });

  it("the key's state comes from hello until a test says otherwise", async () => {
    const { bridge, panel } = await started({ keyAccepted: true }, { signedIn: true, user: "ann", server: SERVER });
    void panel.testConnection();
    bridge.emit("connectionTested", { server: SERVER, reachable: true, roundTripMs: 12 });
    expect(panel.connection[1]).toBe("Flipnem accepted your key at the last sync.");
    bridge.emit("connectionTested", { server: SERVER, reachable: true, keyAccepted: false });
    expect(panel.connection[1]).toBe("Flipnem refused your key at the last sync: sign out and sign in again.");
  });
});

describe("what the panel decides from Anki's facts", () => {
  it("while Preferences is open nothing is saved, since Preferences would write its form back over it", async () => {
    const { bridge, panel } = await started({ preferencesOpen: true });
    panel.setSwitch("autoSync", false);
    expect(bridge.sent("saveSettings")).toEqual([]);
    expect(panel.saveStatus).toBe("failed");
    expect(panel.saveMessage).toMatch(/Preferences/);
    expect(panel.settings.autoSync).toBe(SETTINGS.autoSync);
    bridge.emit("preferencesChanged", { open: false });
    panel.setSwitch("autoSync", false);
    expect(bridge.sent("saveSettings")).toHaveLength(1);
    bridge.emit("preferencesChanged", { open: true });
    panel.setSwitch("syncMedia", false);
    expect(bridge.sent("saveSettings")).toHaveLength(1);
  });

  it("while a sync runs the account is not changed: sign-in and sign-out wait, and say why", async () => {
    const { bridge, panel } = await started({ busy: true });
    panel.serverText = SERVER;
    panel.username = "ann";
    panel.password = "pw";
    await panel.signIn();
    expect(bridge.sent("signIn")).toEqual([]);
    expect(panel.accountMessage).toMatch(/sync is running/);
    expect(panel.password).toBe("pw");
    // the panel follows the syncs from the events every page hears
    bridge.emit("collectionSyncFinished", { outcome: "ok", mediaStarted: true });
    await panel.signIn();
    expect(bridge.sent("signIn")).toEqual([]);
    bridge.emit("mediaSyncFinished", { outcome: "ok" });
    void panel.signOut();
    expect(bridge.sent("signOut")).toHaveLength(1);
    bridge.pending("signOut").resolve({ signedOut: true });
    await flush();
    bridge.emit("collectionSyncStarted", { trigger: "open" });
    const before = bridge.sent("signOut").length;
    await panel.signOut();
    expect(bridge.sent("signOut")).toHaveLength(before);
    expect(panel.accountMessage).toMatch(/sync is running/);
  });
});
