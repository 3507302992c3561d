/** Engine knobs; the CLI fills them from flags. Defaults suit fleets, not Ansible's 5 forks. */
export interface EngineOptions {
  /** Hosts worked on at once in each phase. */
  forks: number;
  /** Budget of one probe: no answer at half of it starts a second attempt beside the first; none by its end: filtered. */
  probeTimeoutMs: number;
  /** Probes in flight at once from one source host (and from the controller x4). */
  probeConcurrency: number;
  /** Hard lifetime of remote listeners, in seconds: a crashed controller leaves nothing for longer. */
  listenerTtlSec: number;
  /** Limit for one host's facts / listener start-up / cleanup step. */
  stepTimeoutMs: number;
  /** Count `exposed` verdicts as failures (exit 2). */
  failOnExposed: boolean;
}

export function defaultEngineOptions(): EngineOptions {
  return {
    forks: 50,
    probeTimeoutMs: 2000,
    probeConcurrency: 64,
    listenerTtlSec: 900,
    stepTimeoutMs: 30_000,
    failOnExposed: false,
  };
}
