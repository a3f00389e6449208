// Text a server chose is cut before it is stored or shown, and the saved state always fits
// one bridge message, so a few long server messages can never stop history being saved.
// The limits come from protocol.json, which Python reads too.
import definition from "../../../addon/protocol.json";
import type { HistoryEntry, PersistedState } from "../protocol/generated";

export const MESSAGE_CHARS: number = definition.limits.messageChars;
export const SERVER_MESSAGE_CHARS: number = definition.limits.serverMessageChars;
export const ERROR_TEXT_CHARS: number = definition.limits.errorTextChars;
/** Room for the request's envelope around the state (prefix, id, command name). */
const ENVELOPE_CHARS = 1_000;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` without control characters, at most `limit` characters; an ellipsis marks a cut. */
export function cut(text: string, limit: number): string {
  const clean = text.replace(CONTROL, " ");
  if (clean.length <= limit) return clean;
  let end = limit - 1;
  // never split a surrogate pair
  const last = clean.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return clean.slice(0, end) + "\u2026";
}

/** An entry's server-chosen words, cut to their limits. */
export function cutEntry(e: HistoryEntry): HistoryEntry {
  const out = { ...e };
  if (out.message !== undefined) out.message = cut(out.message, ERROR_TEXT_CHARS);
  if (out.serverMessage !== undefined) out.serverMessage = cut(out.serverMessage, SERVER_MESSAGE_CHARS);
  if (out.counts !== undefined) out.counts = cut(out.counts, ERROR_TEXT_CHARS);
  return out;
}

/** The state as saved: the oldest history entries give way until it fits one message. */
export function fitState(state: PersistedState, budget = MESSAGE_CHARS - ENVELOPE_CHARS): PersistedState {
  let size = JSON.stringify(state).length;
  if (size <= budget) return state;
  const history = [...state.history];
  while (history.length > 0 && size > budget) {
    const dropped = history.shift();
    // the entry and its separating comma
    size -= JSON.stringify(dropped).length + 1;
  }
  return { ...state, history };
}
