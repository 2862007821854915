import { Port } from "../../constructs/port";
import { PORT_PRESETS, PortPresetName } from "../../envspec/port";

/** `node-exporter` → `NODE_EXPORTER`; a preset of two protocols has one static per protocol (`DNS_UDP`). */
function staticNames(name: string, protocols: readonly string[]): string[] {
  const base = name.toUpperCase().replace(/-/g, "_");
  return protocols.length === 1 ? [base] : protocols.map((p) => `${base}_${p.toUpperCase()}`);
}

const ranges = (ports: readonly Port[]) => ports.map((p) => ({ protocol: p.protocol, from: p.fromPort, to: p.toPort }));

describe("Port presets and the environment spec's preset table", () => {
  it.each(Object.keys(PORT_PRESETS) as PortPresetName[])("Port has the spec preset %s with the same ranges", (name) => {
    // GIVEN a preset of the spec's table
    const expected = PORT_PRESETS[name].ranges.map((r) => ({ protocol: r.protocol, from: r.from, to: r.to }));
    // WHEN its constructs counterparts are looked up, by name and as static members
    const statics = staticNames(
      name,
      PORT_PRESETS[name].ranges.map((r) => r.protocol),
    ).map((s) => (Port as unknown as Record<string, Port | undefined>)[s]);
    // THEN both open exactly the spec's ranges
    expect(ranges(Port.preset(name))).toEqual(expected);
    expect(statics.every((p) => p instanceof Port)).toBe(true);
    expect(ranges(statics as Port[])).toEqual(expected);
  });

  it("opens DNS on udp/53 and tcp/53, as the spec's dns preset does", () => {
    expect([Port.DNS_UDP.toString(), Port.DNS_TCP.toString()]).toEqual(["udp/53", "tcp/53"]);
    expect(Port.preset("dns").map(String)).toEqual(["udp/53", "tcp/53"]);
  });

  it("has the MSSQL and MONGODB database presets", () => {
    expect([Port.MSSQL.toString(), Port.MONGODB.toString()]).toEqual(["tcp/1433", "tcp/27017"]);
  });

  it("refuses a name that is not a preset", () => {
    expect(() => Port.preset("dnss" as PortPresetName)).toThrow(/Port.preset\("dnss"\): not a preset — one of ssh, /);
  });
});
