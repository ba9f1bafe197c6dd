// Offline support: registers the service worker and tells it which files to keep.
// A file rather than inline code so the page can run under a CSP of script-src 'self'.
// Nothing happens until the app asks: before the customer answers 「はい」 the app makes no requests.
(function () {
    'use strict';

    var supported = 'serviceWorker' in navigator;
    var registered = null;

    // Blazor downloads many files at start-up; keep every timing entry so none is missing from the list below.
    if (supported && performance.setResourceTimingBufferSize) {
        performance.setResourceTimingBufferSize(1000);
    }

    function register() {
        if (!registered) {
            // Base href is /token/, so this is /token/service-worker.js.
            registered = navigator.serviceWorker
                .register('service-worker.js', { scope: '/token/', updateViaCache: 'none' })
                .then(function () { return navigator.serviceWorker.ready; });
        }
        return registered;
    }

    // The runtime files were downloaded before the worker controlled the page, so it never saw them:
    // hand it their URLs (and the page's own) and wait until it has stored them.
    function storeLoadedFiles(registration) {
        return new Promise(function (resolve) {
            var urls = performance.getEntriesByType('resource').map(function (e) { return e.name; });
            urls.push(document.baseURI);
            var channel = new MessageChannel();
            channel.port1.onmessage = function () { resolve(true); };
            registration.active.postMessage({ type: 'cache-urls', urls: urls }, [channel.port2]);
        });
    }

    window.kitashinToken = {
        // Starts offline support without waiting for it.
        enableOffline: function () {
            if (supported) {
                register().then(storeLoadedFiles).catch(function (e) { console.warn('offline support unavailable', e); });
            }
        },

        // Resolves true once every file this page loaded is stored for offline use (false on time-out / no support).
        whenOfflineReady: function (timeoutMs) {
            if (!supported) {
                return Promise.resolve(false);
            }
            var timeout = new Promise(function (resolve) { setTimeout(function () { resolve(false); }, timeoutMs); });
            var stored = register().then(storeLoadedFiles).catch(function () { return false; });
            return Promise.race([stored, timeout]);
        }
    };
})();
