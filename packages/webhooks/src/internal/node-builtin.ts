let nodeCryptoModule: Record<string, unknown> | null | undefined;

/**
 * `node:crypto` when this runtime has it (Node, Bun, Deno), read once through
 * `process.getBuiltinModule` so that the SDK's core imports nothing from Node; null elsewhere
 * (edge runtimes, browsers). Callers check the functions they need on it.
 */
export function nodeCrypto(): Record<string, unknown> | null {
  if (nodeCryptoModule !== undefined) return nodeCryptoModule;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  let mod: unknown;
  try {
    mod = proc?.getBuiltinModule?.('node:crypto');
  } catch {
    mod = undefined;
  }
  nodeCryptoModule = typeof mod === 'object' && mod !== null ? (mod as Record<string, unknown>) : null;
  return nodeCryptoModule;
}
