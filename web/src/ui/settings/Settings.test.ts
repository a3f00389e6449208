// The settings page as a user meets it, with a fake bridge standing in for Python.
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { normalizeServer } from "./address";
import cases from "../../../../test/fixtures/address-cases.json";
import { FakeBridge, SERVER, SETTINGS, helloReply, settle } from "../../../../test/fakes/fakeBridge";
import { MORE_FIELDS } from "./options";
import Settings from "./Settings.svelte";

async function open(
  overrides: Record<string, unknown> = {},
  session: Record<string, unknown> = {},
): Promise<{ bridge: FakeBridge; container: HTMLElement }> {
  const bridge = new FakeBridge();
  const { container } = render(Settings, { props: { bridge } });
  bridge.pending("hello").resolve(helloReply(overrides, session));
  await settle();
  return { bridge, container };
}

const SIGNED_IN = { signedIn: true, user: "ann", server: SERVER };

const el = (id: string): HTMLElement => screen.getByTestId(id);
const input = (id: string): HTMLInputElement => screen.getByTestId(id) as HTMLInputElement;
const button = (id: string): HTMLButtonElement => screen.getByTestId(id) as HTMLButtonElement;
const lines = (id: string): string[] =>
  Array.from(el(id).querySelectorAll("p, li")).map((line) => (line.textContent ?? "").trim());
const text = (id: string): string => (screen.getByTestId(id).textContent ?? "").replace(/\s+/g, " ").trim();

async function type(id: string, value: string): Promise<void> {
  await fireEvent.input(input(id), { target: { value } });
}

async function fillSignIn(server: string, username = "ann", password = "secret"): Promise<void> {
  await type("server", server);
  await type("username", username);
  await type("password", password);
}

/** Signs in up to the point where Python has started; returns the recorded request. */
async function submitSignIn(bridge: FakeBridge): Promise<void> {
  await fillSignIn(SERVER);
  await fireEvent.click(button("sign-in"));
  bridge.pending("signIn").resolve({ started: true });
  await settle();
}

function noSecretsAnywhere(container: HTMLElement): void {
  expect(container.innerHTML).not.toContain("secret");
  for (const field of Array.from(container.querySelectorAll("input"))) expect(field.value).not.toContain("secret");
  expect(localStorage.length).toBe(0);
  expect(sessionStorage.length).toBe(0);
  expect(document.cookie).toBe("");
}

describe("opening", () => {
  it("shows nothing to fill in until Python has answered", async () => {
    const bridge = new FakeBridge();
    render(Settings, { props: { bridge } });
    expect(text("account-status")).toBe("Connecting to Anki…");
    expect(screen.queryByTestId("server")).toBeNull();
    expect(input("auto-sync").disabled).toBe(true);
    bridge.pending("hello").reject("noBridge", "not running inside Anki");
    await settle();
    expect(screen.getByText("Flipnem Sync could not talk to Anki: not running inside Anki")).toBeTruthy();
    expect(input("server").value).toBe("");
  });

  it("says hello as the settings page and shows what Python sent", async () => {
    const { bridge } = await open({ problems: ["Config: closeBoundSeconds must be from 5 to 300; using 20."] });
    expect(bridge.sent("hello")[0]?.args).toEqual({ page: "settings" });
    expect(input("server").value).toBe(SERVER);
    expect(text("account-status")).toBe("Not signed in to Flipnem.");
    expect(screen.getByText("Config: closeBoundSeconds must be from 5 to 300; using 20.")).toBeTruthy();
    expect(text("version")).toBe("v0.1.0");
  });

  it("shows the seed's wording for each switch, with a help line", async () => {
    await open();
    for (const [id, label] of [
      ["auto-sync", "Automatically sync on profile open/close"],
      ["sync-media", "Synchronize audio and images too"],
      ["periodic-media", "Periodically sync media"],
      ["background-sync", "Keep in sync while Anki is open"],
    ] as const) {
      const box = input(id);
      expect(screen.getByLabelText(label)).toBe(box);
      const help = document.getElementById(box.getAttribute("aria-describedby") ?? "");
      expect(help?.textContent?.length).toBeGreaterThan(20);
    }
    expect(input("auto-sync").checked).toBe(true);
    expect(input("background-sync").checked).toBe(true);
    expect(input("minutes").value).toBe("15");
  });

  it("shows the switches without a sign-in, disabled when no profile is open", async () => {
    await open({ session: null });
    expect(input("auto-sync").disabled).toBe(true);
    expect(input("minutes").disabled).toBe(true);
    expect(screen.getByText("No Anki profile is open, so these cannot be changed now.")).toBeTruthy();
  });

  it("has a logical tab order", async () => {
    await open({}, { settings: { ...SETTINGS, autoSync: false } });
    const order = Array.from(document.querySelectorAll<HTMLElement>("input, button"))
      .filter((e) => !(e as HTMLInputElement).disabled)
      .map((e) => e.dataset.testid);
    expect(order).toEqual([
      "server",
      "username",
      "password",
      "sign-in",
      "auto-sync",
      "sync-media",
      "periodic-media",
      "minutes",
      "background-sync",
      "reset",
      // More: each option's field (its Reset only once it differs from the default)
      ...MORE_FIELDS,
      "close",
    ]);
  });
});

describe("sign in: what is refused before anything is sent", () => {
  const refused = (cases as { input: string; ok: boolean }[]).filter((c) => !c.ok);

  it.each(refused)("address $input: the message beside the address field", async ({ input: address }) => {
    const { bridge } = await open();
    await fillSignIn(address);
    await fireEvent.click(button("sign-in"));
    const result = normalizeServer(address);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(text("server-message")).toBe(result.message);
    expect(input("server").getAttribute("aria-invalid")).toBe("true");
    expect(bridge.sent("signIn")).toHaveLength(0);
    // nothing was sent, so nothing typed is lost
    expect(input("password").value).toBe("secret");
  });

  it("a missing username or password", async () => {
    const { bridge } = await open();
    await fillSignIn(SERVER, "", "secret");
    await fireEvent.click(button("sign-in"));
    expect(text("account-message")).toBe("Enter your Flipnem username.");
    await fillSignIn(SERVER, "ann", "");
    await fireEvent.click(button("sign-in"));
    expect(text("account-message")).toBe("Enter your password.");
    expect(bridge.sent("signIn")).toHaveLength(0);
  });

  it("a corrected address clears the message and is sent normalised", async () => {
    const { bridge } = await open();
    await fillSignIn("sync.example.com");
    await fireEvent.click(button("sign-in"));
    expect(text("server-message")).toBe(
      "The address must start with https:// (did you mean https://sync.example.com/?).",
    );
    await type("server", "http://localhost:27701");
    await fireEvent.click(button("sign-in"));
    expect(screen.queryByTestId("server-message")).toBeNull();
    expect(bridge.pending("signIn").args).toEqual({
      server: "http://localhost:27701/",
      username: "ann",
      password: "secret",
    });
  });
});

describe("sign in: sent", () => {
  it("shows progress, clears the password at once, then shows the account", async () => {
    const { bridge, container } = await open();
    await fillSignIn(SERVER, "ann", "secret");
    await fireEvent.click(button("sign-in"));
    expect(bridge.pending("signIn").args).toEqual({ server: SERVER, username: "ann", password: "secret" });
    expect(input("password").value).toBe("");
    expect(text("sign-in")).toBe("Signing in…");
    expect(button("sign-in").disabled).toBe(true);
    await fireEvent.click(button("sign-in"));
    expect(bridge.sent("signIn")).toHaveLength(1);
    bridge.pending("signIn").resolve({ started: true });
    await settle();
    expect(text("sign-in")).toBe("Signing in…");
    bridge.emit("signInFinished", { outcome: "ok", user: "ann", server: SERVER });
    await settle();
    expect(text("account-status")).toBe(`Signed in as ann on ${SERVER}`);
    expect(screen.queryByTestId("password")).toBeNull();
    expect(screen.getByTestId("sign-out")).toBeTruthy();
    expect(screen.getByTestId("test-connection")).toBeTruthy();
    noSecretsAnywhere(container);
  });

  it("wrong username or password", async () => {
    const { bridge, container } = await open();
    await submitSignIn(bridge);
    bridge.emit("signInFinished", { outcome: "badCredentials" });
    await settle();
    expect(text("account-message")).toBe("Flipnem did not accept that username and password.");
    expect(text("sign-in")).toBe("Sign in");
    expect(button("sign-in").disabled).toBe(false);
    expect(input("username").value).toBe("ann");
    // the keyboard is back where the fix goes
    expect(document.activeElement).toBe(input("password"));
    noSecretsAnywhere(container);
  });

  it("server unreachable", async () => {
    const { bridge } = await open();
    await submitSignIn(bridge);
    bridge.emit("signInFinished", { outcome: "unreachable", server: SERVER });
    await settle();
    expect(text("account-message")).toBe(`Could not reach ${SERVER}. Check the address and your connection.`);
  });

  it("malformed address, refused by Python at once or later: beside the address field", async () => {
    const { bridge } = await open();
    await fillSignIn(SERVER);
    await fireEvent.click(button("sign-in"));
    bridge.pending("signIn").reject("badAddress", "The address must use https.");
    await settle();
    expect(text("server-message")).toBe("The address must use https.");
    expect(text("sign-in")).toBe("Sign in");
    expect(document.activeElement).toBe(input("server"));
    await submitSignIn(bridge);
    bridge.emit("signInFinished", { outcome: "badAddress", message: "The server redirected elsewhere." });
    await settle();
    expect(text("server-message")).toBe("The server redirected elsewhere.");
    expect(screen.queryByTestId("account-message")).toBeNull();
  });

  it("Python's codes become the panel's words: a broken address rule, a missing field, a profile closed meanwhile", async () => {
    const { bridge } = await open();
    await fillSignIn(SERVER);
    await fireEvent.click(button("sign-in"));
    bridge.pending("signIn").reject("badAddress", "plainHttp");
    await settle();
    expect(text("server-message")).toBe(
      "Use https:// — plain http:// is allowed only for this computer (localhost, 127.0.0.1, [::1]).",
    );
    await fillSignIn(SERVER);
    await fireEvent.click(button("sign-in"));
    bridge.pending("signIn").reject("missing", "username or password missing");
    await settle();
    expect(text("account-message")).toBe("Signing in to Flipnem failed: Enter your Flipnem username and password.");
    await submitSignIn(bridge);
    bridge.emit("signInFinished", { outcome: "profileClosed", server: SERVER });
    await settle();
    expect(text("account-message")).toBe(
      "Signing in to Flipnem failed: The profile was closed before signing in finished. Sign in again.",
    );
  });

  it("other failures, worded for Flipnem", async () => {
    const { bridge } = await open();
    await submitSignIn(bridge);
    bridge.emit("signInFinished", { outcome: "failed", message: "AnkiWeb encountered a problem." });
    await settle();
    expect(text("account-message")).toBe("Signing in to Flipnem failed: Flipnem encountered a problem.");
  });

  it("Enter in a field submits, once", async () => {
    const { bridge } = await open();
    await fillSignIn(SERVER, "ann", "secret");
    await fireEvent.keyDown(input("password"), { key: "Enter" });
    expect(bridge.sent("signIn").map((r) => r.args)).toEqual([{ server: SERVER, username: "ann", password: "secret" }]);
    await fireEvent.keyDown(input("username"), { key: "Enter" });
    expect(bridge.sent("signIn")).toHaveLength(1);
  });

  it("the explanation before a one-way sync", async () => {
    const { bridge } = await open();
    await submitSignIn(bridge);
    bridge.emit("signInFinished", { outcome: "ok", user: "ann", server: SERVER });
    bridge.emit("fullSyncChoice", { required: "either", localNotes: 12, localCards: 30 });
    await settle();
    const explanation = text("full-sync-explanation");
    expect(explanation).toContain("This profile holds 12 notes and 30 cards.");
    expect(explanation).toContain("Upload replaces everything on Flipnem with this profile.");
    expect(explanation).toContain("first saves Flipnem's collection beside Anki's backups");
    expect(explanation).toContain("Download replaces everything in this profile with what is on Flipnem.");
    expect(explanation).toContain("Anki first backs up this profile");
    expect(explanation).toContain("Cancel leaves both sides untouched");
    expect(explanation).toContain("Nothing is chosen for you.");
    expect(explanation).not.toMatch(/ankiweb/i);
    await fireEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByTestId("full-sync-explanation")).toBeNull();
  });
});

describe("signed in", () => {
  it("shows who and where, from hello", async () => {
    await open({}, SIGNED_IN);
    expect(text("account-status")).toBe(`Signed in as ann on ${SERVER}`);
    // the address is shown, not editable, while signed in
    expect(el("server").tagName).toBe("SPAN");
    expect(text("server")).toBe(SERVER);
    expect(screen.queryByTestId("password")).toBeNull();
  });

  it("sign out", async () => {
    const { bridge } = await open({}, SIGNED_IN);
    await fireEvent.click(button("sign-out"));
    expect(bridge.pending("signOut").args).toEqual({});
    expect(text("sign-out")).toBe("Signing out…");
    bridge.pending("signOut").resolve({ signedOut: true });
    await settle();
    bridge.emit("accountChanged", { signedIn: false });
    await settle();
    expect(text("account-status")).toBe("Not signed in to Flipnem.");
    expect(input("server").value).toBe(SERVER);
    expect(input("password").value).toBe("");
  });

  it("a refused sign out is shown", async () => {
    const { bridge } = await open({}, SIGNED_IN);
    await fireEvent.click(button("sign-out"));
    bridge.pending("signOut").reject("busy", "a sync is running");
    await settle();
    expect(text("account-message")).toBe("Signing out failed: a sync is running");
    expect(text("account-status")).toBe(`Signed in as ann on ${SERVER}`);
  });

  it("test connection: reachable, round trip, and the key", async () => {
    const { bridge } = await open({ keyAccepted: true }, SIGNED_IN);
    await fireEvent.click(button("test-connection"));
    expect(bridge.pending("testConnection").args).toEqual({ server: SERVER });
    expect(text("test-connection")).toBe("Testing…");
    expect(button("test-connection").disabled).toBe(true);
    bridge.pending("testConnection").resolve({ started: true });
    bridge.emit("connectionTested", { server: SERVER, reachable: true, roundTripMs: 87.4 });
    await settle();
    expect(lines("connection-result")).toEqual([
      `Reachable: ${SERVER} answered in 87 ms.`,
      "Flipnem accepted your key at the last sync.",
    ]);
    expect(button("test-connection").disabled).toBe(false);
  });

  it("test connection: unreachable", async () => {
    const { bridge } = await open({}, SIGNED_IN);
    await fireEvent.click(button("test-connection"));
    bridge.emit("connectionTested", { server: SERVER, reachable: false, message: "Connection refused." });
    await settle();
    expect(lines("connection-result")).toEqual([
      `Not reachable: could not reach ${SERVER}. Connection refused.`,
      "No sync has checked your key yet.",
    ]);
  });

  it("an account change from elsewhere shows at once", async () => {
    const { bridge } = await open();
    bridge.emit("accountChanged", { signedIn: true, user: "bob", server: "http://127.0.0.1:8080/" });
    await settle();
    expect(text("account-status")).toBe("Signed in as bob on http://127.0.0.1:8080/");
  });
});

describe("syncing switches", () => {
  it.each([
    ["auto-sync", { autoSync: false }],
    ["sync-media", { syncMedia: false }],
    ["periodic-media", { periodicMedia: false }],
    ["background-sync", { backgroundSync: false }],
  ] as const)("%s sends the whole settings object", async (id, change) => {
    const { bridge } = await open();
    await fireEvent.click(input(id));
    expect(bridge.sent("saveSettings").map((r) => r.args)).toEqual([{ settings: { ...SETTINGS, ...change } }]);
    expect(text("saving")).toBe("Saving…");
    bridge.pending("saveSettings").resolve({ settings: { ...SETTINGS, ...change } });
    await settle();
    expect(text("saved")).toBe("Saved");
    expect(input(id).checked).toBe(Object.values(change)[0]);
  });

  it("the interval shows only while periodic media is on", async () => {
    const { bridge } = await open();
    await fireEvent.click(input("periodic-media"));
    expect(screen.queryByTestId("minutes")).toBeNull();
    bridge.pending("saveSettings").resolve({ settings: { ...SETTINGS, periodicMedia: false } });
    await settle();
    expect(screen.queryByTestId("minutes")).toBeNull();
    await fireEvent.click(input("periodic-media"));
    expect(input("minutes").value).toBe("15");
  });

  it.each([
    ["0", "Choose from 1 to 1440 minutes."],
    ["1441", "Choose from 1 to 1440 minutes."],
    ["2.5", "Use whole minutes from 1 to 1440."],
    ["", "Enter the number of minutes, from 1 to 1440."],
    ["ten", "Enter a number of minutes from 1 to 1440."],
  ])("interval %j is refused beside the field and never sent", async (value, message) => {
    const { bridge } = await open();
    await type("minutes", value);
    expect(text("minutes-message")).toBe(message);
    expect(input("minutes").getAttribute("aria-invalid")).toBe("true");
    await fireEvent.change(input("minutes"));
    await fireEvent.keyDown(input("minutes"), { key: "Enter" });
    expect(bridge.sent("saveSettings")).toHaveLength(0);
    expect(input("minutes").value).toBe(value);
  });

  it("a valid interval is sent on leaving the field or Enter", async () => {
    const { bridge } = await open();
    await type("minutes", "30");
    expect(screen.queryByTestId("minutes-message")).toBeNull();
    await fireEvent.change(input("minutes"));
    expect(bridge.pending("saveSettings").args).toEqual({ settings: { ...SETTINGS, periodicMediaMinutes: 30 } });
    bridge.pending("saveSettings").resolve({ settings: { ...SETTINGS, periodicMediaMinutes: 30 } });
    await settle();
    await type("minutes", "1440");
    await fireEvent.keyDown(input("minutes"), { key: "Enter" });
    expect(bridge.pending("saveSettings").args).toEqual({ settings: { ...SETTINGS, periodicMediaMinutes: 1440 } });
  });

  it("reset to defaults", async () => {
    const changed = { ...SETTINGS, autoSync: false, periodicMediaMinutes: 90, backgroundSync: true };
    const { bridge } = await open({}, { settings: changed });
    expect(input("auto-sync").checked).toBe(false);
    expect(input("minutes").value).toBe("90");
    await fireEvent.click(button("reset"));
    expect(bridge.pending("saveSettings").args).toEqual({ settings: SETTINGS });
    expect(input("auto-sync").checked).toBe(true);
    expect(input("minutes").value).toBe("15");
    bridge.pending("saveSettings").resolve({ settings: SETTINGS });
    await settle();
    expect(text("saved")).toBe("Saved");
    expect(button("reset").disabled).toBe(true);
  });

  it("Preferences open: the message is shown and the switch shows the truth again", async () => {
    const { bridge } = await open();
    await fireEvent.click(input("sync-media"));
    expect(input("sync-media").checked).toBe(false);
    bridge.pending("saveSettings").reject("prefsOpen", "Close Tools > Preferences first, then try again.");
    await settle();
    expect(text("settings-message")).toBe("Close Tools > Preferences first, then try again.");
    expect(input("sync-media").checked).toBe(true);
    expect(screen.queryByTestId("saved")).toBeNull();
  });

  it("a value Python refuses is named", async () => {
    const { bridge } = await open();
    await fireEvent.click(input("auto-sync"));
    bridge.pending("saveSettings").reject("badSettings", "periodicMediaMinutes must be from 1 to 1440");
    await settle();
    expect(text("settings-message")).toBe("Not saved: periodicMediaMinutes must be from 1 to 1440");
  });

  it("a change made in Tools > Preferences shows at once", async () => {
    const { bridge } = await open();
    bridge.emit("settingsChanged", { settings: { ...SETTINGS, autoSync: false, syncMedia: false } });
    await settle();
    expect(input("auto-sync").checked).toBe(false);
    expect(input("sync-media").checked).toBe(false);
    expect(bridge.sent("saveSettings")).toHaveLength(0);
  });
});

describe("keyboard", () => {
  it("Escape closes the dialog, from anywhere", async () => {
    const { bridge } = await open();
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(bridge.sent("closeSettings").map((r) => r.args)).toEqual([{}]);
    await fireEvent.keyDown(input("password"), { key: "Escape" });
    expect(bridge.sent("closeSettings")).toHaveLength(2);
  });

  it("other keys do not close it", async () => {
    const { bridge } = await open();
    await fireEvent.keyDown(window, { key: "Enter" });
    await fireEvent.keyDown(window, { key: "a" });
    expect(bridge.sent("closeSettings")).toHaveLength(0);
  });

  it("the Close button closes it too", async () => {
    const { bridge } = await open();
    await fireEvent.click(button("close"));
    expect(bridge.sent("closeSettings")).toHaveLength(1);
  });
});
