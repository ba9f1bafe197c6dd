// Offline support for the token app. The same file runs for `dotnet build` and for a publish.
//  - Pages (navigations) and files without a content hash in their name (index, blazor.webassembly.js,
//    dotnet.js which carries the boot manifest, css, js, icons): network first, cache as fallback.
//    Network first keeps the boot manifest in step with the runtime files it lists (it checks their integrity).
//  - Files with a content hash in their name (_framework/*.{hash}.wasm etc.) never change: cache first.
//  - Only GETs under this worker's scope (/token/) are handled; the API (/api/...) is never cached.

const CACHE = 'kitashin-token-v1';
const BASE = new URL(self.registration.scope).pathname; // '/token/'
const INDEX = BASE;

// Blazor's fingerprint: name.{10 lowercase letters/digits}.ext (optionally pre-compressed).
const FINGERPRINTED = /\.[a-z0-9]{10}\.[a-z]+(\.(br|gz))?$/;

self.addEventListener('install', () => {
    self.skipWaiting();
});

self.addEventListener('activate', (event) => {
    event.waitUntil((async () => {
        const names = await caches.keys();
        await Promise.all(names
            .filter((name) => name.startsWith('kitashin-token-') && name !== CACHE)
            .map((name) => caches.delete(name)));
        await self.clients.claim();
    })());
});

self.addEventListener('fetch', (event) => {
    const request = event.request;
    if (request.method !== 'GET') {
        return;
    }
    const url = new URL(request.url);
    if (!inScope(url)) {
        return;
    }
    if (request.mode === 'navigate') {
        event.respondWith(navigate(request, url));
    } else if (FINGERPRINTED.test(url.pathname)) {
        event.respondWith(cacheFirst(request));
    } else {
        event.respondWith(networkFirst(request));
    }
});

// The page sends the URLs it loaded before this worker controlled it, and a port to hear when they are stored.
self.addEventListener('message', (event) => {
    if (event.data && event.data.type === 'cache-urls' && Array.isArray(event.data.urls)) {
        const port = event.ports && event.ports[0];
        event.waitUntil(storeMissing(event.data.urls)
            .catch(() => { })
            .then(() => { if (port) { port.postMessage('stored'); } }));
    }
});

function inScope(url) {
    return url.origin === self.location.origin
        && url.pathname.startsWith(BASE)
        && !url.pathname.includes('/api/');
}

// Only full, same-origin 200 responses: Blazor checks the integrity of what it gets back.
function cacheable(response) {
    return response && response.status === 200 && response.type === 'basic' && !response.redirected;
}

async function navigate(request, url) {
    const cache = await caches.open(CACHE);
    // Every visit to the app's page (with or without ?code=) is the same index.html.
    const isIndex = url.pathname === BASE || url.pathname === BASE + 'index.html';
    try {
        const response = await fetch(request);
        if (cacheable(response)) {
            await cache.put(isIndex ? INDEX : request, response.clone());
        }
        return response;
    } catch (e) {
        const cached = isIndex
            ? await cache.match(INDEX)
            : await cache.match(request, { ignoreSearch: true, ignoreVary: true });
        return cached || (await cache.match(INDEX)) || Response.error();
    }
}

async function networkFirst(request) {
    const cache = await caches.open(CACHE);
    try {
        const response = await fetch(request);
        if (cacheable(response)) {
            await cache.put(request, response.clone());
        }
        return response;
    } catch (e) {
        const cached = await cache.match(request, { ignoreVary: true });
        if (cached) {
            return cached;
        }
        throw e;
    }
}

async function cacheFirst(request) {
    const cache = await caches.open(CACHE);
    const cached = await cache.match(request, { ignoreVary: true });
    if (cached) {
        return cached;
    }
    const response = await fetch(request);
    if (cacheable(response)) {
        await cache.put(request, response.clone());
    }
    return response;
}

async function storeMissing(urls) {
    const cache = await caches.open(CACHE);
    const wanted = new Set();
    for (const raw of urls) {
        let url;
        try {
            url = new URL(raw, self.location.href);
        } catch (e) {
            continue;
        }
        if (inScope(url)) {
            url.hash = '';
            // The page's own URL may carry ?code=; it is stored as the plain index.
            wanted.add(url.pathname === BASE || url.pathname === BASE + 'index.html' ? new URL(INDEX, url).href : url.href);
        }
    }
    await Promise.all([...wanted].map(async (href) => {
        if (await cache.match(href, { ignoreVary: true })) {
            return;
        }
        try {
            const response = await fetch(href);
            if (cacheable(response)) {
                await cache.put(href, response);
            }
        } catch (e) {
            // Offline right now: the next visit will try again.
        }
    }));
    await dropOldRuntimeFiles(cache, wanted);
}

// After an update the old fingerprinted runtime files are never asked for again; drop them so the
// cache does not grow with every release. Only runs when the list clearly is a complete start-up.
async function dropOldRuntimeFiles(cache, wanted) {
    const framework = BASE + '_framework/';
    const inUse = [...wanted].filter((href) => new URL(href).pathname.startsWith(framework));
    if (!inUse.some((href) => /dotnet\.native\.[a-z0-9]{10}\.wasm$/.test(href))) {
        return;
    }
    for (const request of await cache.keys()) {
        const url = new URL(request.url);
        if (url.pathname.startsWith(framework) && FINGERPRINTED.test(url.pathname) && !wanted.has(url.href)) {
            await cache.delete(request);
        }
    }
}
