import { describe, expect, it } from "vitest";
import { isLoopback, normalizeServer } from "./address";
import cases from "../../../../test/fixtures/address-cases.json";

interface Case {
  input: string;
  ok: boolean;
  url?: string;
}

describe("normalizeServer: the shared cases (Python tests the same file)", () => {
  it.each(cases as Case[])("$input → ok: $ok", ({ input, ok, url }) => {
    const result = normalizeServer(input);
    expect(result.ok).toBe(ok);
    if (result.ok) expect(result.url).toBe(url);
    else expect(result.message.length).toBeGreaterThan(10);
  });

  it("every accepted case names its url, every refused one does not", () => {
    for (const c of cases as Case[]) expect(c.ok).toBe(typeof c.url === "string");
  });

  it("an accepted url is accepted again unchanged", () => {
    for (const c of (cases as Case[]).filter((x) => x.ok)) {
      expect(normalizeServer(c.url ?? "")).toEqual({ ok: true, url: c.url });
    }
  });
});

describe("normalizeServer: the messages", () => {
  const message = (text: string): string => {
    const result = normalizeServer(text);
    if (result.ok) throw new Error(`${text} was accepted`);
    return result.message;
  };

  it("asks for an address when empty", () => {
    expect(message("")).toBe("Enter the address of the sync server.");
    expect(message("  \t")).toBe("Enter the address of the sync server.");
  });

  it("suggests https:// when the scheme is missing", () => {
    expect(message("sync.example.com")).toBe(
      "The address must start with https:// (did you mean https://sync.example.com/?).",
    );
    expect(message("sync.example.com/prefix")).toContain("did you mean https://sync.example.com/prefix/?");
    expect(message("not an address")).toBe(
      "The address must start with https://, for example https://sync.example.com/.",
    );
  });

  it("asks for https unless the host is this computer", () => {
    expect(message("http://sync.example.com/")).toContain("Use https://");
    expect(message("http://192.168.1.2:8080/")).toContain("only for this computer");
  });

  it("refuses other schemes", () => {
    expect(message("ftp://x/")).toBe("The address must start with https://.");
    expect(message("ws://localhost/")).toBe("The address must start with https://.");
  });

  it("refuses credentials in the address", () => {
    expect(message("https://user:pw@x/")).toContain("username and password out of the address");
    expect(message("https://@x/")).toContain("username and password out of the address");
  });

  it("refuses a query or a fragment, even an empty one", () => {
    for (const text of ["https://x/?a=1", "https://x/?", "https://x/#", "https://x#top"]) {
      expect(message(text)).toBe("The address cannot contain “?” or “#”.");
    }
  });

  it("refuses an address without a server name", () => {
    expect(message("https:///path")).toBe("The address has no server name.");
    expect(message("https://:443/")).toBe("The address has no server name.");
  });

  it("refuses spaces, backslashes and what does not parse", () => {
    expect(message("https://sync example.com/")).toBe("The address cannot contain spaces.");
    expect(message("https://x/a\\b")).toBe("The address cannot contain a backslash (\\); use /.");
    expect(message("https://x:99999/")).toBe("That is not a valid web address.");
    expect(message("https://[::1/")).toBe("That is not a valid web address.");
  });

  it("refuses server names a browser would rewrite (Python would not)", () => {
    expect(message("http://127.1/")).toContain("as your host gives it");
    expect(message("https://x%41.example/")).toContain("as your host gives it");
  });

  it("keeps the address as typed, so Python gives the same answer", () => {
    expect(normalizeServer("https://x:443/a/../b")).toEqual({ ok: true, url: "https://x:443/a/../b/" });
    expect(normalizeServer("https://bücher.example/")).toEqual({ ok: true, url: "https://bücher.example/" });
  });
});

describe("isLoopback", () => {
  it.each([
    ["localhost", true],
    ["127.0.0.1", true],
    ["127.255.255.254", true],
    ["[::1]", true],
    ["127.0.0.256", false],
    ["128.0.0.1", false],
    ["localhost.example.com", false],
    ["[::2]", false],
    ["example.com", false],
  ])("%s → %s", (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});
