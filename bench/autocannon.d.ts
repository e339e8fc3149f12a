// The part of autocannon's API the bench uses, as autocannon 8 returns it at run time
// (@types/autocannon spells the status counts `2XX`, the library `2xx`, and lacks statusCodeStats).
declare module "autocannon" {
  interface Options {
    url: string;
    method?: "GET" | "POST";
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    /** Seconds. */
    duration?: number;
    /** Threads that send the load (none: this one). */
    workers?: number;
  }

  interface Histogram {
    average: number;
    p50: number;
    p99: number;
    max: number;
  }

  interface Result {
    /** Per second. */
    requests: Histogram & { total: number; sent: number };
    /** Milliseconds. */
    latency: Histogram;
    /** Seconds. */
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    "2xx": number;
    statusCodeStats: Record<string, { count: number }>;
  }

  /** Without a callback: a promise of the result. */
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
