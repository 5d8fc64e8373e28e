/** Thrown when a template runs `{% abort "reason" %}`: the send is cancelled, costing nothing. */
export class TemplateAbort extends Error {
  constructor(readonly reason: string) {
    super(`template aborted: ${reason}`);
  }
}
