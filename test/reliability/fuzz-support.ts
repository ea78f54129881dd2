/** Runs per property: few in `npm test`, FUZZ_RUNS=… for the full `npm run test:fuzz`. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 25);

/** One call's longest allowed time: past it the input made the code hang, which the property reports. */
export const HANG_MS = Number(process.env.FUZZ_HANG_MS ?? 20_000);

/** The value or the error of `p`; a hang past HANG_MS rejects (a failure of the property, not a refusal). */
export async function settle<T>(p: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: no answer within ${HANG_MS} ms`)), HANG_MS);
  });
  try {
    return { value: await Promise.race([p, hang]) };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('hang:')) throw error;
    return { error };
  } finally {
    clearTimeout(timer);
  }
}
