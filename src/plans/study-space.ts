// What a study lets a plan vary: the bounds of its continuous variables and the levels of its
// categorical ones (declared with the study; docs/plans.md). A plan is checked against it.

/** The space of a study. */
export interface StudySpace {
  readonly variables: Readonly<Record<string, { readonly min: number; readonly max: number }>>;
  readonly levels: Readonly<Record<string, readonly string[]>>;
}
