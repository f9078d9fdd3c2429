// Tells the service worker which AWS account and user the page shows, so a new security key or
// TOTP entry is labelled with them. Isolated world, top frame only; reads text, never fills.
(() => {
  'use strict';
  const ACCOUNT_RE = /\b(?:Account(?:\s+ID)?|account)\s*[:#]?\s*(\d{4}-?\d{4}-?\d{4})\b/;
  // Every partition: arn:aws:, arn:aws-us-gov:, arn:aws-cn:, arn:aws-eusc:.
  const ARN_RE = /\barn:aws(?:-us-gov|-cn|-eusc)?:iam::(\d{12}):(?:user|mfa|u2f\/user)\/([\w+=,.@\/-]+)/;
  const BREADCRUMB_USER_RE = /\bUsers\s*[>›/»]?\s*([\w+=,.@-]{1,64})\b/;

  function breadcrumbUser() {
    for (const el of document.querySelectorAll('nav[aria-label*="readcrumb" i], [class*="breadcrumb" i], [data-testid*="breadcrumb" i]')) {
      const m = el.textContent.replace(/\s+/g, ' ').match(BREADCRUMB_USER_RE);
      if (m) return m[1];
    }
    return null;
  }

  function textOf(selector) {
    const el = document.querySelector(selector);
    return el ? el.textContent.trim() : null;
  }

  function awsContext() {
    const text = document.body ? document.body.innerText : '';
    const arn = text.match(ARN_RE);
    const account = text.match(ACCOUNT_RE);
    return {
      account: (account && account[1].replace(/-/g, '')) || (arn && arn[1]) ||
        textOf('[data-testid="account-id"], #account, [data-aws-account]') || null,
      user: textOf('[data-testid="user-name"], [data-aws-user], #username') || breadcrumbUser() ||
        (arn && arn[2].split('/').pop()) || null,
      arn: arn ? arn[0] : null,
    };
  }

  chrome.runtime.onMessage.addListener((message, _sender, sendResponse) => {
    if (message && message.type === 'softkey.awsContext') sendResponse(awsContext());
  });
})();
