import { createContext } from 'svelte';
import { auth } from './session.svelte';
import { loadTargets, type Target } from './targets';

/**
 * Which company or bureau client a page shows (dashboard, reports, agreements): the targets
 * the unlocked user may choose, loaded again whenever the memberships change, and the chosen
 * one (the first target when nothing, or nothing that still exists, was chosen).
 */
export interface TargetChoice {
  /** Null while loading. */
  readonly targets: Target[] | null;
  readonly target: Target | null;
  choose: (key: string) => void;
}

/** Call while a component initialises; `initialKey` is e.g. the `?t=<linkId>` of the URL. */
export function targetChoice(initialKey: string | null): TargetChoice {
  let targets = $state.raw<Target[] | null>(null);
  let chosenKey = $state<string | null>(initialKey);
  const target = $derived(
    targets ? (targets.find((t) => t.key === chosenKey) ?? targets[0] ?? null) : null,
  );

  $effect(() => {
    if (auth.status !== 'unlocked') return;
    void auth.memberships;
    void loadTargets().then((found) => (targets = found));
  });

  return {
    get targets() {
      return targets;
    },
    get target() {
      return target;
    },
    choose: (key) => {
      chosenKey = key;
    },
  };
}

/** What the controls of a target page read from the page (see TargetPage.svelte). */
export interface TargetPageContext {
  readonly choice: TargetChoice;
  /** The page's test id prefix, e.g. `benchmark` for `benchmark-target`. */
  readonly testid: string;
}

export const [targetPageContext, provideTargetPageContext] = createContext<TargetPageContext>();
