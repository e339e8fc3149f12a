/**
 * Chart values for the runner-pods sandbox choice (issue 12): a runner pod
 * for the default tenant and one for another tenant with provider
 * credentials of its own. The sandbox and secrets tests render the same.
 */
export const RUNNER_PODS_VALUES: Readonly<Record<string, string>> = {
  "sandbox.podSecurity": "runner-pods",
  "runnerPods[0].name": "main",
  "runnerPods[0].tenant": "default",
  "runnerPods[1].name": "acme",
  "runnerPods[1].tenant": "acme",
  "runnerPods[1].credentialsSecret": "acme-providers",
};
