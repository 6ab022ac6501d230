/** Chromium (Debian's, never a downloaded build) driven by playwright-core, with axe and keyboard helpers. */
import AxeBuilder from '@axe-core/playwright';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

// Evaluated in the page (these tests are type-checked without the DOM library).
declare const document: { activeElement: unknown };

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
