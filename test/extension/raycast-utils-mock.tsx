/**
 * A minimal `@raycast/utils` for jest: `useCachedPromise` runs the function once per set of
 * arguments (and again on `revalidate`), keeping the previous data while loading, as the
 * real hook does; `getProgressIcon` returns a recordable description of the icon.
 */
import { useCallback, useEffect, useState } from "react";

/** Promises started by the hook, so a test can wait for them inside `act`. */
export const mockPending: Promise<unknown>[] = [];

export function useCachedPromise<T>(fn: (...args: unknown[]) => Promise<T>, args: unknown[] = []) {
  const [state, setState] = useState<{ data: T | undefined; isLoading: boolean }>({
    data: undefined,
    isLoading: true,
  });
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(args);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, isLoading: true }));
    const promise = fn(...args).then((data) => {
      if (live) setState({ data, isLoading: false });
    });
    mockPending.push(promise);
    return () => {
      live = false;
    };
    // Re-run only when the arguments (by value) or the generation change, like the real hook.
  }, [key, generation]);
  const revalidate = useCallback(() => setGeneration((g) => g + 1), []);
  return { data: state.data, isLoading: state.isLoading, revalidate, error: undefined, mutate: jest.fn() };
}

export function getProgressIcon(progress: number, color?: string) {
  return { kind: "progress", progress, color };
}
