import type { PolicyRule } from '../rule';
import { block } from '../stack-resources';

/** Every Lambda function keeps the events it failed on. */
const LambdaFailureDestination: PolicyRule = {
  id: 'Lambda.FailureDestination',
  description: 'Every Lambda function has a dead-letter queue (dead_letter_config) or an on-failure destination (aws_lambda_function_event_invoke_config).',
  rationale: 'A security function that drops the events it could not process hides exactly the cases that need a look.',
  fix: 'Set dead_letter_config { target_arn = <encrypted SQS queue> } or add an aws_lambda_function_event_invoke_config with destination_config.on_failure.',
  appliesTo: ['aws_lambda_function'],
  evaluate(fn, stack) {
    if (block(fn.config.dead_letter_config)?.target_arn) return [];
    const invokeConfigs = stack.pointingAt('aws_lambda_function_event_invoke_config', 'function_name', fn, ['function_name']);
    const onFailure = invokeConfigs.some((config) => block(block(block(config.config.destination_config)?.on_failure))?.destination);
    return onFailure ? [] : ['neither a dead-letter queue nor an on-failure destination'];
  },
};

export default LambdaFailureDestination;
