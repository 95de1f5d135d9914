// One tool of an example tool server: its input and output shapes (zod) and the work it does
// with the artifact store the server was given, reporting its progress to a caller that listens.
import type { ArtifactStore } from 'strata';
import type { z } from 'zod';

/**
 * Reports a long call's progress to its caller (an MCP progress notification, sent only when the
 * caller asked for them); false when the caller does not listen.
 */
export type ReportProgress = (message: string) => boolean;

/** One tool: its input and output shapes and the work it does. */
export interface ToolSpec<In extends z.ZodRawShape, Out extends z.ZodRawShape> {
  readonly name: string;
  readonly description: string;
  readonly input: In;
  readonly output: Out;
  readonly run: (
    args: z.infer<z.ZodObject<In>>,
    artifacts: ArtifactStore,
    progress: ReportProgress,
  ) => Promise<z.infer<z.ZodObject<Out>>>;
}

/** Declares a tool, keeping its argument and result types (an identity function for inference). */
export function tool<In extends z.ZodRawShape, Out extends z.ZodRawShape>(
  spec: ToolSpec<In, Out>,
): ToolSpec<z.ZodRawShape, z.ZodRawShape> {
  return spec as unknown as ToolSpec<z.ZodRawShape, z.ZodRawShape>;
}
