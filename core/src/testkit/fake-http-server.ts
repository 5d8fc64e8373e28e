import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the fake received it: the body raw and, when it parses, as JSON. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  raw: string;
  json: unknown;
}

/** What the fake answers: a string body is sent as is, anything else as JSON. */
export interface FakeHttpAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Checks one request against the vendor's contract; `fail` records a violation and answers 400. */
export type FakeHttpHandler = (req: RecordedRequest, fail: (problem: string) => FakeHttpAnswer) => FakeHttpAnswer;

/**
 * A local stand-in for a vendor API on 127.0.0.1 and a random port. `handle` checks the request against
 * the vendor's documented contract and answers as the vendor documents; `problems` collects contract
 * violations so a test fails on a wrong header, path or field even when the channel swallowed the answer.
 */
export class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];
  readonly problems: string[] = [];
  private server: Server | null = null;
  private baseUrl = "";

  constructor(private readonly handle: FakeHttpHandler) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const url = new URL(req.url ?? "/", "http://fake");
        let json: unknown = undefined;
        try {
          json = raw ? JSON.parse(raw) : undefined;
        } catch {
          json = undefined;
        }
        const rec: RecordedRequest = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, raw, json };
        this.requests.push(rec);
        const answer = this.handle(rec, (problem) => {
          this.problems.push(problem);
          return { status: 400, body: { contractViolation: problem } };
        });
        res.writeHead(answer.status, { "content-type": "application/json;charset=UTF-8", ...answer.headers });
        res.end(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  get url(): string {
    return this.baseUrl;
  }

  last(): RecordedRequest | undefined {
    return this.requests[this.requests.length - 1];
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
