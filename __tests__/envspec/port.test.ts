import { PORT_PATTERN, PORT_PRESETS, parsePort, portProblem, presetsOpenedBy } from "../../envspec/port";

describe("ports", () => {
  it("expands presets, single ports, ranges and icmp", () => {
    expect(parsePort("ssh")).toEqual([{ protocol: "tcp", from: 22, to: 22 }]);
    expect(parsePort("dns")).toEqual([
      { protocol: "udp", from: 53, to: 53 },
      { protocol: "tcp", from: 53, to: 53 },
    ]);
    expect(parsePort("tcp/8000-8080")).toEqual([{ protocol: "tcp", from: 8000, to: 8080 }]);
    expect(parsePort("udp/53")).toEqual([{ protocol: "udp", from: 53, to: 53 }]);
    expect(parsePort("icmp")).toEqual([{ protocol: "icmp" }]);
  });

  it("accepts every preset name in the JSON Schema pattern", () => {
    for (const name of Object.keys(PORT_PRESETS)) expect(PORT_PATTERN.test(name)).toBe(true);
    expect(PORT_PATTERN.test("tcp/8080")).toBe(true);
    expect(PORT_PATTERN.test("sctp/80")).toBe(false);
  });

  it("rejects port 0, ports above 65535 and reversed ranges", () => {
    expect(portProblem("tcp/0")).toContain("between 1 and 65535");
    expect(portProblem("udp/65536")).toContain("between 1 and 65535");
    expect(portProblem("tcp/10-9")).toContain('did you mean "tcp/9-10"');
    expect(() => parsePort("tcp/0")).toThrow("port: ports must be between 1 and 65535");
  });

  it("recognises the presets a raw range opens, for policy on admin and database ports", () => {
    expect(presetsOpenedBy("tcp/20-25")).toEqual(["ssh", "smtp"]);
    expect(presetsOpenedBy("tcp/5432")).toEqual(["postgres"]);
    expect(presetsOpenedBy("udp/22")).toEqual([]);
    expect(presetsOpenedBy("rdp").map((p) => PORT_PRESETS[p].category)).toEqual(["admin"]);
  });
});
