import { createValidatedPolicy, validateResourcePolicy } from '@cloud-copilot/iam-policy';
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '../../lib/common/policy-document';

/*
 * Evaluates synthesized policies as AWS would, with an independent IAM policy simulator, so that tests state who may
 * do what under which conditions rather than what strings a policy contains.
 *
 * The simulator fills in no request context by itself: this wrapper adds what AWS always sets (principal ARN,
 * account, whether the caller is a service, TLS) and fails a test whose context key the simulator would ignore, so
 * that a misspelled key cannot make a request pass.
 */

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface SimulatedRequest {
  /** An IAM ARN (`arn:aws:iam::…:role/x`, `arn:aws:sts::…:assumed-role/x/s`) or a service principal. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** The account that owns the resource (S3 ARNs do not say). */
  readonly resourceAccount: string;
  /** Request context; values are strings as in AWS (`'true'`, not `true`). */
  readonly context?: Record<string, string | string[]>;
  /** When false, the request is made without TLS. @default true */
  readonly secureTransport?: boolean;
}

export interface PolicySet {
  readonly resourcePolicy?: PolicyDocument | unknown;
  readonly identityPolicies?: readonly unknown[];
  /** Service control policies, one list per level from the root down; FullAWSAccess is added to each level. */
  readonly serviceControlPolicies?: readonly (readonly unknown[])[];
  readonly resourceControlPolicies?: readonly unknown[];
}

const FULL_AWS_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

// The simulator drops these keys (it only knows variable keys written with a slash); see evaluate().
const ENCRYPTION_CONTEXT_KEY = /^kms:EncryptionContext:/;

function isServicePrincipal(principal: string): boolean {
  return principal.endsWith('.amazonaws.com');
}

function principalAccount(principal: string): string | undefined {
  return /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

/** The principal ARN IAM conditions see: an assumed-role session is seen as its role. */
function principalArnOf(principal: string): string {
  const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(principal);
  return session ? `arn:aws:iam::${session[1]}:role/${session[2]}` : principal;
}

function fullContext(request: SimulatedRequest): Record<string, string | string[]> {
  const service = isServicePrincipal(request.principal);
  const account = principalAccount(request.principal);
  return {
    'aws:SecureTransport': request.secureTransport === false ? 'false' : 'true',
    'aws:PrincipalIsAWSService': service ? 'true' : 'false',
    ...(service ? {} : { 'aws:PrincipalArn': principalArnOf(request.principal) }),
    ...(account ? { 'aws:PrincipalAccount': account } : {}),
    ...request.context,
  };
}

/** The decision AWS would make on a request under the given policies. */
export async function evaluate(request: SimulatedRequest, policies: PolicySet): Promise<Decision> {
  const service = isServicePrincipal(request.principal);
  const named = (prefix: string) => (policy: unknown, index: number) => ({ name: `${prefix}${index}`, policy });
  const simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: fullContext(request),
    },
    identityPolicies: (policies.identityPolicies ?? []).map(named('identity')),
    // Service control policies do not apply to service principals.
    serviceControlPolicies: service
      ? []
      : (policies.serviceControlPolicies ?? []).map((level, depth) => ({
          orgIdentifier: `level-${depth}`,
          policies: [{ name: 'FullAWSAccess', policy: FULL_AWS_ACCESS }, ...level.map(named(`scp${depth}-`))],
        })),
    resourceControlPolicies: policies.resourceControlPolicies?.length
      ? [{ orgIdentifier: 'root', policies: policies.resourceControlPolicies.map(named('rcp')) }]
      : [],
    resourcePolicy: policies.resourcePolicy,
  };

  const usesEncryptionContext = Object.keys(simulation.request.contextVariables).some((key) => ENCRYPTION_CONTEXT_KEY.test(key));
  if (usesEncryptionContext) {
    // runSimulation ignores kms:EncryptionContext:* keys; the unvalidated path evaluates them. The policy is
    // validated first so that a malformed policy still fails the test.
    const validated = await runSimulation({ ...simulation, request: { ...simulation.request, contextVariables: {} } } as never, {
      simulationMode: 'Strict',
    });
    if (validated.resultType === 'error') throw new Error(`Policy simulation failed: ${JSON.stringify(validated.errors)}`);
    return runUnsafeSimulation(
      {
        ...simulation,
        resourcePolicy: policies.resourcePolicy
          ? createValidatedPolicy(policies.resourcePolicy as never, validateResourcePolicy, { name: 'ResourcePolicy' })
          : undefined,
      } as never,
      {},
    ) as Decision;
  }

  const result = await runSimulation(simulation as never, { simulationMode: 'Strict' });
  if (result.resultType === 'error') throw new Error(`Policy simulation failed: ${JSON.stringify(result.errors)}`);
  if (result.resultType !== 'single') throw new Error('Expected a request on one concrete resource, not a wildcard');
  const ignored = result.result.ignoredContextKeys ?? [];
  if (ignored.length > 0) {
    throw new Error(`The simulator ignored context keys ${ignored.join(', ')} for ${request.action}; the test would prove nothing`);
  }
  return result.overallResult as Decision;
}
