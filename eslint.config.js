// Lint rules. Beyond the recommended sets, one rule carries the architecture: the pipeline core receives
// ports and never imports an SDK, a framework, an adapter or a runtime.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', '.sluice/**', 'coverage/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', Buffer: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['lambdas/core/**/*.ts', 'lambdas/sources/**/*.ts', 'lambdas/destinations/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@aws-sdk/*',
                '@middy/*',
                '@duckdb/*',
                'aws-cdk-lib',
                'aws-cdk-lib/*',
                'aws-lambda',
                '@aws-lambda-powertools/*',
                'better-sqlite3',
              ],
              message: 'The core receives ports; it never imports an SDK or framework.',
            },
            {
              group: ['**/adapters/**', '**/handlers/**', '**/local/**', '**/lib/**'],
              message: 'The core never imports adapters, handlers, runtimes or infrastructure.',
            },
          ],
        },
      ],
    },
  },
);
