import { SessionErrorCode, type SessionError } from "@industrial/core";
import type { OcError } from "./opencode-events";

export const NO_MODEL_HELP =
  "configure a model: set ORCHESTRATOR_DEFAULT_MODEL=provider/model (or the session's or agent's model) and set up that provider in OpenCode (`opencode auth login`), or run with --demo to use the scripted model";

/**
 * What an OpenCode error means for the session: its code and whether the
 * retry policy may try again. A provider's 4xx is the request's own fault and
 * is not retried; 429/5xx and unknown failures are.
 */
export function classifyOpenCodeError(error: OcError): SessionError {
  const data = error.data ?? {};
  const message = typeof data.message === "string" ? data.message : error.name;
  switch (error.name) {
    case "MessageAbortedError":
      return { code: SessionErrorCode.ABORTED, message: "the OpenCode turn was aborted", retryable: true };
    case "APIError": {
      const status = typeof data.statusCode === "number" ? data.statusCode : null;
      const retryable =
        data.isRetryable === true || status === null || status === 408 || status === 429 || status >= 500;
      return {
        code: retryable ? SessionErrorCode.PROVIDER_UNAVAILABLE : SessionErrorCode.PROVIDER_ERROR,
        message: `model provider answered ${status ?? "an error"}: ${message}`,
        retryable,
      };
    }
    case "ProviderAuthError":
      return {
        code: SessionErrorCode.NO_MODEL,
        message: `the model provider refused the credentials: ${message}; ${NO_MODEL_HELP}`,
        retryable: false,
      };
    case "ProviderModelNotFoundError":
    case "ModelNotFoundError":
      return {
        code: SessionErrorCode.NO_MODEL,
        message: `no usable model: ${message}; ${NO_MODEL_HELP}`,
        retryable: false,
      };
    case "ContextOverflowError":
    case "MessageOutputLengthError":
    case "ContentFilterError":
    case "StructuredOutputError":
      return { code: SessionErrorCode.PROVIDER_ERROR, message: `${error.name}: ${message}`, retryable: false };
    default:
      return { code: SessionErrorCode.PROVIDER_ERROR, message: `${error.name}: ${message}`, retryable: true };
  }
}
