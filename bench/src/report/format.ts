/** Number formatting for the tables (NaN shows as an en dash). */
export const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(x * 100).toFixed(1)} %`);
export const ms = (x: number) =>
  Number.isNaN(x)
    ? '–'
    : x >= 10_000
      ? `${(x / 1000).toFixed(1)} s`
      : x < 10
        ? `${x.toFixed(1)} ms`
        : `${Math.round(x)} ms`;
export const fixed = (x: number, digits = 2) => (Number.isNaN(x) ? '–' : x.toFixed(digits));
export const int = (x: number) => (Number.isNaN(x) ? '–' : Math.round(x).toLocaleString('en-US'));
/** The failure labels as one cell: `label ×n; …` (the three most frequent). */
export const failureCell = (failures: readonly (readonly [string, number])[]) =>
  failures.length === 0
    ? '–'
    : failures
        .slice(0, 3)
        .map(([label, n]) => `${label} ×${n}`)
        .join('; ') + (failures.length > 3 ? `; +${failures.length - 3} more kinds` : '');
