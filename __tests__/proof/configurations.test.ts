import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadConfigFile } from '../../config/load';
import { VALIDATED_CONFIGURATIONS } from '../../tools/proof/configurations';
import { PROJECT_ROOT } from '../helpers';

/*
 * The configurations `npm run validate` checks must stay valid as the configuration model changes, and the
 * every-option one must keep naming every option, so that a new option is validated with Terraform from the start.
 */

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema };

/** Options every-option.json leaves out on purpose, each with the reason. */
const LEFT_OUT: Record<string, string> = {
  $schema: 'editor hint only',
  'accounts.*.adopt': 'adopt mode is validated on its own (config/adopt.json)',
  'monitoring.logGroupName': 'only with trail.mode "data-events-only" (config/adopt.json)',
  'deployment.profiles': 'replaces the assumed role; config/adopt.json validates it',
  'monitoring.alarms.*': 'fifteen alarms alike: two of them carry the per-alarm settings',
  'costGuardrails.anomalyDetection.existingMonitorArns': 'replaces the monitor every-option.json creates; config/adopt.json validates it',
};

function optionPaths(schema: JsonSchema, prefix: string[] = []): string[] {
  if (schema.type === 'object' && schema.properties) {
    return Object.entries(schema.properties).flatMap(([key, child]) => [[...prefix, key].join('.'), ...optionPaths(child, [...prefix, key])]);
  }
  if (schema.type === 'array' && schema.items) return optionPaths(schema.items, prefix);
  return [];
}

function isLeftOut(option: string): boolean {
  return Object.keys(LEFT_OUT).some((pattern) => new RegExp(`^${pattern.replace(/[.$]/g, '\\$&').replace(/\*/g, '[^.]+')}(\\.|$)`).test(option));
}

/** Whether the document has the option, looking into every element of arrays. */
function has(document: unknown, keys: string[]): boolean {
  if (keys.length === 0) return true;
  if (Array.isArray(document)) return document.some((item) => has(item, keys));
  if (!document || typeof document !== 'object') return false;
  const [head, ...rest] = keys;
  return head in document && has((document as Record<string, unknown>)[head], rest);
}

describe('the configurations npm run validate checks', () => {
  test.each(VALIDATED_CONFIGURATIONS.map((configuration) => [configuration.name, configuration.file]))('%s is a valid configuration', (_name, file) => {
    expect(() => loadConfigFile(file, { report: () => {} })).not.toThrow();
  });

  test('every-option.json names every option of the configuration model, but those left out for a reason', () => {
    const schema = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'config', 'baseline.schema.json'), 'utf8')) as JsonSchema;
    const document = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'config', 'every-option.json'), 'utf8'));

    const missing = optionPaths(schema).filter((option) => !isLeftOut(option) && !has(document, option.split('.')));

    expect(missing).toEqual([]);
  });

  test('every-option.json turns every on/off option on', () => {
    const config = loadConfigFile(path.join(PROJECT_ROOT, 'config', 'every-option.json'), { report: () => {} });
    const off: string[] = [];
    const walk = (value: unknown, at: string[]) => {
      if (typeof value === 'boolean' && !value) off.push(at.join('.'));
      else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, [...at, key]);
    };
    walk(config, []);

    // One alarm is turned off to validate the toggle itself.
    expect(off).toEqual(['monitoring.alarms.console-authentication-failures.enabled']);
  });

  test('adopt.json adopts in every way the model allows', () => {
    const config = loadConfigFile(path.join(PROJECT_ROOT, 'config', 'adopt.json'));
    const adopted = [config.accounts.management, config.accounts.logArchive, config.accounts.security, ...config.accounts.members].map((account) => account.adopt ?? {});

    for (const key of ['configRecorderName', 'deliveryChannelName', 'accessAnalyzerName', 'configServiceLinkedRole'] as const) {
      expect(adopted.some((adopt) => adopt[key] !== undefined)).toBe(true);
    }
    expect(config.trail.mode).toBe('data-events-only');
  });
});
