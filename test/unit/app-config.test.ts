// @vitest-environment jsdom
// pyloom.json: absent means defaults; present is checked key by key with a message that says why.
import { afterEach, expect, test, vi } from 'vitest';
import { loadDeploymentConfig } from '../../src/app/config';

afterEach(() => vi.unstubAllGlobals());
const respond = (status: number, body: string) => vi.stubGlobal('fetch', async () => new Response(body, { status }));

test('no pyloom.json: built-in defaults', async () => {
  respond(404, 'not found');
  expect(await loadDeploymentConfig('http://x/pyloom.json')).toEqual({});
});

test('a mirror and an index are read', async () => {
  respond(200, JSON.stringify({ packageBaseUrl: 'python-packages/mirror/', indexUrls: ['https://pypi.org/simple/'] }));
  expect(await loadDeploymentConfig('http://x/pyloom.json')).toEqual({
    packageBaseUrl: 'python-packages/mirror/',
    indexUrls: ['https://pypi.org/simple/'],
  });
});

test('mistakes are named', async () => {
  respond(200, '{ not json');
  await expect(loadDeploymentConfig('http://x/pyloom.json')).rejects.toThrow('http://x/pyloom.json is not valid JSON');
  respond(200, JSON.stringify({ packageBaseURL: 'x' }));
  await expect(loadDeploymentConfig('http://x/pyloom.json')).rejects.toThrow(
    'pyloom.json (http://x/pyloom.json): unknown key "packageBaseURL"',
  );
  respond(200, JSON.stringify({ indexUrls: 'https://pypi.org/simple/' }));
  await expect(loadDeploymentConfig('http://x/pyloom.json')).rejects.toThrow('indexUrls must be a list of URL strings');
});

test('offline and isolation choose how the service worker is used', async () => {
  respond(200, JSON.stringify({ offline: false, isolation: 'credentialless' }));
  expect(await loadDeploymentConfig('http://x/pyloom.json')).toEqual({ offline: false, isolation: 'credentialless' });
  respond(200, JSON.stringify({ isolation: 'none' }));
  await expect(loadDeploymentConfig('http://x/pyloom.json')).rejects.toThrow(
    'isolation must be one of "require-corp", "credentialless", "off" (got "none")',
  );
  respond(200, JSON.stringify({ offline: 'yes' }));
  await expect(loadDeploymentConfig('http://x/pyloom.json')).rejects.toThrow('offline must be true or false');
});
