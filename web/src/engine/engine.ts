// Runs the orchestrator inside the sidebar page: bridge events in, commands out.
import { writable, type Readable } from "svelte/store";
import type { Bridge } from "../bridge/bridge";
import { BridgeError } from "../bridge/bridge";
import { createOrchestrator } from "../core/orchestrator";
import type { Command, HistoryEntry, OrchestratorEvent, Settings, Status } from "../core/types";
import type { MissingFeature, Replies } from "../protocol/generated";
import type { CommandName } from "../protocol/protocol";

export interface EngineView {
  connected: boolean;
  version: string;
  problems: string[];
  /** What this Anki cannot sense, from Python's hello. */
  missing: MissingFeature[];
  status: Status;
  history: HistoryEntry[];
}

export interface Engine {
  view: Readable<EngineView>;
  syncNow(): void;
  setPaused(paused: boolean): void;
  /** A timed pause: an hour, or until Anki's next day begins. */
  pauseFor(span: "hour" | "tomorrow"): void;
  /** The switch "Keep in sync while Anki is open", from the sidebar's one-time line. */
  keepInStep(on: boolean): void;
  dismissNotice(): void;
  /** Anki's top bar shows this; sent only when it changes. */
  showTopBar(view: { text: string; tip: string; tone: string }): void;
  skipCloseWait(): void;
  openSettings(): void;
  /** Opens the folder that holds the add-on's log, for support. */
  showDataFolder(): void;
  /** Resolves once the first hello has been answered. */
  ready: Promise<void>;
}

const PANEL_ONLY = new Set<string>(["signInFinished", "connectionTested", "fullSyncChoice", "preferencesChanged"]);

type HelloReply = Replies["hello"];

export function startEngine(
  bridge: Bridge,
  deps: { now: () => number; random: () => number } = { now: () => Date.now(), random: Math.random },
): Engine {
  const orchestrator = createOrchestrator(deps);
  const view = writable<EngineView>({
    connected: false,
    version: "",
    problems: [],
    missing: [],
    status: orchestrator.status(),
    history: orchestrator.history(),
  });
  // the settings the orchestrator last heard, for the sidebar's one switch
  let settings: Settings | undefined;
  let topBar = "";

  function publish(): void {
    view.update((v) => ({ ...v, status: orchestrator.status(), history: orchestrator.history() }));
  }

  function feed(event: OrchestratorEvent): void {
    if (event.type === "profileOpened" || event.type === "settingsChanged") settings = { ...event.settings };
    let commands: Command[];
    try {
      commands = orchestrator.handle(event);
    } catch (err) {
      // never thrown into the bridge: shown, so a wrong route is seen rather than lost
      view.update((v) => ({ ...v, problems: [...v.problems, `Flipnem Sync ignored an event: ${String(err)}`] }));
      return;
    }
    publish();
    // sent at once, in the orchestrator's order: Python handles them in the order they arrive, so
    // none waits for the answer to the one before (a close would wait for them all)
    for (const command of commands) void execute(command);
  }

  async function execute(command: Command): Promise<void> {
    const { type, ...args } = command;
    try {
      await bridge.request(type as CommandName, args);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const code = err instanceof BridgeError ? err.code : "failed";
      // a sync Python could not start is reported back, so the queue never stalls
      if (type === "syncCollection") {
        feed({
          type: "collectionSyncFinished",
          outcome: code === "signedOut" ? "authFailed" : "failed",
          message,
          mediaStarted: false,
        });
      } else if (type === "syncMedia") {
        feed({ type: "mediaSyncFinished", outcome: "failed", message });
      } else if (type === "checkStatus") {
        // a check Python could not start must not hold the queue either
        feed({ type: "statusChecked", outcome: "failed", message, localChanges: false });
      } else if (type === "chooseFullSync") {
        // the queue waits for the choice; a choice Anki could not offer must not hold it forever
        feed({ type: "fullSyncFinished", outcome: "failed", message });
      } else {
        view.update((v) => ({ ...v, problems: [...v.problems, `${type}: ${message}`] }));
      }
    }
  }

  bridge.onEvent((e) => {
    // events meant for the settings panel (sign-in results, connection tests) are not the orchestrator's
    if (!PANEL_ONLY.has(e.event)) feed({ type: e.event, ...e.data } as OrchestratorEvent);
  });

  const ready = bridge
    .request<HelloReply>("hello", { page: "sidebar" })
    .then((reply) => {
      view.update((v) => ({
        ...v,
        connected: true,
        version: reply.version,
        problems: reply.problems,
        missing: reply.missing,
      }));
      if (reply.paused) {
        const until = reply.pausedUntil;
        feed(
          typeof until === "number"
            ? { type: "pauseChanged", paused: true, until }
            : { type: "pauseChanged", paused: true },
        );
      }
      if (reply.session) feed({ type: "profileOpened", ...reply.session });
    })
    .catch((err: unknown) => {
      view.update((v) => ({ ...v, problems: [...v.problems, `Could not reach Anki: ${String(err)}`] }));
    });

  function pause(paused: boolean, until?: number): void {
    feed(until === undefined ? { type: "pauseChanged", paused } : { type: "pauseChanged", paused, until });
    // Python keeps it too, for a page that is restarted before Anki is (a timed pause, across restarts)
    void bridge.request("setPaused", until === undefined ? { paused } : { paused, until }).catch(() => undefined);
  }

  return {
    view,
    ready,
    syncNow: () => feed({ type: "syncRequested", trigger: "sidebar" }),
    setPaused: (paused) => pause(paused),
    pauseFor: (span) => {
      if (span === "hour") return pause(true, deps.now() + 60 * 60_000);
      void bridge
        .request<Replies["nextDay"]>("nextDay")
        .then((reply) => pause(true, reply.at))
        .catch((err: unknown) => view.update((v) => ({ ...v, problems: [...v.problems, `Pause: ${String(err)}`] })));
    },
    keepInStep: (on) => {
      if (!settings) return;
      const next = { ...settings, backgroundSync: on };
      void bridge
        .request("saveSettings", { settings: next })
        .then(() => feed({ type: "dismissNotice" }))
        .catch((err: unknown) => view.update((v) => ({ ...v, problems: [...v.problems, `Settings: ${String(err)}`] })));
    },
    dismissNotice: () => feed({ type: "dismissNotice" }),
    showTopBar: (bar) => {
      const key = JSON.stringify(bar);
      if (key === topBar) return;
      topBar = key;
      void bridge.request("setTopBar", bar).catch(() => undefined);
    },
    skipCloseWait: () => feed({ type: "skipCloseWait" }),
    openSettings: () => void bridge.request("openSettings").catch(() => undefined),
    showDataFolder: () => void bridge.request("showDataFolder").catch(() => undefined),
  };
}
