// The portal's only script: the sign-in handoff post, the idle-timeout activity report, and links that work while
// the circuit connects.
window.kitashin = (() => {
  const activityEvents = ['pointerdown', 'keydown', 'wheel', 'touchstart'];
  let stopWatching = null;
  let circuitLive = false;

  // Until the circuit has drawn the page, Blazor would take a link click as an in-page navigation that nobody answers
  // (a circuit started for the old address draws the old page back at the new one): load the page in full instead.
  // Capture on window runs before Blazor's own listeners, which stopPropagation then keeps out.
  window.addEventListener('click', event => {
    if (circuitLive || event.defaultPrevented || event.button !== 0
      || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (!(link instanceof HTMLAnchorElement) || link.hasAttribute('download')
      || (link.target && link.target !== '_self')) return;
    const url = new URL(link.href);
    if (url.origin !== location.origin) return;
    if (url.hash && url.pathname === location.pathname && url.search === location.search) return; // same-page anchor
    event.preventDefault();
    event.stopPropagation();
    location.assign(url.href);
  }, { capture: true });

  return {
    // Posts the single-use sign-in ticket (never a password) to the cookie endpoint.
    postSignIn(form, ticket) {
      form.elements['ticket'].value = ticket;
      form.submit();
    },

    // Tells the server the customer is active, at most every 10 s; the server decides about timeouts.
    watchActivity(dotnet) {
      stopWatching?.();
      let last = 0;
      const report = () => {
        const now = Date.now();
        if (now - last < 10000) return;
        last = now;
        dotnet.invokeMethodAsync('ReportActivity').catch(() => { });
      };
      activityEvents.forEach(e => document.addEventListener(e, report, { capture: true, passive: true }));
      stopWatching = () => activityEvents.forEach(e => document.removeEventListener(e, report, { capture: true }));
    },

    // Called by the layout on its first interactive render, after the router has taken over link clicks.
    markCircuitLive() {
      circuitLive = true;
    },

    unwatchActivity() {
      stopWatching?.();
      stopWatching = null;
    },
  };
})();
