import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from './helpers';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (['node_modules', 'cdktf.out', '.git'].includes(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [full] : [];
  });
}

/** Module specifiers naming the AWS provider package anywhere but one resource module under lib/. */
function rootProviderImports(source: string): string[] {
  const specifiers = [...source.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"](@cdktf\/provider-aws[^'"]*)['"]/g)];
  return specifiers.map(([, specifier]) => specifier).filter((s) => !/^@cdktf\/provider-aws\/lib\/[a-z0-9-]+$/.test(s));
}

describe('imports of the AWS provider', () => {
  // The package root loads all ~2,200 resource bindings: seconds and hundreds of MB per process.
  it('come only from @cdktf/provider-aws/lib/<resource>', () => {
    const offenders = sourceFiles(PROJECT_ROOT).flatMap((file) =>
      rootProviderImports(readFileSync(file, 'utf8')).map((specifier) => `${path.relative(PROJECT_ROOT, file)}: ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('are told apart: root, index and namespace imports are caught, resource imports are not', () => {
    const quote = "'";
    const root = `import { s3Bucket } from ${quote}@cdktf/provider-aws${quote};`;
    const index = `const aws = require(${quote}@cdktf/provider-aws/lib/index.js${quote});`;
    const resource = `import { S3Bucket } from ${quote}@cdktf/provider-aws/lib/s3-bucket${quote};`;
    expect(rootProviderImports(root)).toHaveLength(1);
    expect(rootProviderImports(index)).toHaveLength(1);
    expect(rootProviderImports(resource)).toHaveLength(0);
  });
});
