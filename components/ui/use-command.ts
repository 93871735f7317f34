/**
 * One command a component runs (start a sync, save the settings, download a CSV…) with the
 * semantics of `runCommand`: busy while it runs, its error kept until the next try, its value
 * returned, or undefined when it failed. The component gets its own small store, so a command that
 * settles after the component has gone updates nothing on screen.
 */
import { useCallback, useState } from 'react';
import { useStore } from 'zustand';
import { clearCommandError, createAppStore, runCommand } from '../../lib/ui/app-store';

const KEY = 'command';

export interface Command {
  busy: boolean;
  /** What went wrong the last time, in words for the user; null after a success or a new try. */
  error: string | null;
  run<T>(command: () => Promise<T>): Promise<T | undefined>;
  clearError(): void;
}

export function useCommand(): Command {
  const [store] = useState(createAppStore);
  const busy = useStore(store, (current) => current.pending[KEY] === true);
  const error = useStore(store, (current) => current.errors[KEY] ?? null);
  const run = useCallback(<T>(command: () => Promise<T>) => runCommand(store, KEY, command), [store]);
  const clearError = useCallback(() => clearCommandError(store, KEY), [store]);
  return { busy, error, run, clearError };
}
