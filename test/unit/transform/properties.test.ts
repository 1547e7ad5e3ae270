import { describe, expect, it } from 'vitest';
import type { ProjectFile } from '../../../lambdas/core/transform/project-files.js';
import { parseProjectFile, parsePropertiesFile } from '../../../lambdas/core/transform/properties.js';

const file = (text: string, path = 'staging/_props.yml'): ProjectFile => ({
  path,
  display: `models/${path}`,
  text,
});

describe('property files', () => {
  it('read column tests with their arguments and severity', () => {
    const parsed = parsePropertiesFile(
      file(`version: 2
models:
  - name: orders
    columns:
      - name: status
        tests:
          - not_null
          - accepted_values:
              values: [open, paid]
              config: { severity: warn }
`),
    );
    const tests = parsed.models[0]?.columns[0]?.tests ?? [];
    expect(tests.map((t) => [t.kind, t.severity, t.args, t.at.line])).toEqual([
      ['not_null', 'error', {}, 7],
      ['accepted_values', 'warn', { values: ['open', 'paid'] }, 8],
    ]);
  });

  it('read source freshness in minutes, table settings over the source', () => {
    const parsed = parsePropertiesFile(
      file(`sources:
  - name: raw
    loaded_at_field: loaded_at
    freshness: { warn_after: { count: 1, period: hour }, error_after: { count: 1, period: day } }
    tables:
      - name: stripe
      - name: segment
        freshness: { warn_after: { count: 30, period: minute } }
      - name: salesforce
        freshness: null
`),
    );
    const source = parsed.sources[0];
    expect([source?.freshness, ...(source?.tables ?? []).map((t) => t.freshness)]).toEqual([
      { warnAfterMinutes: 60, errorAfterMinutes: 1440 },
      undefined,
      { warnAfterMinutes: 30, errorAfterMinutes: undefined },
      null,
    ]);
  });

  it('name the line of an unknown test', () => {
    expect(() =>
      parsePropertiesFile(
        file('models:\n  - name: x\n    columns:\n      - name: a\n        tests: [not_nul]\n'),
      ),
    ).toThrow(/^models\/staging\/_props\.yml:5: unknown test "not_nul"/);
  });

  it('name the line of a YAML syntax error', () => {
    expect(() => parsePropertiesFile(file('models:\n  - name: x\n   bad: [\n'))).toThrow(
      /^models\/staging\/_props\.yml:3:\d+: /,
    );
  });

  it('refuse a relationships test without its field', () => {
    expect(() =>
      parsePropertiesFile(
        file(
          "models:\n  - name: x\n    columns:\n      - name: a\n        tests:\n          - relationships: { to: ref('y') }\n",
        ),
      ),
    ).toThrow(/relationships needs field/);
  });

  it('refuse an unknown model setting', () => {
    expect(() =>
      parsePropertiesFile(file('models:\n  - name: x\n    config: { materialised: table }\n')),
    ).toThrow(/^models\/staging\/_props\.yml:3: unknown setting "materialised"/);
  });

  it('read project vars and folder defaults', () => {
    const settings = parseProjectFile(
      file(
        'vars:\n  k: [1, 2]\nmodels:\n  staging:\n    materialized: table\n    tags: daily\n',
        'project.yml',
      ),
    );
    expect(settings).toEqual({
      vars: { k: [1, 2] },
      folders: { staging: { materialized: 'table', tags: ['daily'] } },
    });
  });
});
