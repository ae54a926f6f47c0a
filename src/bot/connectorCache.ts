import { ConfigurationBotFrameworkAuthentication, type Activity, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import {
  AuthenticationConstants,
  ConnectorFactory,
  JwtTokenValidation,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';
import { LRUCache } from 'lru-cache';

/**
 * The Bot Framework authentication of the configuration, whose connector clients (the HTTP clients a
 * turn's replies go through) and user-token clients are kept per bot, audience and channel service
 * URL. botbuilder builds both anew, each with its request pipeline and credentials, for every turn
 * (the inbound request's connector factory comes from authenticateRequest, proactive ones from
 * createConnectorFactory): measured, that was about a twelfth of a turn's CPU. A client holds no
 * per-turn state (its credentials fetch and renew their own tokens), so turns can share one.
 */
export class CachingBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly clients = new LRUCache<string, Promise<ConnectorClient>>({ max: 500 });
  private readonly tokenClients = new LRUCache<string, Promise<UserTokenClient>>({ max: 100 });

  constructor(options: ConfigurationBotFrameworkAuthenticationOptions) {
    super(options);
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    if (!result.connectorFactory) return result;
    return { ...result, connectorFactory: new CachingConnectorFactory(result.connectorFactory, botOf(result.claimsIdentity), this.clients) };
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new CachingConnectorFactory(super.createConnectorFactory(claimsIdentity), botOf(claimsIdentity), this.clients);
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const key = botOf(claimsIdentity);
    let client = this.tokenClients.get(key);
    if (!client) {
      client = super.createUserTokenClient(claimsIdentity);
      this.tokenClients.set(key, client);
      client.catch(() => this.tokenClients.delete(key)); // a failure (credentials) is not kept
    }
    return client;
  }
}

/** The bot a request is for: its app id and audience (the clients' credentials depend on both). */
function botOf(claimsIdentity: ClaimsIdentity): string {
  const claims = claimsIdentity.claims ?? [];
  const audience = claims.find((c) => c.type === AuthenticationConstants.AudienceClaim)?.value ?? '';
  return `${JwtTokenValidation.getAppIdFromClaims(claims) ?? ''}\n${audience}`;
}

class CachingConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly bot: string,
    private readonly clients: LRUCache<string, Promise<ConnectorClient>>,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const key = `${this.bot}\n${serviceUrl}\n${audience ?? ''}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.inner.create(serviceUrl, audience);
      this.clients.set(key, client);
      client.catch(() => this.clients.delete(key)); // a failure (credentials) is not kept
    }
    return client;
  }
}
