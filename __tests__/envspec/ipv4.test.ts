import { cidrContains, cidrsOverlap, formatIpv4, lastAddress, networkAddress, parseCidr, parseIpv4 } from "../../envspec/ipv4";

describe("IPv4 helpers", () => {
  it("parses dotted quads and rejects leading zeros and out-of-range octets", () => {
    expect(parseIpv4("10.30.0.1")).toBe(10 * 2 ** 24 + 30 * 2 ** 16 + 1);
    expect(parseIpv4("010.0.0.1")).toBeUndefined();
    expect(parseIpv4("256.0.0.1")).toBeUndefined();
    expect(formatIpv4(parseIpv4("203.0.113.255")!)).toBe("203.0.113.255");
  });

  it("computes first and last address of a range", () => {
    const c = parseCidr("10.30.0.16/28")!;
    expect(formatIpv4(networkAddress(c))).toBe("10.30.0.16");
    expect(formatIpv4(lastAddress(c))).toBe("10.30.0.31");
    expect(formatIpv4(lastAddress(parseCidr("0.0.0.0/0")!))).toBe("255.255.255.255");
  });

  it("tells containment from overlap", () => {
    const subnet = parseCidr("10.30.0.0/24")!;
    expect(cidrContains(subnet, parseCidr("10.30.0.16/28")!)).toBe(true);
    expect(cidrContains(subnet, parseCidr("10.30.0.0/23")!)).toBe(false);
    expect(cidrsOverlap(parseCidr("10.30.0.16/28")!, parseCidr("10.30.0.24/29")!)).toBe(true);
    expect(cidrsOverlap(parseCidr("10.30.0.16/28")!, parseCidr("10.30.0.32/28")!)).toBe(false);
  });
});
