import type { BaselineConfig } from '../../config/schema';

/** A severity as the configuration names it. */
export type SeverityLabel = BaselineConfig['securityServices']['findingsSeverityThreshold'];

/** Security Hub's labels, from least to most severe. */
export const SEVERITY_LABELS: readonly SeverityLabel[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/** The lowest GuardDuty score of each label (GuardDuty scores findings from 1.0 to 10.0). */
export const GUARDDUTY_SEVERITY_FLOOR: Readonly<Record<SeverityLabel, number>> = { LOW: 1, MEDIUM: 4, HIGH: 7, CRITICAL: 9 };

/** The labels at or above a threshold. */
export function labelsAtOrAbove(threshold: SeverityLabel): SeverityLabel[] {
  return SEVERITY_LABELS.slice(SEVERITY_LABELS.indexOf(threshold));
}

/** GuardDuty findings (new, and updates of recurring ones) scored at or above the threshold. */
export function guardDutyFindingPattern(threshold: SeverityLabel): Record<string, unknown> {
  return {
    source: ['aws.guardduty'],
    'detail-type': ['GuardDuty Finding'],
    detail: { severity: [{ numeric: ['>=', GUARDDUTY_SEVERITY_FLOOR[threshold]] }] },
  };
}

/**
 * Active, not yet triaged Security Hub findings at or above the threshold, from every product but GuardDuty, whose
 * findings are routed on their own (sooner, and from every region) and would otherwise arrive twice.
 */
export function securityHubFindingPattern(threshold: SeverityLabel): Record<string, unknown> {
  return {
    source: ['aws.securityhub'],
    'detail-type': ['Security Hub Findings - Imported'],
    detail: {
      findings: {
        Severity: { Label: labelsAtOrAbove(threshold) },
        Workflow: { Status: ['NEW'] },
        RecordState: ['ACTIVE'],
        ProductName: [{ 'anything-but': 'GuardDuty' }],
      },
    },
  };
}

/** An EventBridge input transformer: which fields to take, and the text they fill in. */
export interface FindingMessage {
  readonly inputPaths: Record<string, string>;
  readonly inputTemplate: string;
}

/** A plain-text message for SNS: EventBridge sends a template that is a JSON string as that string. */
function textTemplate(lines: readonly string[]): string {
  return JSON.stringify(lines.join('\n'));
}

/** What, where, how severe, and the link to the finding in the console of the region it was found in. */
export const GUARDDUTY_MESSAGE: FindingMessage = {
  inputPaths: {
    title: '$.detail.title',
    type: '$.detail.type',
    severity: '$.detail.severity',
    account: '$.detail.accountId',
    region: '$.detail.region',
    id: '$.detail.id',
    description: '$.detail.description',
  },
  inputTemplate: textTemplate([
    'GuardDuty finding, severity <severity>/10: <title>',
    'Type: <type>',
    'Account: <account>  Region: <region>',
    '<description>',
    'Console: https://<region>.console.aws.amazon.com/guardduty/home?region=<region>#/findings?macros=current&fId=<id>',
  ]),
};

/** What, where, how severe, and the link to the finding in the Security Hub console of the home region. */
export function securityHubMessage(homeRegion: string): FindingMessage {
  return {
    inputPaths: {
      title: '$.detail.findings[0].Title',
      severity: '$.detail.findings[0].Severity.Label',
      product: '$.detail.findings[0].ProductName',
      account: '$.detail.findings[0].AwsAccountId',
      region: '$.detail.findings[0].Region',
      resource: '$.detail.findings[0].Resources[0].Id',
      id: '$.detail.findings[0].Id',
      description: '$.detail.findings[0].Description',
    },
    inputTemplate: textTemplate([
      'Security Hub finding from <product>, severity <severity>: <title>',
      'Account: <account>  Region: <region>  Resource: <resource>',
      '<description>',
      `Console: https://${homeRegion}.console.aws.amazon.com/securityhub/home?region=${homeRegion}#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253A<id>`,
    ]),
  };
}

/** A dead-letter queue alarm of findings routing going off, in any region (alarm names share a prefix). */
export function undeliveredFindingsPattern(alarmNamePrefix: string, alarmNames: readonly string[] = []): Record<string, unknown> {
  return {
    source: ['aws.cloudwatch'],
    'detail-type': ['CloudWatch Alarm State Change'],
    detail: { alarmName: [{ prefix: alarmNamePrefix }, ...[...alarmNames].sort()], state: { value: ['ALARM'] } },
  };
}

/** Findings that could not be delivered wait in a dead-letter queue: say which, and where to read them. */
export const UNDELIVERED_FINDINGS_MESSAGE: FindingMessage = {
  inputPaths: {
    alarm: '$.detail.alarmName',
    account: '$.account',
    region: '$.region',
    reason: '$.detail.state.reason',
  },
  inputTemplate: textTemplate([
    'Findings could not be delivered and wait in a dead-letter queue (alarm <alarm>): read them before they expire after 14 days.',
    'Account: <account>  Region: <region>',
    '<reason>',
    'Console: https://<region>.console.aws.amazon.com/sqs/v3/home?region=<region>#/queues',
  ]),
};
