import type { BaselineConfigInput } from '../config/schema';
import { AWS_REGIONS } from '../config/regions';

/** A large organization for benchmarks: `members` workload accounts, every account in `regionCount` regions. */
export function largeOrganization(members: number, regionCount: number): BaselineConfigInput {
  const regions = [...AWS_REGIONS].sort((a, b) => (a === 'us-east-1' ? -1 : b === 'us-east-1' ? 1 : a.localeCompare(b)));
  const id = (n: number) => String(100000000000 + n);
  return {
    prefix: 'bench',
    organization: { id: 'o-bench12345', rootId: 'r-ben1' },
    accounts: {
      management: { name: 'management', id: id(1) },
      logArchive: { name: 'log-archive', id: id(2) },
      security: { name: 'security', id: id(3) },
      members: Array.from({ length: members }, (_, index) => ({ name: `workload-${index + 1}`, id: id(10 + index) })),
    },
    regions: { home: 'us-east-1', enabled: regions.slice(0, regionCount) },
    notifications: { emails: ['security@example.com'] },
    detector: {
      monitoredBuckets: [{ name: 'bench-sensitive-data', account: 'workload-1', region: 'us-east-1', keyPatterns: ['*'] }],
    },
  };
}
