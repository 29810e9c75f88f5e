/**
 * The dispatchers of a run. Requests with the same transport settings (TLS files, passphrase,
 * insecure, http2) share one undici dispatcher, and with it their kept-alive connections;
 * a request with other settings needs its own, since TLS options belong to the connection.
 * So there is one per distinct setting, made when first needed, kept for the run, and all
 * closed at its end. Within one, a request goes direct or through the proxy its URL routes
 * to (proxy.ts), each through undici's own agents (Agent, ProxyAgent).
 *
 * Each connection is watched as it is made: the protocol ALPN chose (the `httpVersion` of what
 * is sent on it) and any TLS alert the server sends after the handshake (a client certificate
 * it wanted and did not get arrives as an alert, which undici reports only as "other side
 * closed"), so that a failure can be explained (tls-errors.ts).
 */
import type { Agent as AgentType, Dispatcher } from 'undici';
import { routeFor, type ProxyConfig, type ProxyRoute } from './proxy.js';
import { connectorTlsOptions, TlsSetupError, transportKey, type TransportSettings } from './tls.js';

type Connect = (opts: { hostname: string; host?: string; protocol: string; port: string; servername?: string }, callback: (err: Error | null, socket: any) => void) => unknown;

export interface UndiciCore {
  Agent: new (options: ConstructorParameters<typeof AgentType>[0]) => AgentType;
  Pool: new (origin: string | URL, options: object) => Dispatcher;
  buildConnector: typeof import('undici').buildConnector;
}

/** What a connection to an origin showed: its protocol, and the last TLS alert on it. */
interface OriginState {
  protocol?: string;
  alert?: Error & { code?: string };
  answered?: boolean;
}

export class TransportEntry {
  readonly origins = new Map<string, OriginState>();
  private direct?: AgentType;
  private readonly proxied = new Map<string, Dispatcher>();
  private readonly pending = new Set<{ destroy(): void }>();
  private readonly connectorOptions: object;

  constructor(private readonly undici: UndiciCore, readonly settings: TransportSettings) {
    // Throws TlsSetupError: a file that cannot be read, a wrong passphrase.
    this.connectorOptions = { ...connectorTlsOptions(settings.tls), ...(settings.http2 ? { allowH2: true } : {}) };
  }

  state(origin: string): OriginState {
    let s = this.origins.get(origin);
    if (!s) this.origins.set(origin, (s = {}));
    return s;
  }

  dispatcherFor(url: URL, proxy: ProxyConfig | undefined, loadProxyAgent: () => new (opts: object) => Dispatcher): { dispatcher: Dispatcher; route?: ProxyRoute } {
    const route = proxy ? routeFor(proxy, url) : undefined;
    if (!route) return { dispatcher: (this.direct ??= this.newDirect()) };
    let d = this.proxied.get(route.url);
    if (!d) {
      const ProxyAgent = loadProxyAgent();
      const tls = this.connectorOptions as { rejectUnauthorized?: boolean; ca?: unknown };
      d = new ProxyAgent({
        uri: route.url,
        // Plain http:// requests are forwarded (GET http://host/path), as curl does: many
        // proxies open CONNECT tunnels to port 443 only. https:// requests go through CONNECT.
        proxyTunnel: false,
        requestTls: this.connectorOptions,
        // An https:// proxy is checked against the same CAs (a corporate proxy with a private CA).
        proxyTls: { ...(tls.ca ? { ca: tls.ca } : {}), ...(tls.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}) },
        allowH2: this.settings.http2 === true,
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 60_000,
        factory: this.watchingFactory(),
      });
      this.proxied.set(route.url, d);
    }
    return { dispatcher: d, route };
  }

  private newDirect(): AgentType {
    const connect = this.trackedConnector();
    return new this.undici.Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, connect: connect as never, allowH2: this.settings.http2 === true, factory: this.watchingFactory() as never });
  }

  /** A pool per origin whose connections are watched (protocol, alerts). */
  private watchingFactory() {
    return (origin: string | URL, options: { connect?: Connect }) => {
      const key = typeof origin === 'string' ? new URL(origin).origin : origin.origin;
      const inner = options.connect;
      const connect: Connect | undefined = inner && ((opts, callback) => inner(opts, (err, socket) => {
        if (socket) this.watch(key, socket);
        callback(err, socket);
      }));
      return new this.undici.Pool(origin, { ...options, ...(connect ? { connect } : {}) });
    };
  }

  private watch(origin: string, socket: { alpnProtocol?: string | false; encrypted?: boolean; on(ev: 'error', fn: (e: Error) => void): void }): void {
    const s = this.state(origin);
    s.protocol = socket.alpnProtocol === 'h2' ? '2' : '1.1';
    if (socket.encrypted) socket.on('error', (e: Error & { code?: string }) => {
      if (e.code?.startsWith('ERR_SSL_')) s.alert = e;
    });
  }

  /**
   * undici's connector with no timeout of its own (each request's deadline covers connecting),
   * remembering the sockets still connecting so that close can end them.
   */
  private trackedConnector(): Connect {
    const base = this.undici.buildConnector({ timeout: 0, ...this.connectorOptions } as never) as unknown as Connect;
    return (opts, callback) => {
      let socket: { destroy(): void } | undefined;
      socket = base(opts, (err, connected) => {
        if (socket) this.pending.delete(socket);
        callback(err, connected);
      }) as { destroy(): void };
      this.pending.add(socket);
      return socket;
    };
  }

  async close(): Promise<void> {
    // Every request has settled by now. A connection attempt a deadline gave up on is still
    // open (undici cannot cancel it) and would hold the process: end it.
    this.pending.forEach((s) => s.destroy());
    await Promise.all([this.direct?.destroy(), ...[...this.proxied.values()].map((d) => d.destroy())]);
  }
}

/** One TransportEntry per distinct setting; a setting that cannot be used is remembered as its error. */
export class TransportCache {
  private readonly entries = new Map<string, TransportEntry | TlsSetupError>();
  private baseEntry?: TransportEntry;

  constructor(private readonly undici: UndiciCore) {}

  /** The entry of the run's own settings (always the same object): looked up once. */
  base(settings: TransportSettings): TransportEntry {
    return (this.baseEntry ??= this.get(settings));
  }

  get(settings: TransportSettings): TransportEntry {
    const key = transportKey(settings);
    let entry = this.entries.get(key);
    if (!entry) {
      try {
        entry = new TransportEntry(this.undici, settings);
      } catch (err) {
        if (!(err instanceof TlsSetupError)) throw err;
        entry = err;
      }
      this.entries.set(key, entry);
    }
    if (entry instanceof TlsSetupError) throw entry;
    return entry;
  }

  async close(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => (e instanceof TransportEntry ? e.close() : undefined)));
  }
}
