/**
 * The boundaries of DESIGN.md, checked on every `npm test`.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'machines-are-pure',
      comment: 'machines/ import xstate, each other, and only types from src/protocol/.',
      severity: 'error',
      from: { path: '^machines/' },
      to: {
        pathNot: ['^machines/', '^node_modules/xstate/', '^src/protocol/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'machines-import-only-protocol-types',
      comment: 'machines/ may name types from src/protocol/, never its values.',
      severity: 'error',
      from: { path: '^machines/' },
      to: { path: '^src/protocol/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'machines-import-no-other-src',
      severity: 'error',
      from: { path: '^machines/' },
      to: { path: '^src/', pathNot: '^src/protocol/' },
    },
    {
      name: 'client-is-light',
      comment: 'A bot loads Node built-ins and src/protocol/ only: no xstate, sqlite or pino.',
      severity: 'error',
      from: { path: '^src/client/' },
      to: {
        pathNot: ['^src/client/', '^src/protocol/'],
        dependencyTypesNot: ['core', 'type-only'],
      },
    },
    {
      name: 'client-skips-zod',
      comment:
        'zod costs a bot ~50 ms and 4 MB at start: the client takes values from the zod-free ' +
        'files of src/protocol/ (limits, errors) and only types from the schemas.',
      severity: 'error',
      from: { path: '^src/client/' },
      to: {
        path: '^src/protocol/(messages|decode|index)[.]ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'protocol-is-light',
      comment: 'src/protocol/ is loaded by bots too.',
      severity: 'error',
      from: { path: '^src/protocol/' },
      to: {
        pathNot: ['^src/protocol/', '^node_modules/zod/'],
        dependencyTypesNot: ['core', 'type-only'],
      },
    },
    {
      name: 'ingest-never-writes',
      comment: 'Readers hand messages to the mailbox; only the persistence actor writes.',
      severity: 'error',
      from: { path: '^src/ingest/' },
      to: { path: '^src/store/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
