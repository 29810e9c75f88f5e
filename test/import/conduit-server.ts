/**
 * A small in-memory Conduit (RealWorld) API on 127.0.0.1:0, answering the requests of the
 * RealWorld Postman collection and the operations of its OpenAPI description, so imported
 * notebooks run against a real server over real sockets. `broken: true` drops fields the
 * collection checks, to prove the imported checks fail on a wrong response.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface User { email: string; username: string; password: string; bio: string; image: string; token: string; following: Set<string> }
interface Article { slug: string; title: string; description: string; body: string; tagList: string[]; createdAt: string; updatedAt: string; author: string; favoritedBy: Set<string> }
interface Comment { id: number; body: string; createdAt: string; updatedAt: string; author: string; slug: string }

export async function startConduit(options: { broken?: boolean } = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const users = new Map<string, User>();
  const articles = new Map<string, Article>();
  const comments: Comment[] = [];
  let nextComment = 1;
  const now = () => new Date().toISOString();
  const userJson = (u: User) => ({ email: u.email, username: u.username, bio: u.bio, image: u.image, token: u.token });
  const profile = (name: string, viewer?: User) => {
    const u = users.get(name)!;
    return { username: u.username, bio: u.bio, image: u.image, following: viewer?.following.has(name) ?? false };
  };
  const articleJson = (a: Article, viewer?: User) => {
    const out: Record<string, unknown> = {
      slug: a.slug, title: a.title, description: a.description, body: a.body, tagList: [...a.tagList].sort(), createdAt: a.createdAt, updatedAt: a.updatedAt,
      favorited: viewer ? a.favoritedBy.has(viewer.username) : false, favoritesCount: a.favoritedBy.size, author: profile(a.author, viewer),
    };
    if (options.broken) delete out.favoritesCount;
    return out;
  };
  const commentJson = (c: Comment, viewer?: User) => ({ id: c.id, body: c.body, createdAt: c.createdAt, updatedAt: c.updatedAt, author: profile(c.author, viewer) });

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString();
    let body: any = {};
    try { body = text ? JSON.parse(text) : {}; } catch { return send(res, 422, { errors: { body: ['is not JSON'] } }); }
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/^\/api/, '');
    const token = /^Token (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const viewer = [...users.values()].find((u) => u.token === token);
    // As the description says: a 401 has no body.
    const needAuth = () => (viewer ? false : (send(res, 401), true));
    const m = (re: RegExp) => re.exec(path);
    let k: RegExpExecArray | null;
    if (req.method === 'POST' && path === '/users') {
      const u = body.user ?? {};
      if (!u.username || !u.email || !u.password) return send(res, 422, { errors: { body: ["user can't be blank"] } });
      if (users.has(u.username) || [...users.values()].some((x) => x.email === u.email)) return send(res, 422, { errors: { body: ['username or email has already been taken'] } });
      const user: User = { email: u.email, username: u.username, password: u.password, bio: '', image: '', token: `tok-${u.username}-${Math.random().toString(36).slice(2)}`, following: new Set() };
      users.set(user.username, user);
      return send(res, 201, { user: userJson(user) });
    }
    if (req.method === 'POST' && path === '/users/login') {
      const user = [...users.values()].find((u) => u.email === body.user?.email && u.password === body.user?.password);
      return user ? send(res, 200, { user: userJson(user) }) : send(res, 401);
    }
    if (path === '/user') {
      if (needAuth()) return;
      if (req.method === 'PUT') Object.assign(viewer!, Object.fromEntries(Object.entries(body.user ?? {}).filter(([key]) => ['email', 'bio', 'image'].includes(key))));
      return send(res, 200, { user: userJson(viewer!) });
    }
    if ((k = m(/^\/profiles\/([^/]+)(\/follow)?$/))) {
      const name = decodeURIComponent(k[1]!);
      if (!users.has(name)) return send(res, 404, { errors: { profile: ['not found'] } });
      if (k[2]) {
        if (needAuth()) return;
        if (req.method === 'POST') viewer!.following.add(name);
        else viewer!.following.delete(name);
      }
      return send(res, 200, { profile: profile(name, viewer) });
    }
    if (req.method === 'GET' && (path === '/articles' || path === '/articles/feed')) {
      if (path === '/articles/feed' && needAuth()) return;
      let list = [...articles.values()].reverse();
      if (path === '/articles/feed') list = list.filter((a) => viewer!.following.has(a.author));
      const q = url.searchParams;
      if (q.get('author')) list = list.filter((a) => a.author === q.get('author'));
      if (q.get('tag')) list = list.filter((a) => a.tagList.includes(q.get('tag')!));
      if (q.get('favorited')) list = list.filter((a) => a.favoritedBy.has(q.get('favorited')!));
      return send(res, 200, { articles: list.map((a) => articleJson(a, viewer)), articlesCount: list.length });
    }
    if (req.method === 'POST' && path === '/articles') {
      if (needAuth()) return;
      const a = body.article ?? {};
      const slug = `${String(a.title ?? 'untitled').toLowerCase().replace(/\W+/g, '-')}-${articles.size + 1}`;
      const article: Article = { slug, title: a.title, description: a.description, body: a.body, tagList: a.tagList ?? [], createdAt: now(), updatedAt: now(), author: viewer!.username, favoritedBy: new Set() };
      articles.set(slug, article);
      return send(res, 201, { article: articleJson(article, viewer) });
    }
    if ((k = m(/^\/articles\/([^/]+)(\/favorite|\/comments(?:\/(\d+))?)?$/))) {
      const article = articles.get(decodeURIComponent(k[1]!));
      if (!article) return send(res, 404, { errors: { article: ['not found'] } });
      if (k[2] === '/favorite') {
        if (needAuth()) return;
        if (req.method === 'POST') article.favoritedBy.add(viewer!.username);
        else article.favoritedBy.delete(viewer!.username);
        return send(res, 200, { article: articleJson(article, viewer) });
      }
      if (k[2]?.startsWith('/comments')) {
        if (req.method === 'GET') return send(res, 200, { comments: comments.filter((c) => c.slug === article.slug).map((c) => commentJson(c, viewer)) });
        if (needAuth()) return;
        if (req.method === 'POST') {
          const c: Comment = { id: nextComment++, body: body.comment?.body, createdAt: now(), updatedAt: now(), author: viewer!.username, slug: article.slug };
          comments.push(c);
          return send(res, 200, { comment: commentJson(c, viewer) });
        }
        const i = comments.findIndex((c) => c.id === Number(k![3]));
        if (i < 0) return send(res, 404, { errors: { comment: ['not found'] } });
        comments.splice(i, 1);
        return send(res, 204);
      }
      if (req.method === 'GET') return send(res, 200, { article: articleJson(article, viewer) });
      if (needAuth()) return;
      if (req.method === 'PUT') {
        Object.assign(article, Object.fromEntries(Object.entries(body.article ?? {}).filter(([key]) => ['title', 'description', 'body'].includes(key))), { updatedAt: now() });
        return send(res, 200, { article: articleJson(article, viewer) });
      }
      if (req.method === 'DELETE') {
        articles.delete(article.slug);
        return send(res, 204);
      }
    }
    if (req.method === 'GET' && path === '/tags') return send(res, 200, { tags: [...new Set([...articles.values()].flatMap((a) => a.tagList))] });
    return send(res, 404, { errors: { path: [`${req.method} ${path} is not served`] } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api`, close: () => new Promise((r) => server.close(() => r())) };
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}
