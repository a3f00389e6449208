// The sync server address a user types, checked and normalised. Python applies the same
// rules; both sides test against test/fixtures/address-cases.json so they cannot drift.

import { ADDRESS_WORDS as says } from "./words";

export type AddressResult = { ok: true; url: string } | { ok: false; message: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i;
const IPV4_LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** This computer: the only hosts where plain http is allowed. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === "localhost" || host === "[::1]") return true;
  const parts = IPV4_LOOPBACK.exec(host);
  return parts !== null && parts.slice(1).every((part) => Number(part) <= 255);
}

function refuse(message: string): AddressResult {
  return { ok: false, message };
}

/** The host part of an authority ("user@host:port"), as typed. */
function rawHostname(authority: string): string {
  const close = authority.indexOf("]");
  if (authority.startsWith("[") && close > 0) return authority.slice(0, close + 1);
  return authority.replace(/:\d*$/, "");
}

export function normalizeServer(text: string): AddressResult {
  const trimmed = text.trim();
  if (trimmed === "") return refuse(says.empty);
  const head = SCHEME.exec(trimmed);
  if (!head) {
    const guess = /^[^\s:/?#@]+(:\d+)?(\/[^\s]*)?$/.test(trimmed) ? normalizeServer(`https://${trimmed}`) : null;
    return refuse(guess?.ok ? says.didYouMean(guess.url) : says.noScheme);
  }
  const scheme = (head[1] ?? "").toLowerCase();
  const authority = head[2] ?? "";
  if (scheme !== "https" && scheme !== "http") return refuse(says.notWeb);
  if (authority.includes("@")) {
    return refuse(says.credentials);
  }
  if (/[?#]/.test(trimmed)) return refuse(says.queryOrFragment);
  if (rawHostname(authority) === "") return refuse(says.noHost);
  if (/\s/.test(trimmed)) return refuse(says.spaces);
  if (trimmed.includes("\\")) return refuse(says.backslash);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return refuse(says.invalid);
  }
  const host = rawHostname(authority).toLowerCase();
  // a browser quietly rewrites some names (127.1, %41); Python would not, so refuse them
  const rewritten = host.startsWith("[") || /[^\x00-\x7f]/.test(host) ? false : host !== url.hostname;
  if (rewritten) {
    return refuse(says.rewritten);
  }
  if (scheme === "http" && !isLoopback(url.hostname)) {
    return refuse(says.plainHttp);
  }
  // the address as typed (not as a browser would rewrite it), so Python gives the same answer
  const rest = trimmed.slice(head[0].length);
  const path = rest.endsWith("/") ? rest : `${rest}/`;
  return { ok: true, url: `${scheme}://${authority.toLowerCase()}${path}` };
}
