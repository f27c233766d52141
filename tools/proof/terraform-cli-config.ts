/*
 * The Terraform CLI configuration the proof tools run with: providers come only from the offline mirror (no registry
 * is reachable), and one plugin cache is shared by every stack so each `init` links the provider instead of copying it.
 */
export function terraformCliConfig(mirrorRoot: string, pluginCacheDir: string): string {
  return [
    `plugin_cache_dir = ${JSON.stringify(pluginCacheDir)}`,
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirrorRoot)}`,
    '    include = ["registry.terraform.io/hashicorp/aws"]',
    '  }',
    '}',
    '',
  ].join('\n');
}
