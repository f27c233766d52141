import type { PolicyRule } from '../rule';

/** Every Lambda function has reserved concurrency. */
const LambdaReservedConcurrency: PolicyRule = {
  id: 'Lambda.ReservedConcurrency',
  description: 'Every Lambda function sets reserved_concurrent_executions to 1 or more.',
  rationale: 'A reserved share both guarantees the function can run during an event storm and caps what a flood can cost or break.',
  fix: 'Set reserved_concurrent_executions to a small positive number (the detector takes detector.reservedConcurrency).',
  appliesTo: ['aws_lambda_function'],
  evaluate(fn) {
    const reserved = fn.config.reserved_concurrent_executions;
    if (reserved === undefined) return ['reserved_concurrent_executions is not set'];
    return typeof reserved === 'number' && reserved >= 1 ? [] : [`reserved_concurrent_executions is ${JSON.stringify(reserved)}`];
  },
};

export default LambdaReservedConcurrency;
