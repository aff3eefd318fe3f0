/** What the relay CLI needs from its process, injected so tests can run it in-process. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Resolves when the process is asked to stop (SIGTERM/SIGINT). */
  readonly stopSignal: () => Promise<string>;
}
