import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('../', import.meta.url));
const srcDir = `${packageDir}src/`;
const probeFile = `${srcDir}__switch-probe.ts`;

// A switch over the union ending in assertNever, as apps write them.
const switchProbe = `
import { assertNever, type CustomerType } from './customer-types.js';
export function label(type: CustomerType): string {
  switch (type) {
    case 'Partner': return 'P';
    case 'Customer': return 'C';
    case 'Vendor': return 'V';
    case 'SRDP': return 'S';
    default: return assertNever(type);
  }
}
`;

/** Type-checks the contract's real sources, with `edit` applied to what the compiler reads. */
function typeErrors(edit: (file: string, text: string) => string = (_, text) => text) {
  const configPath = `${packageDir}tsconfig.build.json`;
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    { noEmit: true },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (config === undefined) throw new Error(`cannot read ${configPath}`);
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  host.fileExists = (
    (exists) => (file: string) =>
      file === probeFile || exists(file)
  )(host.fileExists.bind(host));
  host.readFile = (file) => edit(file, file === probeFile ? switchProbe : (readFile(file) ?? ''));
  const program = ts.createProgram([...config.fileNames, probeFile], config.options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ({
    file: diagnostic.file?.fileName.replace(srcDir, '') ?? '',
    message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
  }));
}

const addDriverType = (file: string, text: string) =>
  file.endsWith('/customer-types.ts') ? text.replace("'SRDP'] as const", "'SRDP', 'Driver'] as const") : text;

describe('the customer type → room → event table', () => {
  it('type-checks as it stands', () => {
    expect(typeErrors()).toEqual([]);
  }, 30_000);

  it('does not compile when a customer type has no route, nor does a switch that misses it', () => {
    const errors = typeErrors(addDriverType);
    expect(errors).toContainEqual(
      expect.objectContaining({ file: 'routes.ts', message: expect.stringContaining("'Driver'") }),
    );
    expect(errors).toContainEqual(expect.objectContaining({ file: '__switch-probe.ts' }));
  }, 30_000);
});
