import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The SDK's ApiClient as these tests use it; its own typings do not export the API classes. */
export interface SdkApiClient {
  config: { setConfigPath(path: string): void };
  setGateway(gateway: { host: string; protocol: string; port: number; path_params_login: string; path_params_api: string }): void;
  setAccessToken(token: string): void;
  loginClientCredentialsGrant(clientId: string, clientSecret: string): Promise<{ accessToken: string; tokenExpiryTime: number }>;
}

export interface LoadedSdk<P> {
  /** The module's default export, typed as the test describes it. */
  readonly platformClient: P;
  readonly client: SdkApiClient;
  /** Points every API call of the SDK at the proxy. */
  useProxy(url: string): void;
  /** Restores HOME and removes the empty one. */
  unload(): Promise<void>;
}

/**
 * Loads the official SDK with an empty HOME: it reads and watches
 * ~/.genesyscloudjavascript/config when it loads.
 */
export async function loadSdk<P extends { ApiClient: { instance: unknown } }>(): Promise<LoadedSdk<P>> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'sdk-home-'));
  const originalHome = process.env.HOME;
  process.env.HOME = home;
  const platformClient = (await import('purecloud-platform-client-v2')).default as unknown as P;
  const client = platformClient.ApiClient.instance as SdkApiClient;
  client.config.setConfigPath('');
  return {
    platformClient,
    client,
    useProxy(url) {
      client.setGateway({ host: '127.0.0.1', protocol: 'http', port: Number(new URL(url).port), path_params_login: '', path_params_api: '' });
    },
    async unload() {
      process.env.HOME = originalHome;
      await rm(home, { recursive: true, force: true });
    },
  };
}
