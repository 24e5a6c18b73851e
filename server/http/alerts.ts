import type { AlertKind } from './metrics';

export interface AlertThreshold {
  /** Events within the window that raise the alert. */
  count: number;
  windowSeconds: number;
}

/** The structured log event an alert becomes (`event: 'alert'` is what log rules match). */
export interface AlertEvent {
  event: 'alert';
  kind: AlertKind;
  count: number;
  windowSeconds: number;
}

export interface BurstAlert {
  /** Counts one event (a failed login, a refused capability, …). */
  record: () => void;
}

/**
 * Counts events over a sliding window of whole seconds. When the count within the window
 * reaches the threshold it emits an alert, then at most one more per window while the burst
 * goes on. Memory is one counter per second of the window, however fast events arrive.
 */
export function createBurstAlert(
  kind: AlertKind,
  threshold: AlertThreshold,
  emit: (alert: AlertEvent) => void,
  now: () => number = Date.now,
): BurstAlert {
  const perSecond = new Map<number, number>();
  let lastEmittedAt: number | undefined;
  return {
    record() {
      const at = now();
      const second = Math.floor(at / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
      let count = 0;
      for (const [start, events] of perSecond) {
        if (start <= second - threshold.windowSeconds) perSecond.delete(start);
        else count += events;
      }
      const quiet =
        lastEmittedAt === undefined || at - lastEmittedAt >= threshold.windowSeconds * 1000;
      if (count >= threshold.count && quiet) {
        lastEmittedAt = at;
        emit({ event: 'alert', kind, count, windowSeconds: threshold.windowSeconds });
      }
    },
  };
}
