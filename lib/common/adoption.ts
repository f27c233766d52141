import type { TerraformResource } from 'cdktf';

/**
 * Makes Terraform import an existing resource instead of creating it: a top-level `import` block. The AWS provider
 * reads `<id>@<region>` as the resource's id in that region (enhanced region support), so one provider can adopt a
 * resource in any region.
 */
export function adoptExisting(resource: TerraformResource, id: string, region?: string): void {
  resource.importFrom(region ? `${id}@${region}` : id);
}
