import type { ApiClient, RouteName } from "@industrial/contracts";

declare const _api: ApiClient;

/** The parsed response type of a route of the catalogue. */
export type ApiOut<N extends RouteName> = Awaited<ReturnType<typeof _api.call<N>>>;
