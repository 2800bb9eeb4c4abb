import type { TimingStats } from '../stats.js';

export const bytes = (n: number): string => n.toLocaleString('en-US');

/** Milliseconds with three significant digits, down to microseconds. */
export function ms(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  if (value >= 1) return value.toFixed(2);
  if (value >= 0.1) return value.toFixed(3);
  return value.toFixed(4);
}

export function ratio(value: number): string {
  if (value >= 100) return `${value.toFixed(0)}×`;
  if (value >= 10) return `${value.toFixed(1)}×`;
  return `${value.toFixed(2)}×`;
}

/** Median with its p10-p90 spread. */
export const timing = (s: TimingStats | null | undefined): string => (s ? `${ms(s.medianMs)} (${ms(s.p10Ms)}–${ms(s.p90Ms)})` : '–');

export const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;
