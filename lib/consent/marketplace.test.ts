import { describe, expect, it } from 'vitest';
import { AMAZON_STORE_DOMAINS, isAmazonOrderSource, isAmazonRelayEmail, isSellerOwnSource } from './marketplace';

describe('isAmazonRelayEmail', () => {
  it.each(AMAZON_STORE_DOMAINS.map((d) => [`k3v8x1z0q2w9f7m@marketplace.amazon.${d}`]))('%s is a relay address', (email) => {
    expect(isAmazonRelayEmail(email)).toBe(true);
  });

  it.each([
    ['upper case, as some exports write it', 'K3V8X1Z0Q2W9F7M@MARKETPLACE.AMAZON.DE', true],
    ['mixed case', 'q1w2e3r4t5y6u7@Marketplace.Amazon.Co.Uk', true],
    ['a subdomain of the relay domain', 'q1w2e3r4t5y6u7@eu.marketplace.amazon.fr', true],
    ['two subdomains', 'q1w2e3r4t5y6u7@a.b.marketplace.amazon.com', true],
    ['Belgium', 'x@marketplace.amazon.com.be', true],
    ['Sweden', 'x@marketplace.amazon.se', true],
    ['Poland', 'x@marketplace.amazon.pl', true],
    ["Amazon's own domain is not a relay", 'kontakt@amazon.de', false],
    ['a look-alike under another domain', 'x@marketplace.amazon.de.example.com', false],
    ['a look-alike without the dot', 'x@marketplaceamazon.de', false],
    ['a look-alike label', 'x@notmarketplace.amazon.de', false],
    ['marketplace in the local part only', 'marketplace.amazon.de@gmail.com', false],
    ['an unknown Amazon store', 'x@marketplace.amazon.xyz', false],
    ['a shop on amazon.de seller subdomain', 'x@sellers.amazon.de', false],
    ['a German customer', 'anna.schmidt@web.de', false],
    ['a Polish customer', 'jan.kowalski@wp.pl', false],
    ['empty', '', false],
  ])('%s: %s -> %s', (_case, email, expected) => {
    expect(isAmazonRelayEmail(email)).toBe(expected);
  });

  it('is false for no address', () => expect(isAmazonRelayEmail(null)).toBe(false));
});

describe('isAmazonOrderSource', () => {
  it.each([
    ['Amazon', true],
    ['amazon.de order', true],
    ['Amazon.de Bestellung', true],
    ['AMZ', true],
    ['Seller Central', true],
    ['FBA', true],
    ['Amazon FBA DE', true],
    ['AFN', true],
    ['Amazon Bestellung', true],
    ['zamówienie Amazon', true],
    ['Zamówienie z Amazon.pl', true],
    ['commande Amazon.fr', true],
    ['amazon_de', true],
    ['Shopify', false],
    ['Sklep internetowy', false],
    ['Webshop', false],
    ['Allegro', false],
    ['eBay', false],
    ['Amazonas-Straße Filiale', false],
    ['Zamazon GmbH', false],
    ['', false],
  ])('%s -> %s', (value, expected) => {
    expect(isAmazonOrderSource(value)).toBe(expected);
  });
});

describe('isSellerOwnSource', () => {
  it.each([
    ['web_form', true],
    ['checkout', true],
    ['support_call', true],
    ['paper_form', true],
    ['import', false],
    ['suppression', false],
    ['whatsapp_keyword', false],
    ['whatsapp_setting', false],
  ])('%s -> %s', (source, expected) => expect(isSellerOwnSource(source)).toBe(expected));
});
