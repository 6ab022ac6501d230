import { mailboxListPage, wantsHtml } from './mailbox-html';

describe('mailbox pages', () => {
  it('serves HTML only to clients that prefer it', () => {
    expect(wantsHtml('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe(true);
    expect(wantsHtml('application/json')).toBe(false);
    expect(wantsHtml('application/json, text/html')).toBe(false);
    expect(wantsHtml(undefined)).toBe(false);
    expect(wantsHtml('*/*')).toBe(false);
  });

  it('escapes what messages say', () => {
    const page = mailboxListPage([{ id: 'm1', to: 'a@example.com', subject: '<script>x</script>', text: '', html: '', sentAt: '2026-11-30T10:00:00.000Z' }], undefined);
    expect(page).not.toContain('<script>x');
    expect(page).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(page).toContain('2026-11-30 10:00:00 UTC');
  });
});
