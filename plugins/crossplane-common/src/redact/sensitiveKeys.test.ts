import { isReferenceKey, isSensitiveKey } from './sensitiveKeys';

describe('isSensitiveKey', () => {
  it('knows secret-holding names in every spelling, by their last segment', () => {
    for (const key of [
      'password',
      'adminPassword',
      'DB_PASSWORD',
      'token',
      'example.com/token',
      'vault.hashicorp.com/agent-token',
      'client-key-data',
      'X-API-KEY',
      'api_key',
      'apiKeys',
      'AWS_SECRET_ACCESS_KEY',
      'kubeconfig',
      'kubeConfig',
      'credentials',
      'private-key',
      '.dockerconfigjson',
    ]) {
      expect([key, isSensitiveKey(key)]).toEqual([key, true]);
    }
  });

  it('leaves names that point at or describe a secret', () => {
    for (const key of [
      'passwordSecretRef',
      'secretName',
      'example.com/secret-name',
      'SECRET_NAME',
      'token-ttl',
      'tokenTTL',
      'connectionSecretKeys',
      'fromConnectionSecretKey',
      'writeConnectionSecretToRef',
      'crossplane.io/external-name',
      'autoGeneratePasswordEnabled',
      'name',
      'value',
    ]) {
      expect([key, isSensitiveKey(key)]).toEqual([key, false]);
    }
  });

  it('tells references apart', () => {
    expect(isReferenceKey('secretRef')).toBe(true);
    expect(isReferenceKey('example.com/token-secret-ref')).toBe(true);
    expect(isReferenceKey('password')).toBe(false);
  });
});
