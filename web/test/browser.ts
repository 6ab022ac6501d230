/** Chromium (Debian's, never a downloaded build) driven by playwright-core, with axe and keyboard helpers. */
import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

// Evaluated in the page (these tests are type-checked without the DOM library).
interface FocusTarget {
  tagName: string;
  outerHTML: string;
  getBoundingClientRect(): { width: number; height: number };
}
declare const document: { activeElement: FocusTarget | null; body: FocusTarget };
declare const window: { getComputedStyle(el: FocusTarget): { visibility: string } };

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export function launchChromium(): Promise<Browser> {
  // playwright-core gives every launch an empty temporary --user-data-dir of its own.
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** Screenshots of every page, numbered in visiting order, in a folder named by the test. */
export class Shots {
  private n = 0;
  constructor(readonly dir: string) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
  }
  async take(page: Page, name: string): Promise<void> {
    this.n += 1;
    await page.screenshot({ path: path.join(this.dir, `${String(this.n).padStart(2, '0')}-${name}.png`), fullPage: true });
  }
}

export interface AxeFinding {
  page: string;
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** Runs axe (WCAG 2.x A/AA rules) on the page; answers its serious and critical violations. */
export async function axe(page: Page, name: string): Promise<AxeFinding[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ page: name, id: v.id, impact: v.impact!, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** Presses Tab (from wherever focus is) until `target` has focus: proves it is reachable by keyboard. */
export async function tabTo(page: Page, target: Locator, maxTabs = 60): Promise<void> {
  for (let i = 0; i < maxTabs; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${target} with ${maxTabs} presses of Tab`);
}

/**
 * Walks the page with Tab alone, from the top: every element that takes focus must be visible
 * (nothing focusable hides off-screen), and focus must keep moving until it leaves the page or comes
 * back round (no trap; a composite control such as a video player or a date input may hold focus for a
 * few presses while Tab moves through its own parts). Answers the problems found, as axe-like findings.
 */
export async function keyboardWalk(page: Page, name: string, maxTabs = 150): Promise<AxeFinding[]> {
  await page.mouse.click(1, 1); // focus starts at the document, as after a load
  await page.evaluate(() => (document.activeElement as unknown as { blur?: () => void } | null)?.blur?.());
  const found: AxeFinding[] = [];
  const order: number[] = [];
  let stuck = 0;
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement as (FocusTarget & { __walkId?: number }) | null;
      if (!a || a === document.body) return null;
      const counter = document as unknown as { __walkNext?: number };
      a.__walkId ??= counter.__walkNext = (counter.__walkNext ?? 0) + 1;
      const r = a.getBoundingClientRect();
      return { id: a.__walkId, html: a.outerHTML.slice(0, 120), visible: r.width > 0 && r.height > 0 && window.getComputedStyle(a).visibility !== 'hidden' };
    });
    if (!el) break; // focus left the page: the walk is complete
    if (order.length > 1 && order[0] === el.id) break; // came back round
    if (order[order.length - 1] === el.id) {
      if (++stuck > 12) {
        found.push({ page: name, id: 'keyboard-trap', impact: 'critical', help: 'Tab did not move focus on', targets: [el.html] });
        break;
      }
      continue;
    }
    stuck = 0;
    if (!el.visible) found.push({ page: name, id: 'focus-invisible', impact: 'serious', help: 'A focused element is not visible', targets: [el.html] });
    order.push(el.id);
  }
  if (order.length === 0) found.push({ page: name, id: 'nothing-focusable', impact: 'serious', help: 'Tab reached nothing on the page', targets: [] });
  return found;
}
