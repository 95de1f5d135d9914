// Sizes in bytes for people: "812 B", "4.2 kB", "1.3 GB" (decimal units, as df -H and S3 consoles).

const UNITS = ['kB', 'MB', 'GB', 'TB', 'PB'] as const;

/** `bytes` with a decimal unit and two or three significant digits. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  let value = bytes;
  let unit: string = 'B';
  for (const next of UNITS) {
    if (value < 1000) break;
    value /= 1000;
    unit = next;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}
