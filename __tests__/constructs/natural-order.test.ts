import { compareNatural } from "../../constructs/natural-order";

describe("natural order of rule keys", () => {
  it("orders numbers in names and addresses by value, the rest as text", () => {
    // GIVEN names and addresses a text sort would interleave WHEN they are sorted naturally
    const sorted = ["web-10", "web-2", "web-1", "10.0.0.10", "10.0.0.9", "db-1", "web-02"].sort(compareNatural);
    // THEN numbers count by value; equal values with leading zeros stay apart, deterministically
    expect(sorted).toEqual(["10.0.0.9", "10.0.0.10", "db-1", "web-1", "web-02", "web-2", "web-10"]);
  });

  it("is a total order: antisymmetric, and equal only for equal texts", () => {
    const texts = ["a", "a1", "a-1", "a01", "a1b", "a10", "1", "01", "", "b"];
    for (const x of texts) {
      for (const y of texts) {
        expect({ x, y, c: Math.sign(compareNatural(x, y)) }).toEqual({ x, y, c: x === y ? 0 : -Math.sign(compareNatural(y, x)) });
        if (x !== y) expect(compareNatural(x, y)).not.toBe(0);
      }
    }
  });
});
