// Runs the orchestrator inside the sidebar page: bridge events in, commands out.
import { writable, type Readable } from "svelte/store";
import type { Bridge } from "../bridge/bridge";
import { createOrchestrator } from "../core/orchestrator";
import type { Command, HistoryEntry, OrchestratorEvent, Settings, Status } from "../core/types";
import definition from "../../../addon/protocol.json";
import type { EventMessage, Events, MissingFeature, PanelEventName } from "../protocol/generated";
import { parseEvent } from "../protocol/protocol";

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
  showTopBar(view: { text: string; short: string; tip: string; tone: string }): void;
  skipCloseWait(): void;
  openSettings(): void;
  /** Escape in the sidebar: the keys go back to Anki's window, the sidebar stays shown. */
  focusAnki(): void;
  /** Opens the folder that holds the add-on's log, for support. */
  showDataFolder(): void;
  /** Resolves once the first hello has been answered. */
  ready: Promise<void>;
}

const PANEL_ONLY: ReadonlySet<string> = new Set(definition.panelEvents);

/** How many events that changed nothing Python keeps before the page says it has them. */
const UNCHANGED_EVENTS_KEPT = 50;
/** An event as Python's journal numbers it: `seq` orders it, `at` is when Python saw it. */
type Numbered = { event: OrchestratorEvent; seq?: number; at?: number };

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
  // The restart contract: the last host event this page has taken in, the snapshot last handed
  // to Python, and the events that came before the hello's answer.
  let seq = 0;
  let handed = "";
  let handedSeq = 0;
  let early: Numbered[] | null = [];

  function publish(): void {
    view.update((v) => ({ ...v, status: orchestrator.status(), history: orchestrator.history() }));
  }

  function problem(text: string): void {
    view.update((v) => ({ ...v, problems: [...v.problems, text] }));
  }

  function feed(event: OrchestratorEvent, numbered?: { seq?: number; at?: number }): void {
    if (event.type === "profileOpened" || event.type === "settingsChanged") settings = { ...event.settings };
    let commands: Command[];
    try {
      commands = orchestrator.handle(event, numbered?.at);
    } catch (err) {
      // never thrown into the bridge: shown, so a wrong route is seen rather than lost
      problem(`Flipnem Sync ignored an event: ${String(err)}`);
      return;
    } finally {
      if (numbered?.seq !== undefined) seq = numbered.seq;
    }
    publish();
    hand(commands);
  }

  /**
   * After every event that changed the state: the whole snapshot and the commands go to Python in
   * one message, so a page that dies never leaves a command carried out whose state is lost, or
   * the reverse. Python keeps the snapshot and the events after `seq` for the next page.
   */
  function hand(commands: Command[]): void {
    const snapshot = orchestrator.snapshot();
    const text = JSON.stringify(snapshot);
    // events that changed nothing are still covered now and then, so Python's journal stays short
    if (commands.length === 0 && text === handed && seq - handedSeq < UNCHANGED_EVENTS_KEPT) return;
    handed = text;
    handedSeq = seq;
    void bridge
      .request("handled", { seq, snapshot: { ...snapshot }, commands })
      .then((reply) => {
        for (const text of reply.problems) problem(text);
      })
      .catch((err: unknown) => problem(`Flipnem Sync could not reach Anki: ${String(err)}`));
  }

  function take(e: Numbered): void {
    // an event the snapshot or the replay already holds is not taken twice
    if (e.seq !== undefined && e.seq <= seq) return;
    feed(e.event, e);
  }

  bridge.onEvent((e) => {
    // events meant for the settings panel (sign-in results, connection tests) are not the orchestrator's
    if (isPanelOnly(e)) return;
    const numbered: Numbered = { event: orchestratorEvent(e), seq: e.seq, at: e.at };
    if (early) early.push(numbered);
    else take(numbered);
  });

  const ready = bridge
    .request("hello", { page: "sidebar" })
    .then((reply) => {
      view.update((v) => ({
        ...v,
        connected: true,
        version: reply.version,
        problems: reply.problems,
        missing: reply.missing,
      }));
      const restart = reply.restart;
      if (restart) {
        if (restart.snapshot && !orchestrator.restore(restart.snapshot)) {
          problem("Flipnem Sync could not take up where the last page was; it starts afresh.");
        }
        seq = restart.seq;
        handedSeq = seq;
        handed = JSON.stringify(orchestrator.snapshot());
        for (const raw of restart.events) {
          const parsed = parseEvent(raw);
          if ("error" in parsed) problem(`Flipnem Sync ignored a malformed event: ${parsed.error}`);
          else if (!isPanelOnly(parsed)) take({ event: orchestratorEvent(parsed), seq: parsed.seq, at: parsed.at });
        }
      }
      publish();
    })
    .catch((err: unknown) => problem(`Could not reach Anki: ${String(err)}`))
    .finally(() => {
      const waiting = early ?? [];
      early = null;
      for (const e of waiting) take(e);
    });

  function pause(paused: boolean, until?: number): void {
    // the snapshot carries it to a page started again; a timed one is saved with the profile too
    feed(until === undefined ? { type: "pauseChanged", paused } : { type: "pauseChanged", paused, until });
  }

  return {
    view,
    ready,
    syncNow: () => feed({ type: "syncRequested", trigger: "sidebar" }),
    setPaused: (paused) => pause(paused),
    pauseFor: (span) => {
      if (span === "hour") return pause(true, deps.now() + 60 * 60_000);
      void bridge
        .request("nextDay", {})
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
    openSettings: () => void bridge.request("openSettings", {}).catch(() => undefined),
    focusAnki: () => void bridge.request("focusAnki", {}).catch(() => undefined),
    showDataFolder: () => void bridge.request("showDataFolder", {}).catch(() => undefined),
  };
}

type HostEventName = Exclude<EventMessage["event"], PanelEventName>;
/** Each host event as the orchestrator takes it: its name becomes the type, its data the fields. */
type AsOrchestrator = { [K in HostEventName]: { type: K } & Events[K] };

function isPanelOnly(e: EventMessage): e is Extract<EventMessage, { event: PanelEventName }> {
  return PANEL_ONLY.has(e.event);
}

function orchestratorEvent<K extends HostEventName>(e: { event: K; data: Events[K] }): AsOrchestrator[K] {
  // exactly the mapped type's member for K; TypeScript cannot follow a generic spread to it
  return { type: e.event, ...e.data } as AsOrchestrator[K];
}
