import { describe, expect, it } from "vitest";
import { classifyAddress, isAllowed, parseAllowList, type EgressPolicy } from "../../src/egress/index.js";

const policy = (allow: string[]): EgressPolicy => ({ allow, httpsOnly: false });

describe("classifyAddress", () => {
  const blocked: [name: string, ip: string, range: string][] = [
    ["loopback 127.0.0.1", "127.0.0.1", "loopback"],
    ["loopback top of 127/8", "127.255.255.254", "loopback"],
    ["loopback ::1", "::1", "loopback"],
    ["private 10/8", "10.0.0.1", "private"],
    ["private 10/8 last address", "10.255.255.255", "private"],
    ["private 172.16/12 first", "172.16.0.1", "private"],
    ["private 172.16/12 last", "172.31.255.254", "private"],
    ["private 192.168/16", "192.168.1.1", "private"],
    ["link-local 169.254.x", "169.254.1.1", "linkLocal"],
    ["link-local fe80::", "fe80::1", "linkLocal"],
    ["link-local with a zone id", "fe80::1%eth0", "linkLocal"],
    ["CGNAT 100.64/10 first", "100.64.0.1", "carrierGradeNat"],
    ["CGNAT 100.64/10 last", "100.127.255.254", "carrierGradeNat"],
    ["multicast 224.0.0.1", "224.0.0.1", "multicast"],
    ["multicast ff02::1", "ff02::1", "multicast"],
    ["unspecified 0.0.0.0", "0.0.0.0", "unspecified"],
    ["unspecified 0/8 (this network)", "0.1.2.3", "unspecified"],
    ["unspecified ::", "::", "unspecified"],
    ["broadcast 255.255.255.255", "255.255.255.255", "broadcast"],
    ["reserved 240/4", "240.0.0.1", "reserved"],
    ["TEST-NET-1 documentation", "192.0.2.1", "reserved"],
    ["TEST-NET-2 documentation", "198.51.100.1", "reserved"],
    ["TEST-NET-3 documentation", "203.0.113.1", "reserved"],
    ["benchmarking 198.18/15", "198.18.0.1", "reserved"],
    ["IETF protocol assignments 192.0.0/24", "192.0.0.8", "reserved"],
    ["AS112", "192.175.48.1", "as112"],
    ["AMT", "192.52.193.1", "amt"],
    ["IPv6 documentation 2001:db8::/32", "2001:db8::1", "reserved"],
    ["IPv6 discard 100::/64", "100::1", "discard"],
    ["IPv6 deprecated site-local", "fec0::1", "deprecatedSiteLocal"],
    ["IPv6 benchmarking", "2001:2::1", "benchmarking"],
    ["IPv6 outside 2000::/3 (unassigned)", "4000::1", "unassignedIPv6"],
    ["unique-local fc00::/7 (fc)", "fc00::1", "uniqueLocal"],
    ["unique-local fc00::/7 (fd)", "fd12:3456::1", "uniqueLocal"],
    ["metadata AWS/GCP/Azure 169.254.169.254", "169.254.169.254", "metadata"],
    ["metadata AWS IPv6 fd00:ec2::254", "fd00:ec2::254", "metadata"],
    ["metadata AWS ECS 169.254.170.2", "169.254.170.2", "metadata"],
    ["metadata Alibaba 100.100.100.200", "100.100.100.200", "metadata"],
    ["metadata Oracle Classic 192.0.0.192", "192.0.0.192", "metadata"],
    ["metadata Azure WireServer (public space)", "168.63.129.16", "metadata"],
    ["IPv4-mapped ::ffff:127.0.0.1", "::ffff:127.0.0.1", "ipv4Mapped(loopback)"],
    ["IPv4-mapped hex ::ffff:7f00:1", "::ffff:7f00:1", "ipv4Mapped(loopback)"],
    ["IPv4-mapped private", "::ffff:10.0.0.1", "ipv4Mapped(private)"],
    ["IPv4-mapped metadata", "::ffff:169.254.169.254", "ipv4Mapped(metadata)"],
    ["IPv4-compatible ::127.0.0.1", "::127.0.0.1", "ipv4Compatible(loopback)"],
    ["IPv4-compatible public (deprecated form)", "::93.184.216.34", "ipv4Compatible"],
    ["IPv4-compatible in hex ::7f00:1", "::7f00:1", "ipv4Compatible(loopback)"],
    ["IPv4-translated ::ffff:0:127.0.0.1", "::ffff:0:7f00:1", "ipv4Translated(loopback)"],
    ["NAT64 64:ff9b::7f00:1", "64:ff9b::7f00:1", "nat64(loopback)"],
    ["NAT64 dotted 64:ff9b::10.0.0.1", "64:ff9b::10.0.0.1", "nat64(private)"],
    ["NAT64 metadata", "64:ff9b::a9fe:a9fe", "nat64(metadata)"],
    ["NAT64 local-use 64:ff9b:1::/48", "64:ff9b:1::5db8:d822", "nat64LocalUse"],
    ["6to4 2002:7f00:1::", "2002:7f00:1::", "6to4(loopback)"],
    ["6to4 carrying a public IPv4 (deprecated)", "2002:5db8:d822::1", "6to4"],
    ["Teredo client 127.0.0.1 (bit-inverted)", "2001:0:4136:e378:8000:63bf:80ff:fffe", "teredo(loopback)"],
    ["not an IP: hostname", "localhost", "invalid"],
    ["not an IP: shortened IPv4 spelling", "127.1", "invalid"],
    ["not an IP: hex IPv4 spelling", "0x7f.0.0.1", "invalid"],
    ["not an IP: empty", "", "invalid"],
  ];
  it.each(blocked)("%s is blocked", (_name, ip, range) => {
    expect(classifyAddress(ip)).toEqual({ kind: "blocked", range });
  });

  const publicAddresses: [name: string, ip: string][] = [
    ["public IPv4 93.184.216.34", "93.184.216.34"],
    ["public IPv4 8.8.8.8", "8.8.8.8"],
    ["just outside 172.16/12", "172.32.0.1"],
    ["just outside CGNAT", "100.128.0.1"],
    ["public IPv6 2606:4700::1", "2606:4700::1"],
    ["public IPv6 2001:4860:4860::8888", "2001:4860:4860::8888"],
    ["IPv4-mapped public", "::ffff:93.184.216.34"],
    ["NAT64 of a public IPv4 (DNS64 networks)", "64:ff9b::5db8:d822"],
  ];
  it.each(publicAddresses)("%s is public", (_name, ip) => {
    expect(classifyAddress(ip)).toEqual({ kind: "public" });
  });
});

describe("isAllowed", () => {
  const cases: [name: string, allow: string[], ip: string, ok: boolean][] = [
    ["public needs no allow-list", [], "93.184.216.34", true],
    ["public IPv6 needs no allow-list", [], "2606:4700::1", true],
    ["loopback refused by default", [], "127.0.0.1", false],
    ["127.0.0.1/32 admits 127.0.0.1", ["127.0.0.1/32"], "127.0.0.1", true],
    ["127.0.0.1/32 does not admit 127.0.0.2", ["127.0.0.1/32"], "127.0.0.2", false],
    ["127.0.0.1/32 does not admit ::1", ["127.0.0.1/32"], "::1", false],
    ["127.0.0.1/32 admits IPv4-mapped ::ffff:127.0.0.1 (same socket destination)", ["127.0.0.1/32"], "::ffff:127.0.0.1", true],
    ["127.0.0.1/32 does not admit NAT64 64:ff9b::7f00:1 (a translator, not this host)", ["127.0.0.1/32"], "64:ff9b::7f00:1", false],
    ["127.0.0.1/32 does not admit 6to4 2002:7f00:1::", ["127.0.0.1/32"], "2002:7f00:1::", false],
    ["::1/128 admits ::1", ["::1/128"], "::1", true],
    ["10.0.0.0/8 admits 10.1.2.3", ["10.0.0.0/8"], "10.1.2.3", true],
    ["10.0.0.0/8 does not admit 172.16.0.1", ["10.0.0.0/8"], "172.16.0.1", false],
    ["169.254.0.0/16 admits other link-local", ["169.254.0.0/16"], "169.254.1.1", true],
    ["169.254.0.0/16 does NOT admit metadata 169.254.169.254", ["169.254.0.0/16"], "169.254.169.254", false],
    ["169.254.0.0/16 does NOT admit ECS metadata 169.254.170.2", ["169.254.0.0/16"], "169.254.170.2", false],
    ["exact 169.254.169.254/32 admits metadata", ["169.254.0.0/16", "169.254.169.254/32"], "169.254.169.254", true],
    ["exact 169.254.169.254/32 admits its IPv4-mapped form", ["169.254.169.254/32"], "::ffff:169.254.169.254", true],
    ["0.0.0.0/0 admits private but not metadata", ["0.0.0.0/0"], "10.9.8.7", true],
    ["0.0.0.0/0 does NOT admit metadata", ["0.0.0.0/0"], "169.254.169.254", false],
    ["100.64.0.0/10 does NOT admit Alibaba metadata", ["100.64.0.0/10"], "100.100.100.200", false],
    ["::/0 does NOT admit fd00:ec2::254", ["::/0"], "fd00:ec2::254", false],
    ["fd00:ec2::/32 does NOT admit fd00:ec2::254", ["fd00:ec2::/32"], "fd00:ec2::254", false],
    ["exact fd00:ec2::254/128 admits it", ["fd00:ec2::254/128"], "fd00:ec2::254", true],
    ["not an IP is never allowed", ["0.0.0.0/0"], "example.com", false],
    ["invalid allow entries admit nothing (fail closed)", ["127.0.0.1"], "127.0.0.1", false],
  ];
  it.each(cases)("%s", (_name, allow, ip, ok) => {
    expect(isAllowed(ip, policy(allow)).ok).toBe(ok);
  });

  it("explains a refusal with the range", () => {
    expect(isAllowed("10.0.0.1", policy([]))).toEqual({
      ok: false,
      reason: "10.0.0.1 is in a non-public range (private) and no allow-list entry covers it",
    });
  });

  it("names the exact entry that would admit a metadata address", () => {
    expect(isAllowed("169.254.169.254", policy(["169.254.0.0/16"]))).toMatchObject({
      ok: false,
      reason: expect.stringContaining("only the exact allow-list entry 169.254.169.254/32 admits it") as unknown,
    });
    expect(isAllowed("fd00:ec2::254", policy([]))).toMatchObject({
      reason: expect.stringContaining("fd00:ec2::254/128") as unknown,
    });
  });
});

describe("parseAllowList", () => {
  const valid: [name: string, input: string | undefined, expected: string[]][] = [
    ["unset", undefined, []],
    ["empty", "", []],
    ["blank", "   ", []],
    ["none", "none", []],
    ["NONE, any case and padding", " NONE ", []],
    ["comma-separated with spaces", "127.0.0.1/32, ::1/128", ["127.0.0.1/32", "::1/128"]],
    ["whitespace-separated", "10.0.0.0/8 192.168.0.0/16", ["10.0.0.0/8", "192.168.0.0/16"]],
    ["IPv6 canonicalised", "0:0:0:0:0:0:0:1/128", ["::1/128"]],
    ["IPv4-compatible written dotted is not read as IPv4-mapped", "::127.0.0.1/128", ["::7f00:1/128"]],
    ["duplicates dropped", "127.0.0.1/32,127.0.0.1/32", ["127.0.0.1/32"]],
    ["trailing comma", "127.0.0.1/32,", ["127.0.0.1/32"]],
  ];
  it.each(valid)("%s", (_name, input, expected) => {
    expect(parseAllowList(input)).toEqual(expected);
  });

  const invalid: [name: string, input: string, message: RegExp][] = [
    ["bare address without prefix", "127.0.0.1", /"127\.0\.0\.1" has no prefix length \(write 127\.0\.0\.1\/32/],
    ["host bits set", "10.0.0.1/8", /"10\.0\.0\.1\/8" has host bits set \(did you mean 10\.0\.0\.0\/8\?\)/],
    ["octet out of range", "300.1.1.1/32", /"300\.1\.1\.1\/32" is not a CIDR/],
    ["prefix too long", "10.0.0.0/33", /"10\.0\.0\.0\/33" has an invalid prefix length \(0-32\)/],
    ["IPv6 prefix too long", "::1/129", /invalid prefix length \(0-128\)/],
    ["non-numeric prefix", "10.0.0.0/x", /invalid prefix length/],
    ["alternate IPv4 spelling is not accepted", "127.1/32", /"127\.1\/32" is not a CIDR/],
    ["hostname", "localhost/32", /"localhost\/32" is not a CIDR/],
    ["none mixed with entries", "none, 127.0.0.1/32", /"none" is not a CIDR/],
  ];
  it.each(invalid)("rejects %s", (_name, input, message) => {
    expect(() => parseAllowList(input)).toThrow(message);
  });

  it("names every bad entry at once and the expected form", () => {
    expect(() => parseAllowList("127.0.0.1/32, nope, 10.0.0.1/8")).toThrow(
      'invalid egress allow-list: "nope" is not a CIDR (the address part is not an IPv4 or IPv6 address); ' +
        '"10.0.0.1/8" has host bits set (did you mean 10.0.0.0/8?) ' +
        '(expected comma-separated CIDRs such as "127.0.0.1/32, 10.0.0.0/8, ::1/128", or "none")',
    );
  });
});
