// Test-only: what the orchestrator's scenario tests share: a profile already open, the
// settings a test starts from, views of what the host was told, and the one builder for an
// expected collection sync, read from the trigger table.
import { SAFE_POINT_TIMEOUT_SECS } from "../../web/src/core/policy";
import { TRIGGER_TRAITS } from "../../web/src/core/triggers";
import type { Command, HistoryEntry, Settings, Trigger } from "../../web/src/core/types";
import { DEFAULT_TEST_SETTINGS, FakeHost, only } from "./fakeHost";

export const MIN = 60_000;

export const settings = (over: Partial<Settings> = {}): Settings => ({ ...DEFAULT_TEST_SETTINGS, ...over });

/** A host whose profile is open, the open sync (with its media) done. */
export function opened(over: Partial<Settings> = {}): FakeHost {
  const host = new FakeHost();
  host.open({ settings: settings(over) });
  if (host.running?.kind === "collection") host.finishCollection("ok");
  if (host.running?.kind === "media") host.finishMedia("ok");
  return host;
}

/** The same with the while-open schedule (the input watch and the idle checks) shown. */
export function openedInStep(): FakeHost {
  const host = new FakeHost(() => 0.5, { inStep: true });
  host.open();
  host.finishCollection("ok");
  host.finishMedia("ok");
  return host;
}

export const syncs = (h: FakeHost) => only(h.log, "syncCollection", "syncMedia");
export const lastEntry = (h: FakeHost): HistoryEntry | undefined => h.orchestrator.history().at(-1);
export const skips = (h: FakeHost) => h.orchestrator.history().filter((e) => e.outcome === "skipped");

/** The whole syncCollection command a trigger's sync is sent with; media goes along unless said. */
export function syncOf(trigger: Trigger, over: { media?: boolean } = {}): Extract<Command, { type: "syncCollection" }> {
  const t = TRIGGER_TRAITS[trigger];
  return {
    type: "syncCollection",
    trigger,
    media: over.media ?? true,
    showProgress: t.showsProgress,
    showServerMessage: t.showsServerMessage,
    abortOnInput: t.atSafePoint,
    ...(t.atSafePoint ? { timeoutSecs: SAFE_POINT_TIMEOUT_SECS } : {}),
    ...(t.atSafePoint && t.inputGraceMs ? { inputGraceMs: t.inputGraceMs } : {}),
    probe: t.probe,
  };
}
