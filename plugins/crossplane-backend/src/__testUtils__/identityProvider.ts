import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import express from 'express';
import { generateKeyPairSync, sign } from 'node:crypto';

/**
 * Stands in for the auth backend: publishes the key of the user tokens it
 * signs, so that the real auth services verify them and derive on-behalf-of
 * tokens exactly as in production. (The mock auth of the test backend turns
 * an on-behalf-of token back into a plain user principal without its actor,
 * which the permission framework rightly refuses as a direct user request.)
 * Use it with `authServiceFactory` and `httpAuthServiceFactory` of
 * `@backstage/backend-defaults`, and a database for their keys.
 */
export function createIdentityProvider() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
  });
  const kid = 'test-user-key';
  const jwk = {
    ...publicKey.export({ format: 'jwk' }),
    kid,
    alg: 'ES256',
    use: 'sig',
  };
  const encode = (part: object) =>
    Buffer.from(JSON.stringify(part)).toString('base64url');
  const signed = (typ: string, payload: object) => {
    // Header fields in the order backends rebuild a limited token's header.
    const content = `${encode({ typ, alg: 'ES256', kid })}.${encode(payload)}`;
    const signature = sign('sha256', Buffer.from(content), {
      key: privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return `${content}.${signature.toString('base64url')}`;
  };

  return {
    plugin: createBackendPlugin({
      pluginId: 'auth',
      register(env) {
        env.registerInit({
          deps: { httpRouter: coreServices.httpRouter },
          async init({ httpRouter }) {
            const router = express.Router();
            router.get('/.well-known/jwks.json', (_req, res) => {
              res.json({ keys: [jwk] });
            });
            httpRouter.use(router);
            httpRouter.addAuthPolicy({
              path: '/.well-known/jwks.json',
              allow: 'unauthenticated',
            });
          },
        });
      },
    }),
    /**
     * A user's Backstage token, as issued at sign-in; `ownership` are the
     * entity refs the user owns through (themselves and their groups).
     */
    userToken(userEntityRef: string, ownership: string[] = [userEntityRef]) {
      const iat = Math.floor(Date.now() / 1000);
      const exp = iat + 3600;
      // The identity proof lets backends derive the limited token they
      // forward when calling other plugins on the user's behalf.
      const proof = signed('vnd.backstage.limited-user', {
        sub: userEntityRef,
        iat,
        exp,
      }).split('.')[2];
      return signed('vnd.backstage.user', {
        iss: 'test',
        aud: 'backstage',
        sub: userEntityRef,
        ent: ownership,
        iat,
        exp,
        uip: proof,
      });
    },
  };
}
