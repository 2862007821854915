import {
  App,
  LocalBackend,
  Lazy,
  TerraformElement,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Testing,
  Tokenization,
  DefaultTokenResolver,
  StringConcat,
} from "cdktf";
import { hasCreationTraceSwitch, prepareKeepingResolved, withoutCreationTraces } from "../../cdk/library-adapter";
import { ProxmoxProvider } from "../../.gen/providers/proxmox/provider";
import { VirtualEnvironmentPool } from "../../.gen/providers/proxmox/virtual-environment-pool";

// Runs under cdktf 0.21 in `npm test`, and under cdktn 0.24 (installed as `cdktf`) in the cdktn leg.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const library = (require("cdktf/package.json") as { name: string; version: string }).name;

/** A stack with a resource that references another, a lazy output and a variable. */
function stackWithElements(): { stack: TerraformStack; elements: TerraformElement[] } {
  const app = new App({ outdir: Testing.app().outdir });
  const stack = new TerraformStack(app, "adapter");
  const provider = new ProxmoxProvider(stack, "pve", {});
  const a = new VirtualEnvironmentPool(stack, "a", { poolId: "a", comment: Lazy.stringValue({ produce: () => "lazy comment" }) });
  const b = new VirtualEnvironmentPool(stack, "b", { poolId: "b", comment: a.poolId });
  const v = new TerraformVariable(stack, "v", { type: "string", default: "x" });
  const o = new TerraformOutput(stack, "o", { value: Lazy.anyValue({ produce: () => [b.poolId, v.stringValue] }) });
  return { stack, elements: [provider, a, b, v, o] };
}

const resolved = (stack: TerraformStack, e: TerraformElement) =>
  Tokenization.resolve(e.toTerraform(), { scope: stack, preparing: true, resolver: new DefaultTokenResolver(new StringConcat()) });

describe(`the CDK library adapter (${library})`, () => {
  it("keeps, for every element, what the library's own preparation resolved — rendering each element once", () => {
    // GIVEN a stack with references, lazy values, a variable and an output
    const { stack, elements } = stackWithElements();
    const renders = new Map<TerraformElement, number>();
    for (const e of elements) {
      const render = e.toTerraform.bind(e);
      // An own toTerraform, as a user's instrumentation could set: the adapter wraps it and puts it back
      Object.defineProperty(e, "toTerraform", {
        configurable: true,
        writable: true,
        value: () => {
          renders.set(e, (renders.get(e) ?? 0) + 1);
          return render.call(e);
        },
      });
    }
    // WHEN the stack is prepared through the adapter
    const kept = prepareKeepingResolved(stack, elements);
    // THEN every element was rendered exactly once, by the library's preparation
    expect(elements.map((e) => renders.get(e))).toEqual(elements.map(() => 1));
    // AND each element's own toTerraform is back
    for (const e of elements) expect(Object.prototype.hasOwnProperty.call(e, "toTerraform")).toBe(true);
    for (const e of elements) delete (e as { toTerraform?: unknown }).toTerraform;
    // AND what was kept is what a resolution of its own gives
    for (const e of elements) expect(kept.get(e)).toEqual(resolved(stack, e));
    expect(JSON.stringify(kept.get(elements[1]))).toContain("lazy comment");
  });

  it("runs the library's preparation itself: the stack gets its backend, and toTerraform is the class's again", () => {
    const { stack, elements } = stackWithElements();
    prepareKeepingResolved(stack, elements);
    expect(stack.node.findAll().some((c) => c instanceof LocalBackend)).toBe(true);
    for (const e of elements) expect(Object.prototype.hasOwnProperty.call(e, "toTerraform")).toBe(false);
  });

  it("fails as the library's own preparation fails, with the same message, and restores the elements", () => {
    // GIVEN two equal stacks whose output cannot be resolved
    const broken = () => {
      const { stack, elements } = stackWithElements();
      const bad = new TerraformOutput(stack, "bad", {
        value: Lazy.anyValue({
          produce: () => {
            throw new Error("no value for this output");
          },
        }),
      });
      return { stack, elements: [...elements, bad] };
    };
    const own = broken();
    const adapted = broken();
    // WHEN one is prepared by the library and the other through the adapter
    let ownMessage: string | undefined;
    try {
      own.stack.prepareStack();
    } catch (e) {
      ownMessage = (e as Error).message.split("\n")[0];
    }
    // THEN both fail with the same first line
    expect(ownMessage).toMatch(/no value for this output/);
    expect(() => prepareKeepingResolved(adapted.stack, adapted.elements)).toThrow(ownMessage);
    for (const e of adapted.elements) expect(Object.prototype.hasOwnProperty.call(e, "toTerraform")).toBe(false);
  });

  it(`turns creation traces off ${library === "cdktn" ? "through cdktn's own switch, leaving Error.captureStackTrace alone" : "by skipping the captures (cdktf 0.21 has no switch)"}`, () => {
    // GIVEN the installed library
    // eslint-disable-next-line @typescript-eslint/unbound-method -- compared by identity, never called
    const capture = Error.captureStackTrace;
    // WHEN a lazy value is created inside and outside
    const inside = withoutCreationTraces(() => ({ trace: Lazy.anyValue({ produce: () => 1 }).creationStack, swapped: Error.captureStackTrace !== capture }));
    // THEN only the one inside has no trace
    expect(inside.trace).toEqual([]);
    expect(Lazy.anyValue({ produce: () => 1 }).creationStack.length).toBeGreaterThan(0);
    // AND cdktn's public switch is used where it exists (cdktn), the captureStackTrace swap only where not
    expect(hasCreationTraceSwitch()).toBe(library === "cdktn");
    expect(inside.swapped).toBe(library !== "cdktn");
    // eslint-disable-next-line @typescript-eslint/unbound-method -- compared by identity, never called
    expect(Error.captureStackTrace).toBe(capture);
    expect(process.env.CDKTN_DISABLE_CREATION_STACK).toBeUndefined();
  });
});
