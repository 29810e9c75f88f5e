/** Which proxy a URL goes through (src/http/proxy.ts): the variables as curl and Newman read them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proxyConfig, proxyRoute, proxySecrets, routeFor } from '../src/http/proxy.js';

const via = (env: NodeJS.ProcessEnv, url: string, flags = {}) => {
  const config = proxyConfig(env, flags);
  return config ? routeFor(config, new URL(url))?.display : undefined;
};

describe('proxy routing', () => {
  it('http and https each take their variable; lower case first; https falls back to http', () => {
    const env = { HTTP_PROXY: 'http://h:1', HTTPS_PROXY: 'http://s:2' };
    assert.equal(via(env, 'http://api.test/x'), 'http://h:1');
    assert.equal(via(env, 'https://api.test/x'), 'http://s:2');
    assert.equal(via({ http_proxy: 'http://low:1', HTTP_PROXY: 'http://up:2' }, 'http://a.test'), 'http://low:1');
    assert.equal(via({ HTTP_PROXY: 'http://h:1' }, 'https://a.test'), 'http://h:1');
    assert.equal(via({ HTTPS_PROXY: 'http://s:2' }, 'http://a.test'), undefined);
    assert.equal(via({ HTTP_PROXY: '' }, 'http://a.test'), undefined);
  });

  it('NO_PROXY: names and their subdomains, a leading dot or *., host:port, IPv6, *', () => {
    const env = (no: string) => ({ HTTP_PROXY: 'http://p:3128', HTTPS_PROXY: 'http://p:3128', NO_PROXY: no });
    assert.equal(via(env('example.com'), 'http://example.com/'), undefined);
    assert.equal(via(env('example.com'), 'http://api.example.com/'), undefined);
    assert.equal(via(env('example.com'), 'http://notexample.com/'), 'http://p:3128');
    assert.equal(via(env('.example.com'), 'http://api.example.com/'), undefined);
    assert.equal(via(env('*.example.com'), 'http://api.example.com/'), undefined);
    assert.equal(via(env('localhost:8080'), 'http://localhost:8080/'), undefined);
    assert.equal(via(env('localhost:8080'), 'http://localhost:9090/'), 'http://p:3128');
    assert.equal(via(env('example.com:443'), 'https://example.com/'), undefined);
    assert.equal(via(env('::1'), 'http://[::1]:80/'), undefined);
    assert.equal(via(env('[::1]:8080'), 'http://[::1]:8080/'), undefined);
    assert.equal(via(env('a.test, b.test  c.test'), 'http://c.test/'), undefined);
    assert.equal(via(env('*'), 'https://anything.test/'), undefined);
    assert.equal(via({ ...env(''), no_proxy: 'Example.COM' }, 'http://EXAMPLE.com/'), undefined);
  });

  it('--proxy wins over the variables (NO_PROXY still applies); --no-proxy turns them off', () => {
    assert.equal(via({ HTTP_PROXY: 'http://h:1' }, 'https://a.test', { proxy: 'http://flag:9' }), 'http://flag:9');
    assert.equal(via({ NO_PROXY: 'a.test' }, 'https://a.test', { proxy: 'http://flag:9' }), undefined);
    assert.equal(via({ HTTP_PROXY: 'http://h:1' }, 'http://a.test', { noProxy: true }), undefined);
  });

  it('a proxy URL without a scheme is http://, as for curl; others are refused with the source named', () => {
    assert.equal(proxyRoute('proxy.corp:3128', 'HTTP_PROXY').display, 'http://proxy.corp:3128');
    assert.throws(() => proxyRoute('socks5://p:1080', 'HTTPS_PROXY'), /HTTPS_PROXY: proxies of type socks5 are not supported/);
    assert.throws(() => proxyRoute('http://[bad', '--proxy'), /--proxy is not a proxy URL/);
  });

  it('credentials: shown nowhere in `display`, given (decoded) to the redactor', () => {
    const route = proxyRoute('http://bot:p%40ss%3Aw0rd@proxy:3128', 'HTTPS_PROXY');
    assert.equal(route.display, 'http://proxy:3128');
    assert.equal(route.hasCredentials, true);
    assert.deepEqual(proxySecrets(route), ['p@ss:w0rd', 'bot:p@ss:w0rd']);
    assert.deepEqual(proxySecrets(proxyRoute('http://t0ken-only@proxy:3128', 'x')), ['t0ken-only']);
  });
});
