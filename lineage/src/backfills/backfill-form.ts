// The form that starts a backfill: selection, the partition range (from, to), "only missing",
// "only failed", force, chunk size and runs in flight. It posts POST /api/backfills and opens the
// new backfill's page; the server's refusal (a 400 names the field, or the asset and partition,
// at fault) is shown beside the form and the field it names is marked.
import { ApiRequestError, postJson } from '../api/client.js';
import type { BackfillDetail, BackfillRequest } from '../api/types.js';
import { h, replaceChildren } from '../dom.js';
import { navigate, routes } from '../router.js';
import type { BackfillPermission } from './backfill-permission.js';

/** The server's defaults (src/backfills/backfill-request.ts), shown as placeholders. */
const DEFAULT_CHUNK_SIZE = 10;
const DEFAULT_MAX_RUNS = 4;

type FieldName = 'selection' | 'from' | 'to' | 'chunkSize' | 'maxRuns';

function labelled(text: string, control: HTMLElement, hint?: string): HTMLElement {
  return h(
    'label',
    { class: 'backfill-field' },
    h('span', { class: 'backfill-field-label' }, text),
    control,
    hint === undefined ? null : h('span', { class: 'muted backfill-field-hint' }, hint),
  );
}

function checkbox(name: string, text: string, hint: string): [HTMLInputElement, HTMLElement] {
  const input = h('input', { type: 'checkbox', name });
  return [input, h('label', { class: 'backfill-check', title: hint }, input, ` ${text}`)];
}

/** The request the fields describe (empty fields left out: the server's defaults apply). */
function requestOf(
  fields: Record<FieldName, HTMLInputElement>,
  flags: {
    missing: HTMLInputElement;
    failed: HTMLInputElement;
    force: HTMLInputElement;
  },
): BackfillRequest {
  const text = (field: FieldName): string | undefined => {
    const value = fields[field].value.trim();
    return value === '' ? undefined : value;
  };
  const number = (field: FieldName): number | undefined => {
    const value = text(field);
    return value === undefined ? undefined : Number(value);
  };
  const selection = text('selection');
  const from = text('from');
  const to = text('to');
  const chunkSize = number('chunkSize');
  const maxRuns = number('maxRuns');
  return {
    ...(selection === undefined ? {} : { selection }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(flags.missing.checked ? { missing: true } : {}),
    ...(flags.failed.checked ? { failed: true } : {}),
    ...(flags.force.checked ? { force: true } : {}),
    ...(chunkSize === undefined ? {} : { chunkSize }),
    ...(maxRuns === undefined ? {} : { maxRuns }),
  };
}

/** The form, filled with `selection`; null when the caller may not start backfills. */
export function backfillForm(selection: string, permission: BackfillPermission): HTMLElement {
  if (permission.kind === 'forbidden')
    return h('p', { class: 'muted backfill-form-refused' }, permission.reason);
  const fields: Record<FieldName, HTMLInputElement> = {
    selection: h('input', {
      name: 'selection',
      class: 'selection-input',
      placeholder: 'mesh, fea_run+  (empty: every asset)',
      value: selection,
      spellcheck: 'false',
      autocomplete: 'off',
    }),
    from: h('input', { name: 'from', placeholder: 'first partition', autocomplete: 'off' }),
    to: h('input', { name: 'to', placeholder: 'last partition', autocomplete: 'off' }),
    chunkSize: h('input', {
      name: 'chunkSize',
      type: 'number',
      min: 1,
      step: 1,
      placeholder: String(DEFAULT_CHUNK_SIZE),
    }),
    maxRuns: h('input', {
      name: 'maxRuns',
      type: 'number',
      min: 1,
      step: 1,
      placeholder: String(DEFAULT_MAX_RUNS),
    }),
  };
  const [missing, missingBox] = checkbox('missing', 'only missing', 'partitions missing now');
  const [failed, failedBox] = checkbox(
    'failed',
    'only failed',
    'partitions whose latest step failed (with only missing: either)',
  );
  const [force, forceBox] = checkbox('force', 'force', 'recompute fresh partitions too');
  const problem = h('div', { class: 'backfill-form-problem', 'aria-live': 'polite' });
  const submit = h(
    'button',
    {
      type: 'submit',
      class: 'primary',
      disabled: permission.kind === 'read-only',
      title: permission.kind === 'read-only' ? permission.reason : undefined,
    },
    'Start backfill',
  );
  const form = h(
    'form',
    { class: 'card backfill-form', novalidate: true },
    h('h2', {}, 'Start a backfill'),
    h(
      'div',
      { class: 'backfill-form-grid' },
      labelled(
        'selection',
        fields.selection,
        'the CLI syntax: mesh, +metrics, group:sim, key[p1,p2]',
      ),
      labelled('from', fields.from),
      labelled('to', fields.to),
      labelled('chunk size', fields.chunkSize, 'targets per run'),
      labelled('max runs', fields.maxRuns, 'runs in flight at once'),
    ),
    h('div', { class: 'row backfill-flags' }, missingBox, failedBox, forceBox),
    h('div', { class: 'row' }, submit),
    permission.kind === 'read-only' ? h('p', { class: 'muted' }, permission.reason) : null,
    problem,
  );
  const clearMarks = (): void => {
    for (const field of Object.values(fields)) field.removeAttribute('aria-invalid');
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    clearMarks();
    replaceChildren(problem);
    postJson<BackfillDetail>('/api/backfills', requestOf(fields, { missing, failed, force }))
      .then((created) => navigate(routes.backfill(created.id)))
      .catch((error: unknown) => {
        submit.disabled = false;
        const failure = error instanceof ApiRequestError ? error : undefined;
        const field = failure?.field as FieldName | undefined;
        if (field !== undefined && field in fields) {
          fields[field].setAttribute('aria-invalid', 'true');
          fields[field].focus();
        }
        replaceChildren(
          problem,
          h(
            'div',
            { class: 'error-box error-refused', role: 'alert' },
            h(
              'strong',
              {},
              `Could not start the backfill${failure === undefined ? '' : ` (${failure.status})`}`,
            ),
            h(
              'span',
              { class: 'backfill-form-message' },
              field === undefined ? '' : `${field}: `,
              error instanceof Error ? error.message : String(error),
            ),
            failure?.hint === undefined
              ? null
              : h('span', { class: 'hint' }, `hint: ${failure.hint}`),
          ),
        );
      });
  });
  return form;
}
