import { createDetector } from '../../functions/detector/detector';
import type { Finding } from '../../functions/detector/finding';
import { type RevocationPlan, revocationDecision, weakEvidence } from '../../functions/detector/response';
import { compileRuleContext } from '../../functions/detector/rules/context';
import { identities, objectRead, settings } from './records';

/* Evidence that does not depend on where a sensitive read came from, and revocation state that is not ours. */

describe('a successful sensitive read', () => {
  const [read] = createDetector(settings).evaluate(objectRead(identities.apiRole));

  it('is evidence enough wherever it came from: an endpoint, a service or an address', () => {
    // Unlike instance credentials (whose rule is about the address), a sensitive read is judged by who read what.
    const through = (from: Finding['from']): Finding => ({ ...read, from });
    expect(weakEvidence(through({ sourceIp: '10.1.2.3', vpcEndpointId: 'vpce-0fedcba9876543210' }))).toBeUndefined();
    expect(weakEvidence(through({ sourceIp: 'athena.amazonaws.com' }))).toBeUndefined();
    expect(weakEvidence(through({}))).toBeUndefined();
  });
});

describe('a revocation policy already on the role', () => {
  const plan = { revokeIssuedBefore: '2026-11-21T10:00:00Z' } as RevocationPlan;

  it('is not ours when its time is not a string, however it would read as a date', () => {
    const numeric = JSON.stringify({ Statement: [{ Condition: { DateLessThan: { 'aws:TokenIssueTime': 2099 } } }] });
    expect(revocationDecision(numeric, plan)).toBe('apply');
  });
});

describe('the rule context', () => {
  it('compiles the sensitive keys of each monitored bucket', () => {
    const context = compileRuleContext({ ...settings, monitoredBuckets: [{ name: 'acme-a', keyPatterns: ['a/*'] }, { name: 'acme-b', keyPatterns: ['keyword:b'] }] });
    expect([...context.sensitiveKeys.keys()]).toEqual(['acme-a', 'acme-b']);
    expect(context.sensitiveKeys.get('acme-a')?.('a/1')).toBe(true);
    expect(context.sensitiveKeys.get('acme-a')?.('b/1')).toBe(false);
    expect(context.sensitiveKeys.get('acme-b')?.('x/b/y')).toBe(true);
  });
});
