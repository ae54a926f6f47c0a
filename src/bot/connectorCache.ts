import { ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { AuthenticationConstants, ConnectorFactory, JwtTokenValidation, type ClaimsIdentity, type ConnectorClient } from 'botframework-connector';
import { LRUCache } from 'lru-cache';

/**
 * The Bot Framework authentication of the configuration, whose connector clients (the HTTP clients a
 * turn's replies go through) are kept per bot, audience and channel service URL. botbuilder builds a
 * new client, with its request pipeline and credentials, for every turn: measured, that was about a
 * twentieth of a turn's CPU. A client holds no per-turn state (its credentials fetch and renew their
 * own tokens), so turns can share one.
 */
export class CachingBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly clients = new LRUCache<string, Promise<ConnectorClient>>({ max: 500 });

  constructor(options: ConfigurationBotFrameworkAuthenticationOptions) {
    super(options);
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const inner = super.createConnectorFactory(claimsIdentity);
    const claims = claimsIdentity.claims ?? [];
    const audience = claims.find((c) => c.type === AuthenticationConstants.AudienceClaim)?.value ?? '';
    const bot = `${JwtTokenValidation.getAppIdFromClaims(claims) ?? ''}\n${audience}`;
    return new CachingConnectorFactory(inner, bot, this.clients);
  }
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
