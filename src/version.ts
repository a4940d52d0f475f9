export const PROXY_VERSION = '0.1.0';
export const USER_AGENT = `genesys-division-proxy/${PROXY_VERSION}`;
