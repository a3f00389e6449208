// The settings page's one state object: it owns every mutation and every talk with Python.
// Components only render it and call its methods. The password lives here only from typing
// to submit; it is never stored anywhere else.
import { whyNotChangeAccount, whyNotSaveSettings } from "../../core/policy";
import type { Bridge } from "../../bridge/bridge";
import type { Settings } from "../../core/types";
import type { Events, Option, Options } from "../../protocol/generated";
import type { BridgeEvent } from "../../protocol/protocol";
import { normalizeServer } from "./address";
import { FALLBACK_SETTINGS, accountOf, parseMinutes, parseWhole, settingsEqual, settingsInRange } from "./form";
import type { Account, SwitchName } from "./form";
import { FALLBACK_OPTIONS, shown } from "./options";
import type { OptionSpec } from "./options";
import { addressRefused, connectionLines, fullSyncText, refusedWords, wholeWords, words } from "./words";
import type { ConnectionReport, FullSyncText } from "./words";

export type SaveStatus = "idle" | "saving" | "saved" | "failed";

/** Typed minutes are saved this long after the last keystroke (or at once on Enter or leaving the field). */
export const MINUTES_SAVE_DELAY_MS = 600;

function errorOf(error: unknown): { code: string; message: string } {
  if (typeof error === "object" && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return {
      code: typeof code === "string" ? code : "failed",
      message: typeof message === "string" ? message : String(error),
    };
  }
  return { code: "failed", message: String(error) };
}

export class SettingsPanel {
  // the page
  loaded = $state(false);
  version = $state("");
  problems = $state.raw<string[]>([]);
  hasProfile = $state(false);
  defaults = $state.raw<{ server: string; settings: Settings }>({ server: "", settings: FALLBACK_SETTINGS });

  // the account
  account = $state.raw<Account>({ signedIn: false });
  keyAccepted = $state<boolean | null>(null);
  /** A sync is running: the account is not changed under it. */
  busy = $state(false);
  /** Tools > Preferences is open: a save now would be undone when it closes. */
  preferencesOpen = $state(false);
  serverText = $state("");
  username = $state("");
  password = $state("");
  signingIn = $state(false);
  signingOut = $state(false);
  testing = $state(false);
  serverMessage = $state("");
  accountMessage = $state("");
  connection = $state.raw<string[]>([]);
  fullSync = $state.raw<FullSyncText | null>(null);

  // the switches
  /** What the switches show: the last confirmed settings, or the change being saved. */
  settings = $state.raw<Settings>(FALLBACK_SETTINGS);
  minutesText = $state(String(FALLBACK_SETTINGS.periodicMediaMinutes));
  minutesMessage = $state("");
  saveStatus = $state<SaveStatus>("idle");
  saveMessage = $state("");

  // the options of "More"
  /** The options as Python last confirmed them, and what Reset brings back. */
  options = $state.raw<Options>(FALLBACK_OPTIONS);
  optionDefaults = $state.raw<Options>(FALLBACK_OPTIONS);
  /** Text typed into an option's field and not yet saved; none: the field shows the option. */
  optionDrafts = $state<Partial<Record<Option, string>>>({});
  optionMessages = $state<Partial<Record<Option, string>>>({});
  /** One line for the whole section, announced politely: what was saved, or why not. */
  optionStatus = $state("");

  /** The last settings Python confirmed. */
  private saved: Settings = FALLBACK_SETTINGS;
  private saveSeq = 0;
  private savesInFlight = 0;
  private minutesTimer: ReturnType<typeof setTimeout> | undefined;
  private signInServer = "";

  constructor(private readonly bridge: Bridge) {}

  get isDefault(): boolean {
    return settingsEqual(this.settings, this.defaults.settings);
  }

  /** Listens for events, then says hello. Returns the cleanup. */
  start(): () => void {
    const off = this.bridge.onEvent((event) => this.handleEvent(event));
    void this.hello();
    return () => {
      off();
      clearTimeout(this.minutesTimer);
    };
  }

  private async hello(): Promise<void> {
    try {
      const hello = await this.bridge.request("hello", { page: "settings" });
      this.version = hello.version;
      this.problems = hello.problems;
      this.defaults = hello.defaults;
      this.optionDefaults = hello.defaults.options ?? FALLBACK_OPTIONS;
      this.keyAccepted = hello.keyAccepted ?? null;
      this.busy = hello.busy;
      this.preferencesOpen = hello.preferencesOpen;
      // none when no profile is open (or it is closing)
      const session = hello.session ?? null;
      this.hasProfile = session !== null;
      if (session) {
        this.applyAccount(accountOf(session));
        if (session.options) this.options = session.options;
        const readable = settingsInRange(session.settings);
        if (!readable) this.problems = [...this.problems, words.settingsUnreadable];
        this.applySettings(readable ? session.settings : hello.defaults.settings, true);
      } else {
        this.applySettings(hello.defaults.settings, true);
      }
      if (!this.serverText) this.serverText = this.account.server ?? hello.defaults.server;
    } catch (error) {
      this.problems = [words.helloFailed(errorOf(error).message)];
    }
    this.loaded = true;
  }

  handleEvent(message: BridgeEvent): void {
    switch (message.event) {
      case "accountChanged":
        this.applyAccount(accountOf(message.data));
        break;
      case "settingsChanged":
        if (settingsInRange(message.data.settings)) {
          this.applySettings(message.data.settings, this.savesInFlight === 0);
        }
        break;
      case "optionsChanged":
        this.options = message.data.options;
        break;
      case "signInFinished":
        this.signInFinished(message.data);
        break;
      case "connectionTested":
        this.connectionTested(message.data);
        break;
      case "fullSyncChoice": {
        const { required, localNotes, localCards } = message.data;
        this.fullSync = fullSyncText(required, localNotes, localCards);
        this.busy = true;
        break;
      }
      case "collectionSyncStarted":
      case "mediaSyncStarted":
        this.busy = true;
        break;
      case "collectionSyncFinished":
        this.busy = message.data.mediaStarted;
        break;
      case "mediaSyncFinished":
      case "fullSyncFinished":
        this.busy = false;
        break;
      case "preferencesChanged":
        this.preferencesOpen = message.data.open;
        break;
      default:
        break;
    }
  }

  // the account

  private applyAccount(account: Account): void {
    const wasServer = this.account.server;
    this.account = account;
    if (account.signedIn) {
      this.signingIn = false;
      this.accountMessage = "";
      this.serverMessage = "";
    } else {
      this.connection = [];
      this.keyAccepted = null;
      this.testing = false;
      // offer the server the user was on, so signing in again is one step
      if (wasServer) this.serverText = wasServer;
    }
  }

  async signIn(): Promise<void> {
    if (this.signingIn || this.account.signedIn) return;
    this.serverMessage = "";
    this.accountMessage = "";
    if (whyNotChangeAccount(this.busy)) {
      this.accountMessage = words.signInFailed(words.busy);
      return;
    }
    const address = normalizeServer(this.serverText);
    if (!address.ok) {
      this.serverMessage = address.message;
      return;
    }
    this.serverText = address.url;
    const username = this.username.trim();
    if (!username) {
      this.accountMessage = words.noUsername;
      return;
    }
    const password = this.password;
    if (!password) {
      this.accountMessage = words.noPassword;
      return;
    }
    this.password = "";
    this.signingIn = true;
    this.fullSync = null;
    this.signInServer = address.url;
    try {
      await this.bridge.request("signIn", { server: address.url, username, password });
    } catch (error) {
      const { code, message } = errorOf(error);
      this.signingIn = false;
      if (code === "badAddress") this.serverMessage = addressRefused(message);
      else this.accountMessage = words.signInFailed(refusedWords(code, message));
    }
  }

  private signInFinished({ outcome, message, user, server: finishedOn }: Events["signInFinished"]): void {
    this.signingIn = false;
    const server = finishedOn || this.signInServer;
    switch (outcome) {
      case "ok": {
        this.keyAccepted = null;
        this.applyAccount({ signedIn: true, user: user || this.username.trim(), ...(server ? { server } : {}) });
        break;
      }
      case "badCredentials":
        this.accountMessage = words.badCredentials;
        break;
      case "unreachable":
        this.accountMessage = words.unreachable(server || this.serverText);
        break;
      case "badAddress":
        this.serverMessage = message ? addressRefused(message) : words.badAddress;
        break;
      case "profileClosed":
        this.accountMessage = words.signInFailed(words.profileClosed);
        break;
      default:
        this.accountMessage = words.signInFailed(message || undefined);
    }
  }

  async signOut(): Promise<void> {
    if (this.signingOut) return;
    if (whyNotChangeAccount(this.busy)) {
      this.accountMessage = words.signOutFailed(words.busy);
      return;
    }
    this.signingOut = true;
    this.accountMessage = "";
    try {
      await this.bridge.request("signOut", {});
      this.applyAccount({ signedIn: false });
    } catch (error) {
      const { code, message } = errorOf(error);
      this.accountMessage = words.signOutFailed(refusedWords(code, message));
    }
    this.signingOut = false;
  }

  async testConnection(): Promise<void> {
    if (this.testing) return;
    this.testing = true;
    this.connection = [];
    try {
      await this.bridge.request("testConnection", this.account.server ? { server: this.account.server } : {});
    } catch (error) {
      this.testing = false;
      const { code, message } = errorOf(error);
      this.connection = [words.testFailed(refusedWords(code, message))];
    }
  }

  private connectionTested({ server, reachable, roundTripMs, message, keyAccepted }: Events["connectionTested"]): void {
    this.testing = false;
    if (typeof keyAccepted === "boolean") this.keyAccepted = keyAccepted;
    const report: ConnectionReport = {
      server,
      reachable,
      ...(typeof roundTripMs === "number" ? { roundTripMs } : {}),
      ...(message ? { message } : {}),
    };
    this.connection = connectionLines(report, this.keyAccepted);
  }

  dismissFullSync(): void {
    this.fullSync = null;
  }

  // the switches

  /** Show settings Python confirmed; `show` is false while a later change of ours is still being saved. */
  private applySettings(settings: Settings, show: boolean): void {
    this.saved = settings;
    if (!show) return;
    this.settings = settings;
    // a valid or untouched interval follows the truth; a refused draft stays for the user to fix
    if (!this.minutesMessage && this.minutesTimer === undefined) {
      this.minutesText = String(settings.periodicMediaMinutes);
    }
  }

  /** The settings to send with any change: the valid interval being typed goes along. */
  private withDraft(): Settings {
    clearTimeout(this.minutesTimer);
    this.minutesTimer = undefined;
    const minutes = parseMinutes(this.minutesText);
    return minutes.ok ? { ...this.settings, periodicMediaMinutes: minutes.value } : this.settings;
  }

  setSwitch(name: SwitchName, on: boolean): void {
    void this.save({ ...this.withDraft(), [name]: on });
  }

  editMinutes(text: string): void {
    this.minutesText = text;
    const minutes = parseMinutes(text);
    this.minutesMessage = minutes.ok ? "" : minutes.message;
    clearTimeout(this.minutesTimer);
    this.minutesTimer = minutes.ok ? setTimeout(() => this.commitMinutes(), MINUTES_SAVE_DELAY_MS) : undefined;
  }

  /** Enter, leaving the field, or a pause in typing: a valid changed interval is saved, an invalid one never. */
  commitMinutes(): void {
    const minutes = parseMinutes(this.minutesText);
    if (!minutes.ok) {
      clearTimeout(this.minutesTimer);
      this.minutesTimer = undefined;
      this.minutesMessage = minutes.message;
      return;
    }
    const next = this.withDraft();
    this.minutesText = String(minutes.value);
    if (!settingsEqual(next, this.settings)) void this.save(next);
  }

  resetToDefaults(): void {
    this.withDraft();
    this.minutesMessage = "";
    this.minutesText = String(this.defaults.settings.periodicMediaMinutes);
    void this.save({ ...this.defaults.settings });
  }

  private async save(next: Settings): Promise<void> {
    const refused = whyNotSaveSettings(this.preferencesOpen);
    if (refused) {
      this.saveStatus = "failed";
      this.saveMessage = words.saveFailed(refused, "");
      this.settings = this.saved;
      if (!this.minutesMessage) this.minutesText = String(this.saved.periodicMediaMinutes);
      return;
    }
    const seq = ++this.saveSeq;
    this.settings = next;
    this.saveStatus = "saving";
    this.saveMessage = "";
    this.savesInFlight++;
    try {
      const reply = await this.bridge.request("saveSettings", { settings: { ...next } });
      this.savesInFlight--;
      this.applySettings(settingsInRange(reply.settings) ? reply.settings : next, seq === this.saveSeq);
      if (seq === this.saveSeq) this.saveStatus = "saved";
    } catch (error) {
      this.savesInFlight--;
      if (seq !== this.saveSeq) return;
      const { code, message } = errorOf(error);
      this.saveStatus = "failed";
      this.saveMessage = words.saveFailed(code, message);
      // the switches show the truth again; a refused interval stays typed, with the message
      this.settings = this.saved;
      if (!this.minutesMessage) this.minutesText = String(this.saved.periodicMediaMinutes);
    }
  }

  // the options

  /** What an option's field shows: the text being typed, or the option's value. */
  optionText(key: Option): string {
    return this.optionDrafts[key] ?? String(this.options[key]);
  }

  editOption(spec: OptionSpec, text: string): void {
    this.optionDrafts = { ...this.optionDrafts, [spec.key]: text };
    const parsed =
      spec.kind === "number" ? parseWhole(text, spec.min, spec.max, wholeWords(spec.min, spec.max)) : undefined;
    this.optionMessages = { ...this.optionMessages, [spec.key]: parsed && !parsed.ok ? parsed.message : "" };
  }

  /** Enter or leaving the field: a valid changed value is saved; an invalid one never, and says why. */
  async commitOption(spec: OptionSpec): Promise<void> {
    const text = this.optionDrafts[spec.key];
    if (text === undefined) return;
    let value: number | string = text.trim();
    if (spec.kind === "number") {
      const parsed = parseWhole(text, spec.min, spec.max, wholeWords(spec.min, spec.max));
      if (!parsed.ok) {
        this.optionMessages = { ...this.optionMessages, [spec.key]: parsed.message };
        return;
      }
      value = parsed.value;
    }
    if (value === this.options[spec.key]) {
      this.dropDraft(spec.key);
      return;
    }
    await this.saveOption(spec, { key: spec.key, value });
  }

  setOptionSwitch(spec: OptionSpec, on: boolean): void {
    void this.saveOption(spec, { key: spec.key, value: on });
  }

  resetOption(spec: OptionSpec): void {
    void this.saveOption(spec, { key: spec.key });
  }

  isOptionDefault(key: Option): boolean {
    return this.optionDrafts[key] === undefined && this.options[key] === this.optionDefaults[key];
  }

  private dropDraft(key: Option): void {
    const { [key]: _draft, ...drafts } = this.optionDrafts;
    this.optionDrafts = drafts;
    this.optionMessages = { ...this.optionMessages, [key]: "" };
  }

  private async saveOption(spec: OptionSpec, change: { key: Option; value?: unknown }): Promise<void> {
    try {
      const reply =
        "value" in change
          ? await this.bridge.request("saveOption", { key: change.key, value: change.value })
          : await this.bridge.request("resetOption", { key: change.key });
      this.options = reply.options;
      this.dropDraft(spec.key);
      this.optionStatus = words.optionSaved(spec.label, shown(spec, reply.options[spec.key]));
    } catch (error) {
      const { code, message } = errorOf(error);
      const why = code === "badOption" ? message : words.saveFailed(code, message);
      this.optionMessages = { ...this.optionMessages, [spec.key]: why };
      this.optionStatus = words.optionNotSaved(spec.label);
    }
  }

  close(): void {
    void this.bridge.request("closeSettings", {}).catch(() => undefined);
  }
}
