/** "Did you mean": the known names closest to a mistyped one. */

/** Up to `limit` names within a typo's distance of `input`, closest first (prefix matches count as close). */
export function nearestNames(input: string, candidates: readonly string[], limit = 3): string[] {
  if (input.length > 200) return [];
  const wanted = input.toLowerCase();
  return candidates
    .map((name) => {
      const lower = name.toLowerCase();
      const shared = lower.startsWith(wanted) || wanted.startsWith(lower.split(".")[0] ?? lower) ? 1 : 0;
      return { name, distance: editDistance(wanted, lower) - shared };
    })
    .filter(({ name, distance }) => distance <= Math.max(2, Math.floor(name.length / 3)))
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map(({ name }) => name);
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions ("piad"). */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (before[j - 2] ?? 0) + 1);
      current.push(value);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
