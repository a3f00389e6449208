// Times as the sidebar says them. Pure: `now` is always passed in, and times are local.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const pad = (n: number) => String(n).padStart(2, "0");

/** "just now", "2 min ago", "3 h ago", "4 days ago"; "in 14 min" for times ahead. */
export function relativeTime(at: number, now: number): string {
  const diff = now - at;
  if (diff >= 0) return diff < MINUTE ? "just now" : `${span(diff, false)} ago`;
  return -diff < MINUTE ? "in less than a minute" : `in ${span(-diff, true)}`;
}

/** Whole units: a past time counts completed ones; a time ahead rounds minutes up. */
function span(ms: number, ahead: boolean): string {
  if (ms < HOUR) return `${ahead ? Math.ceil(ms / MINUTE) : Math.floor(ms / MINUTE)} min`;
  const round = ahead ? Math.round : Math.floor;
  if (ms < DAY) return `${round(ms / HOUR)} h`;
  const days = round(ms / DAY);
  return days === 1 ? "1 day" : `${days} days`;
}

/** "10:42" today, "2025-01-02 10:42" on another day. */
export function clockTime(at: number, now: number): string {
  const d = new Date(at);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return sameDay(d, new Date(now)) ? hm : `${date(d)} ${hm}`;
}

/** "2025-01-02 10:42:03", local: the form support reads. */
export function timestamp(at: number): string {
  const d = new Date(at);
  return `${date(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "0 s", "0.4 s", "12 s", "2 min 5 s", "1 h 3 min". */
export function duration(ms: number): string {
  const safe = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (safe === 0) return "0 s";
  if (safe < 10 * SECOND) return `${(Math.round(safe / 100) / 10).toString()} s`;
  if (safe < MINUTE) return `${Math.round(safe / SECOND)} s`;
  if (safe < HOUR) {
    const s = Math.round((safe % MINUTE) / SECOND);
    const m = Math.floor(safe / MINUTE);
    return s === 0 || s === 60 ? `${m + (s === 60 ? 1 : 0)} min` : `${m} min ${s} s`;
  }
  const m = Math.round((safe % HOUR) / MINUTE);
  const h = Math.floor(safe / HOUR);
  return m === 0 || m === 60 ? `${h + (m === 60 ? 1 : 0)} h` : `${h} h ${m} min`;
}

function date(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}
