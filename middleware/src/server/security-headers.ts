import helmet from 'helmet';

/**
 * Security headers of the pages (helmet). The pages load only their own scripts and styles; the
 * report's chart and table carry inline style attributes and an SVG <style>, hence 'unsafe-inline'
 * for styles only. Nothing may frame the pages (clickjacking). Links leave no path behind
 * (strict-origin-when-cross-origin keeps the demo's same-site referrers for the snippet).
 * HSTS and upgrade-insecure-requests are left to the TLS proxy: serve itself speaks plain HTTP.
 * Not mounted on /t.js and /collect, which customers' sites load cross-origin.
 */
export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: false,
  });
}
