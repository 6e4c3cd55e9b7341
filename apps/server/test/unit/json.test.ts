import { describe, expect, it } from "vitest";
import { canonicalJson, rawTopLevelMember } from "../../src/util/json.js";

describe("rawTopLevelMember", () => {
  it.each([
    ["compact", '{"type":"a","payload":{"x":1}}', '{"x":1}'],
    ["odd spacing kept inside", '{ "payload" :\t{ "x" :  [1, 2 ,3] }  , "type":"a"}', '{ "x" :  [1, 2 ,3] }'],
    ["big numbers untouched", '{"payload":{"n":12345678901234567890123,"f":1.0e+2}}', '{"n":12345678901234567890123,"f":1.0e+2}'],
    ["strings with braces and quotes", '{"payload":{"s":"}\\"{[","t":"\\\\"},"z":1}', '{"s":"}\\"{[","t":"\\\\"}'],
    ["escaped key", '{"pay\\u006coad":{"a":1}}', '{"a":1}'],
    ["last duplicate wins (as JSON.parse)", '{"payload":{"a":1},"payload":{"b":2}}', '{"b":2}'],
    ["nested payload key ignored", '{"type":{"payload":1},"payload":[]}', "[]"],
    ["scalar member", '{"payload":  -1.5e3 }', "-1.5e3"],
    ["unicode", '{"payload":{"s":"\u2028🚀&"}}', '{"s":"\u2028🚀&"}'],
  ])("%s", (_case, text, expected) => {
    JSON.parse(text);
    expect(rawTopLevelMember(text, "payload")).toBe(expected);
    expect(JSON.parse(expected)).toEqual(JSON.parse(text).payload);
  });

  it("is undefined when absent or not an object", () => {
    expect(rawTopLevelMember("{}", "payload")).toBeUndefined();
    expect(rawTopLevelMember('{"a":1}', "payload")).toBeUndefined();
    expect(rawTopLevelMember("[1]", "payload")).toBeUndefined();
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every level and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });
});
