// The numeric metadata of an asset's history as chart series: every materialization over time,
// or the latest value of each partition.

/** One point of a series. */
export interface MetricPoint {
  readonly time: number;
  readonly value: number;
  readonly partition: string | null;
  readonly materializationId: number;
}

/** The numeric metadata fields of a history, as chart series (fields with no numbers left out). */
export function numericSeries(
  items: readonly {
    metadata: Record<string, unknown>;
    finishedAt: string;
    partition: string | null;
    materializationId: number;
  }[],
): Map<string, MetricPoint[]> {
  const series = new Map<string, MetricPoint[]>();
  for (const item of items) {
    for (const [field, value] of Object.entries(item.metadata)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      let points = series.get(field);
      if (points === undefined) series.set(field, (points = []));
      points.push({
        time: Date.parse(item.finishedAt),
        value,
        partition: item.partition,
        materializationId: item.materializationId,
      });
    }
  }
  return series;
}

/** The newest point of each partition (by time, then materialization id). */
export function latestPerPartition(points: readonly MetricPoint[]): MetricPoint[] {
  const latest = new Map<string | null, MetricPoint>();
  for (const point of points) {
    const seen = latest.get(point.partition);
    if (
      seen === undefined ||
      point.time > seen.time ||
      (point.time === seen.time && point.materializationId > seen.materializationId)
    )
      latest.set(point.partition, point);
  }
  return [...latest.values()];
}
