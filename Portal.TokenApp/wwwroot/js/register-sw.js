// Registers the offline service worker. A file rather than inline code so the page can run under
// a CSP of script-src 'self'.
(function () {
    'use strict';

    if (!('serviceWorker' in navigator)) {
        window.kitashinToken = { cacheLoadedResources: function () { } };
        return;
    }

    // Blazor downloads many files at start-up; keep every timing entry so none is missing from the list below.
    if (performance.setResourceTimingBufferSize) {
        performance.setResourceTimingBufferSize(1000);
    }

    // Base href is /token/, so this is /token/service-worker.js.
    navigator.serviceWorker.register('service-worker.js', { scope: '/token/', updateViaCache: 'none' })
        .catch(function (e) { console.warn('service worker registration failed', e); });

    window.kitashinToken = {
        // Called by the app after its first render. On the very first visit the runtime files were
        // downloaded before the worker took control, so the worker never saw them: hand it their URLs
        // (and the page's own) so it can store them for offline use.
        cacheLoadedResources: function () {
            navigator.serviceWorker.ready.then(function (registration) {
                var urls = performance.getEntriesByType('resource').map(function (e) { return e.name; });
                urls.push(document.baseURI);
                if (registration.active) {
                    registration.active.postMessage({ type: 'cache-urls', urls: urls });
                }
            });
        }
    };
})();
