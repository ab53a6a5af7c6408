/** One section of RESULTS.md. */
export interface ScenarioReport {
  readonly title: string;
  /** Markdown: what was run (setup, numbers of callers/calls, timeline). */
  readonly setup: string;
  /** Markdown: the table(s) or captured output. */
  readonly body: string;
  /** Markdown: "what this shows", from the measured figures. */
  readonly reading: string;
}
