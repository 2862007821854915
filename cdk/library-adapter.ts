import { IResolvable, IResolveContext, Lazy, TerraformElement, TerraformStack } from "cdktf";

/**
 * The one place that depends on how the CDK library works inside, beyond its public API. The
 * library is whatever the user installed under the name `cdktf`: cdktf 0.21, or CDK Terrain
 * (cdktn 0.24) installed under that name (`"cdktf": "npm:cdktn@0.24.0"`). Both behaviours are
 * tested on both libraries (`__tests__/cdk/library-adapter.test.ts`, run under cdktn by the
 * cdktn leg, `__tests__/package/cdktn-leg.test.ts`).
 *
 * What it relies on, and what happens when a library stops doing it:
 * - {@link prepareKeepingResolved}: that a stack's own `prepareStack()` resolves each element's
 *   `toTerraform()` (cdktf 0.21 and cdktn 0.24 both say so in their sources). If a library stops,
 *   nothing is kept and the policy pack resolves afresh: slower, never wrong.
 * - {@link withoutCreationTraces}: cdktn's public switch `CDKTN_DISABLE_CREATION_STACK`; cdktf 0.21
 *   has none, so there (and only there) `Error.captureStackTrace` is replaced while `work` runs.
 */

/** Environment variable by which CDK Terrain (cdktn) skips the creation trace of every token. */
const CDKTN_CREATION_STACK_ENV = "CDKTN_DISABLE_CREATION_STACK";

/**
 * Runs the library's own preparation of `stack` (`TerraformStack.prototype.prepareStack`: make
 * sure a backend exists, resolve every element once in "preparing" mode, and whatever else the
 * installed library does there) and returns, for each of `elements` the preparation resolved, the
 * configuration it resolved. Nothing is resolved twice: each element's `toTerraform()` is wrapped,
 * for the duration of the call, in a token that resolves the element's configuration through the
 * library's own resolution context and keeps the result. Errors propagate as the library's own
 * preparation raises them.
 */
export function prepareKeepingResolved(stack: TerraformStack, elements: readonly TerraformElement[]): Map<TerraformElement, unknown> {
  const kept = new Map<TerraformElement, unknown>();
  let failure: { error: unknown } | undefined;
  const wrapped: [TerraformElement, PropertyDescriptor | undefined][] = [];
  for (const element of elements) {
    const own = Object.getOwnPropertyDescriptor(element, "toTerraform");
    const render = element.toTerraform.bind(element);
    const keeping: IResolvable = {
      creationStack: [],
      resolve(context: IResolveContext): undefined {
        // Resolve here rather than return the rendering: returning it would make the resolver
        // wrap any error a second time ("Resolution error: Resolution error: …"). The preparation
        // discards what it resolves, so nothing is returned; the first error is rethrown below.
        if (failure) return undefined;
        try {
          kept.set(element, context.resolve(render()));
        } catch (error) {
          failure = { error };
        }
        return undefined;
      },
    };
    Object.defineProperty(element, "toTerraform", { configurable: true, writable: true, value: () => keeping });
    wrapped.push([element, own]);
  }
  try {
    TerraformStack.prototype.prepareStack.call(stack);
  } finally {
    for (const [element, own] of wrapped) {
      if (own) Object.defineProperty(element, "toTerraform", own);
      else delete (element as { toTerraform?: unknown }).toTerraform;
    }
  }
  if (failure) throw failure.error;
  return kept;
}

/**
 * Runs `work` without the creation trace the library records for every token and lazy value
 * (a full stack trace each, only printed if that token later fails to resolve), and without the
 * traces `constructs` attaches to metadata entries where the library offers no switch for them.
 * Restores everything when `work` returns or throws; `work` must be synchronous.
 */
export function withoutCreationTraces<T>(work: () => T): T {
  if (honoursCreationStackSwitch()) return withEnv(CDKTN_CREATION_STACK_ENV, "1", work);
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as-is below; only ever called as capture.call(Error, …)
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = skipTokenTraces(capture);
  try {
    return work();
  } finally {
    Error.captureStackTrace = capture;
  }
}

/**
 * Whether the installed library skips creation traces through its own public switch (cdktn), so
 * that {@link withoutCreationTraces} leaves `Error.captureStackTrace` alone.
 */
export function hasCreationTraceSwitch(): boolean {
  return honoursCreationStackSwitch();
}

let honoured: boolean | undefined;

/** Asks the library once: does a lazy value created with the switch set carry no trace? */
function honoursCreationStackSwitch(): boolean {
  honoured ??= withEnv(CDKTN_CREATION_STACK_ENV, "1", () => Lazy.anyValue({ produce: () => undefined }).creationStack.length === 0);
  return honoured;
}

function withEnv<T>(name: string, value: string, work: () => T): T {
  const before = process.env[name];
  process.env[name] = value;
  try {
    return work();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

/**
 * `Error.captureStackTrace` that does nothing for cdktf's (and constructs') creation traces: those
 * capture into a plain object after lifting `Error.stackTraceLimit` to `Number.MAX_SAFE_INTEGER`.
 * Every other call — on an Error, or with a normal limit — goes to the original.
 */
function skipTokenTraces(capture: typeof Error.captureStackTrace): typeof Error.captureStackTrace {
  return function captureStackTrace(target: object, constructorOpt?: Parameters<typeof capture>[1]): void {
    if (Error.stackTraceLimit === Number.MAX_SAFE_INTEGER && !(target instanceof Error)) return;
    // Without constructorOpt, hide this wrapper as the original hides itself.
    capture.call(Error, target, constructorOpt ?? captureStackTrace);
  };
}
