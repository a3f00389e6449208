import { describe, expect, it } from "vitest";
import examples from "../../../test/protocol/examples.json";
import { encodeRequest, parseEvent, parseRequest, replyProblem } from "./protocol";

// The same examples are checked by test/python/test_protocol.py, so both sides agree.
describe("protocol examples shared with Python", () => {
  it.each(examples.validRequests)("accepts %s", (text) => {
    expect(parseRequest(text)).not.toHaveProperty("error");
  });

  it.each(examples.invalidRequests)("rejects $text with $code", ({ text, code }) => {
    expect(parseRequest(text)).toEqual({ error: code });
  });

  it.each(examples.validEvents)("accepts event $event", (message) => {
    expect(parseEvent(message)).toEqual(message);
  });

  it.each(examples.invalidEvents)("rejects event %j", (message) => {
    expect(parseEvent(message)).toHaveProperty("error");
  });
});

describe("limits", () => {
  it("refuses an oversized message, as Python does", () => {
    const text = `flipnem:{"id":1,"command":"ping","args":{},"pad":"${"x".repeat(1_000_000)}"}`;
    expect(parseRequest(text)).toEqual({ error: "tooLarge" });
  });
});

describe("encodeRequest", () => {
  it("encodes what parseRequest reads back", () => {
    const args = {
      trigger: "button",
      media: false,
      showProgress: true,
      showServerMessage: true,
      abortOnInput: false,
      probe: false,
    };
    const text = encodeRequest(9, "syncCollection", args);
    expect(parseRequest(text)).toEqual({ id: 9, command: "syncCollection", args });
  });

  it("refuses to send a request that Python would reject", () => {
    const flags = { showProgress: false, showServerMessage: false, abortOnInput: false, probe: false };
    expect(() => encodeRequest(1, "syncCollection", { trigger: "nope", media: true, ...flags })).toThrow(/trigger/);
    expect(() => encodeRequest(1, "hello", {})).toThrow(/missing page/);
  });
});

describe("replies, as Python checks them too", () => {
  it.each(examples.validReplies)("a $command reply that fits", ({ command, result }) => {
    expect(replyProblem(command, result)).toBeNull();
  });

  it.each(examples.invalidReplies)("a $command reply that does not", ({ command, result }) => {
    expect(replyProblem(command, result)).not.toBeNull();
  });
});
