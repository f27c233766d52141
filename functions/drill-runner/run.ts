/*
 * The detection drill's runner: reads each canary object of its region as the drill role, through S3's public
 * endpoint, exactly as an intruder with that role's credentials would. Its AWS calls are passed in, so tests run it
 * without AWS. The read is the drill; the runner reports nothing else: the detector's heartbeat is the proof.
 */

export interface Canary {
  readonly bucket: string;
  readonly key: string;
}

export interface RunnerDependencies {
  /** A fresh session of the drill role (the only principal allowed to read the canaries). */
  readonly assumeDrillRole: () => Promise<DrillSession>;
  /** GetObject as that session; resolves with the number of bytes read. */
  readonly readObject: (credentials: unknown, canary: Canary) => Promise<number>;
  readonly log?: (line: string) => void;
}

export interface DrillSession {
  readonly credentials: unknown;
  /** The session as CloudTrail names it (`arn:aws:sts::<account>:assumed-role/<role>/<session>`), for the logs. */
  readonly sessionArn?: string;
  /** `<role id>:<session name>`, CloudTrail's principalId of the session. */
  readonly principalId?: string;
}

export interface DrillRun {
  readonly read: readonly Canary[];
  readonly failed: readonly { readonly canary: Canary; readonly error: string }[];
}

/** Reads every canary; a failed read does not stop the others, and any failure fails the run (so it is retried). */
export async function runDrill(canaries: readonly Canary[], dependencies: RunnerDependencies): Promise<DrillRun> {
  const log = dependencies.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const session = await dependencies.assumeDrillRole();
  const read: Canary[] = [];
  const failed: { canary: Canary; error: string }[] = [];
  for (const canary of canaries) {
    try {
      const bytes = await dependencies.readObject(session.credentials, canary);
      read.push(canary);
      // The session is what to look for in CloudTrail, and in the detector's "detection drill arrived" line.
      const { sessionArn, principalId } = session;
      log(JSON.stringify({ level: 'INFO', message: 'canary read', bucket: canary.bucket, key: canary.key, bytes, sessionArn, principalId }));
    } catch (error) {
      failed.push({ canary, error: String(error) });
      log(JSON.stringify({ level: 'ERROR', message: 'canary read failed', bucket: canary.bucket, key: canary.key, error: String(error) }));
    }
  }
  if (failed.length > 0) {
    throw new Error(`the drill could not read ${failed.map(({ canary }) => `s3://${canary.bucket}/${canary.key}`).join(', ')}`);
  }
  return { read, failed };
}

/** The canaries from the runner's environment (DRILL_CANARIES, a JSON array of { bucket, key }). */
export function canariesFrom(text: string | undefined): Canary[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '');
  } catch {
    throw new Error('DRILL_CANARIES is not set to a JSON array of { bucket, key }');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length === 0 ||
    !parsed.every((item) => typeof item?.bucket === 'string' && typeof item?.key === 'string' && Object.keys(item).length === 2)
  ) {
    throw new Error(`DRILL_CANARIES: expected a non-empty JSON array of { bucket, key }, got ${String(text).slice(0, 80)}`);
  }
  return parsed as Canary[];
}
