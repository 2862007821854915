import { isUnknown } from "../../policy/values";

describe("isUnknown: what Terraform computes at apply, not escaped literal text", () => {
  it("treats an interpolation or a directive as unknown until apply", () => {
    expect(isUnknown("${proxmox_virtual_environment_vm.web.ipv4_addresses}")).toBe(true);
    expect(isUnknown("x %{ if true }y%{ endif }")).toBe(true);
  });

  it("treats text that literalText escaped as known: Terraform hands it over unchanged", () => {
    // GIVEN a rule comment a spec wrote as `c ${var.x}`, escaped on its way into the JSON
    expect(isUnknown("c $${var.x} %%{ if }")).toBe(false);
    // AND a literal dollar before an escaped sequence stays literal too
    expect(isUnknown("$$${x}")).toBe(false);
  });

  it("knows plain values", () => {
    expect(isUnknown("DROP")).toBe(false);
    expect(isUnknown(22)).toBe(false);
  });
});
