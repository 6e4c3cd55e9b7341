/**
 * Debian's Chromium driven by playwright-core, plus what every browser test checks: console errors,
 * page errors and Content-Security-Policy violations (recorded by a listener CDP installs before any page
 * script, so the page's CSP does not apply to it), axe-core's serious and critical findings, screenshots.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.HOOKLINE_CHROMIUM ?? "/usr/bin/chromium";
export const available = existsSync(CHROMIUM);
if (!available && process.env.CI)
  throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium) or set HOOKLINE_CHROMIUM.`);

const REVIEWED_SCREENSHOTS = fileURLToPath(new URL("../../screenshots/", import.meta.url));
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}

export interface Watched {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught errors seen so far. */
  problems: string[];
  /** API answers of 400 and above the page received ("404 GET /v1/events/evt_1"). */
  httpErrors: string[];
}

export async function openPage(browser: Browser, options: { width?: number; height?: number; timezoneId?: string } = {}): Promise<Watched> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    timezoneId: options.timezoneId ?? "Pacific/Auckland",
    locale: "en-NZ",
  });
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const httpErrors: string[] = [];
  page.on("console", (m) => {
    // Chromium logs every 4xx answer as a failed resource; those are in httpErrors, with their URL.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400) httpErrors.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}${new URL(r.url()).search}`);
  });
  return { page, context, problems, httpErrors };
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
}

/** axe-core findings of impact serious or critical on the current page (injected over CDP: the page CSP does not apply). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(ctx: Document): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.join(", ")}`);
}

/** Every run takes the screenshot; HOOKLINE_UPDATE_SCREENSHOTS=1 writes it to screenshots/ for review (else a temp folder). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.HOOKLINE_UPDATE_SCREENSHOTS === "1" ? REVIEWED_SCREENSHOTS : join(tmpdir(), "hookline-dashboard-screenshots");
  mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, origin: string, credential: string): Promise<void> {
  await page.goto(`${origin}/ui/`);
  await page.locator("#credential").fill(credential);
  await page.locator("#credential").press("Enter");
  await page.locator("#nav a[aria-current=page]").waitFor();
}

/** What the browser keeps for the site: sessionStorage and localStorage entries, and cookies. */
export async function storedState(
  page: Page,
): Promise<{ session: Record<string, string>; local: Record<string, string>; cookies: number }> {
  const storage = await page.evaluate(() => ({
    session: Object.fromEntries(Object.keys(sessionStorage).map((k) => [k, sessionStorage.getItem(k) ?? ""])),
    local: Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k) ?? ""])),
  }));
  return { ...storage, cookies: (await page.context().cookies()).length };
}
