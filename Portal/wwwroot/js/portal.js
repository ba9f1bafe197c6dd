// The portal's only script: the sign-in handoff post and the idle-timeout activity report.
window.kitashin = (() => {
  const activityEvents = ['pointerdown', 'keydown', 'wheel', 'touchstart'];
  let stopWatching = null;

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

    unwatchActivity() {
      stopWatching?.();
      stopWatching = null;
    },
  };
})();
