import * as path from 'node:path';
import { type App, AnnotationMetadataEntryType, TerraformResource, TerraformStack } from 'cdktf';
import { BaselineNames } from '../naming';

/** What a synth produced, for the summary it prints. */
export interface SynthSummary {
  readonly stacks: readonly { readonly name: string; readonly resources: number }[];
  readonly warnings: readonly string[];
  readonly errors: readonly string[];
}

/**
 * The deploy order: each wave reads names of resources the waves before it create (the log bucket and key, the
 * organization's delegated administrators); the account stacks only need the first three, in any order.
 */
export function deployWaves(stackNames: readonly string[]): string[][] {
  const fixed = [BaselineNames.logArchiveStack, BaselineNames.managementStack, BaselineNames.securityStack];
  return [...fixed.filter((name) => stackNames.includes(name)).map((name) => [name]), stackNames.filter((name) => !fixed.includes(name))].filter(
    (wave) => wave.length > 0,
  );
}

/** Resource counts and annotations of a synthesized app, read from its construct tree (the same for JSON and HCL). */
export function summarizeApp(app: App): SynthSummary {
  const stacks = app.node.children.filter((child): child is TerraformStack => TerraformStack.isStack(child));
  const warnings: string[] = [];
  const errors: string[] = [];
  for (const construct of app.node.findAll()) {
    for (const entry of construct.node.metadata) {
      const where = construct.node.path || '(app)';
      if (entry.type === AnnotationMetadataEntryType.WARN) warnings.push(`${where}: ${String(entry.data)}`);
      if (entry.type === AnnotationMetadataEntryType.ERROR) errors.push(`${where}: ${String(entry.data)}`);
    }
  }
  return {
    stacks: stacks.map((stack) => ({
      name: stack.node.id,
      resources: stack.node.findAll().filter((construct) => TerraformResource.isTerraformResource(construct)).length,
    })),
    warnings: [...new Set(warnings)],
    errors: [...new Set(errors)],
  };
}

/** The lines `npm run synth` prints: configuration, stacks (resources, directory), deploy order, time. */
export function formatSummary(summary: SynthSummary, options: { configPath: string; outdir: string; seconds: number }): string {
  const relative = (target: string) => {
    const shown = path.relative(process.cwd(), target);
    return shown && !shown.startsWith('..') && !path.isAbsolute(shown) ? shown : target;
  };
  const byName = new Map(summary.stacks.map((stack) => [stack.name, stack]));
  const ordered = deployWaves(summary.stacks.map((stack) => stack.name)).flat();
  const width = Math.max(5, ...ordered.map((name) => name.length));
  const total = summary.stacks.reduce((sum, stack) => sum + stack.resources, 0);
  const lines = [
    `Configuration: ${options.configPath}`,
    `Synthesized ${summary.stacks.length} stacks (${total} resources) into ${relative(options.outdir)}:`,
    ...ordered.map((name) => `  ${name.padEnd(width)}  ${String(byName.get(name)!.resources).padStart(4)} resources  ${relative(path.join(options.outdir, 'stacks', name))}`),
    `Deploy order: ${deployWaves(ordered)
      .map((wave) => (wave.length === 1 ? wave[0] : `${wave.join(', ')} (in any order)`))
      .join(', then ')}`,
    `Done in ${options.seconds.toFixed(1)} s${summary.warnings.length ? `, with ${summary.warnings.length} warning${summary.warnings.length === 1 ? '' : 's'} (on stderr)` : ''}.`,
  ];
  return `${lines.join('\n')}\n`;
}
