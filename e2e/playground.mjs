#!/usr/bin/env node
// Talk to a bot through a real Microsoft Teams client: the Microsoft 365 Agents Playground,
// its web UI driven by headless Chromium (Debian's /usr/bin/chromium) with playwright-core.
//
//   node e2e/playground.mjs --endpoint http://127.0.0.1:3978/api/messages \
//     --say help --say "Three people called out tonight..." --click Save [--screenshots DIR]
//
// Steps run in the order given: --say TEXT types TEXT in the 1:1 chat and presses Enter; --click
// LABEL presses the button LABEL on the newest bot card that has one. Prints a JSON transcript of
// what the chat showed (texts, card texts and buttons, the notice under a clicked card) on stdout
// and exits 0; on any failure or timeout, prints one clear line (and the chat so far) on stderr
// and exits 1. Nothing needs the network: the Playground runs with telemetry off, Chromium
// resolves no host name but the loopback, and the page may load only from 127.0.0.1 (its web
// fonts come from a CDN and are refused; the transcript lists such hosts as refused_hosts).
//
// How a step knows the bot is done, without sleeping: the Playground's log panel (part of its UI)
// shows "Microsoft 365 Agents Playground -> User Application message 200" once the bot has
// answered the HTTP request of a turn, and the Teams SDK answers only after the turn's handlers
// finished sending. Each reply the bot posted was logged as the Playground accepted it
// ("User Application -> Microsoft 365 Agents Playground message 201"), so it is in the panel by
// then; the step then waits until the chat shows that many new bot messages. A card button
// (Action.Execute) is done when the Playground shows its notice bar under the clicked card, which
// it does once the bot's invoke response arrived, right after putting a refreshed card in place.

import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const require = createRequire(import.meta.url);

const USAGE = `usage: node e2e/playground.mjs --endpoint URL [--say TEXT | --click LABEL]...
  [--timeout SECONDS] [--screenshots DIR] [--chromium PATH]`;
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-quic",
  "--no-first-run",
  "--disable-sync",
  // Chromium still looks up a few Google hosts at start (accounts, updates): resolve nothing but
  // the loopback, so not even a DNS query leaves the machine.
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
];
// "[3:46:32 AM] Microsoft 365 Agents Playground -> User Application message 200 help": who sent
// the request, the activity type, the HTTP status of the answer and the activity's text.
const LOG_LINE = /(Microsoft 365 Agents Playground|User Application) -> .+? (\S+) (\d{3})\b ?(.*)$/;

class Failure extends Error {}

function fail(message) {
  throw new Failure(message);
}

function options(argv) {
  const { values, tokens } = parseArgs({
    args: argv,
    tokens: true,
    options: {
      endpoint: { type: "string" },
      say: { type: "string", multiple: true },
      click: { type: "string", multiple: true },
      timeout: { type: "string", default: "90" },
      screenshots: { type: "string" },
      chromium: { type: "string", default: process.env.CHROMIUM_PATH || "/usr/bin/chromium" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (!values.endpoint) fail(`--endpoint is required\n${USAGE}`);
  let endpoint;
  try {
    endpoint = new URL(values.endpoint);
  } catch {
    fail(`--endpoint is not a URL: ${values.endpoint}`);
  }
  const timeout = Number(values.timeout);
  if (!(timeout > 0)) fail(`--timeout must be a positive number of seconds: ${values.timeout}`);
  // parseArgs keeps each option's occurrences; the tokens keep their order across options.
  const steps = tokens
    .filter((token) => token.kind === "option" && ["say", "click"].includes(token.name))
    .map((token) => ({ [token.name]: token.value }));
  return { ...values, endpoint: endpoint.href, timeoutMs: timeout * 1000, steps };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The Playground's server, a child process, and what it printed. */
class Playground {
  constructor(endpoint, port, workdir) {
    this.output = "";
    this.exited = null;
    const cli = require.resolve("@microsoft/m365agentsplayground/cli.js");
    const args = [cli, "-e", endpoint, "-c", "msteams", "--port", String(port)];
    // Replies go to the serviceUrl of each activity: name the IPv4 loopback, not "localhost".
    args.push("--service-url", `http://127.0.0.1:${port}/_connector`, "--disable-telemetry");
    // It writes devTools/m365agentsplayground.log into its working folder: a temporary one.
    this.child = spawn(process.execPath, args, {
      cwd: workdir,
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: "none",
        // --disable-telemetry stops its events, but the Application Insights client it creates
        // anyway still sends "statsbeat" (and probes Azure's metadata address) unless told not to.
        APPLICATION_INSIGHTS_NO_STATSBEAT: "true",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.listening = new Promise((resolve, reject) => {
      const onData = (chunk) => {
        this.output += chunk;
        const match = /Listening on (\d+)/.exec(this.output);
        if (match) resolve(Number(match[1]));
      };
      this.child.stdout.setEncoding("utf8").on("data", onData);
      this.child.stderr.setEncoding("utf8").on("data", onData);
      this.child.on("error", (error) => {
        reject(new Failure(`cannot start the Playground: ${error}`));
      });
      this.child.on("exit", (code, signal) => {
        this.exited = signal ?? code;
        reject(new Failure(`the Playground exited (${this.exited}) too early:\n${this.tail()}`));
      });
    });
  }

  tail() {
    return this.output.trim().split("\n").slice(-15).join("\n");
  }

  async stop() {
    if (this.exited !== null || this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill("SIGTERM");
    const killer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(killer);
  }
}

// ---- What the page shows (these functions run inside the page) ----

/** Every chat message, oldest first: who wrote it, its text, its cards and any notice bar. */
function readChat() {
  const clean = (text) =>
    (text || "")
      .replace(/\u00a0/g, " ")
      .split("\n")
      .map((line) => line.replace(/\s+/g, " ").trim())
      .filter(Boolean)
      .join("\n");
  const visible = (element) => element.getClientRects().length > 0;
  const readCard = (card) => {
    const texts = [...card.querySelectorAll(".ac-textBlock, .ac-richTextBlock")]
      .filter(visible)
      .map((element) => clean(element.innerText))
      .filter(Boolean);
    const facts = [...card.querySelectorAll(".ac-factset tr")]
      .filter(visible)
      .map((row) => clean(row.innerText).replace("\n", " "));
    const buttons = [...card.querySelectorAll("button")]
      .filter(visible)
      .map((button) => clean(button.getAttribute("aria-label") || button.innerText))
      .filter(Boolean);
    const inputs = [...card.querySelectorAll("input, textarea, select")]
      .filter(visible)
      .map((input) => ({
        label: clean(input.getAttribute("aria-label") || input.getAttribute("placeholder") || ""),
        value: input.value ?? "",
      }));
    return { text: clean(card.innerText), texts, facts, buttons, inputs };
  };
  return [...document.querySelectorAll('[aria-label="Message header"]')].map((header, index) => {
    // A message: its header, then a row with the avatar and the bubble (text or cards, and the
    // notice bar under a clicked card), then the Playground's own remarks (e.g. a warning that
    // it does not support an action of the card).
    const parts = [...header.parentElement.children];
    const at = parts.indexOf(header);
    const [row, ...rest] = parts.slice(at + 1);
    const author = header.querySelector('[aria-label="Message author"]');
    const body = row ? row.cloneNode(true) : document.createElement("div");
    const notBubbleText = [
      ".ac-adaptiveCard",
      '[aria-label="Display Invoked Message"]',
      '[role="progressbar"]',
      '[role="img"]',
    ];
    for (const extra of body.querySelectorAll(notBubbleText.join(", "))) extra.remove();
    const notice = row?.querySelector('[aria-label="Display Invoked Message"]');
    const remarks = rest.map((element) => clean(element.innerText)).filter(Boolean);
    const message = {
      index,
      from: author ? "bot" : "user",
      author: author ? clean(author.innerText) : null,
      text: clean(body.textContent),
      cards: [...(row?.querySelectorAll(".ac-adaptiveCard") ?? [])]
        .filter((card) => !card.parentElement.closest(".ac-adaptiveCard"))
        .map(readCard),
    };
    if (remarks.length) message.playground_remarks = remarks;
    if (notice) message.notice = clean(notice.innerText);
    return message;
  });
}

/** The log panel's lines: the Playground's own record of each HTTP exchange with the bot. */
function readLog() {
  const panel = document.querySelector('[contenteditable="true"][spellcheck="false"]');
  if (!panel) return null;
  return [...panel.children]
    .map((line) => line.textContent.replace(/\s+/g, " ").trim())
    .filter(Boolean);
}

// ---- The session ----

/** One exchange in the log: direction, activity type, HTTP status and the text shown. */
function parseLogLine(line) {
  const match = LOG_LINE.exec(line);
  if (!match) return null;
  const toBot = match[1] !== "User Application";
  return { toBot, activity: match[2], status: Number(match[3]), text: match[4] };
}

/** How many new chat messages the bot posted in `exchanges` (typing and updates add none). */
function posted(exchanges) {
  return exchanges.filter((e) => !e.toBot && e.activity === "message" && e.status === 201).length;
}

/** The lines of `after` that `before` did not have (each line counted as often as it occurs). */
function added(before, after) {
  const seen = new Map();
  for (const line of before) seen.set(line, (seen.get(line) ?? 0) + 1);
  return after.filter((line) => {
    const count = seen.get(line) ?? 0;
    seen.set(line, count - 1);
    return count <= 0;
  });
}

class Session {
  constructor(page, deadline, shots) {
    this.page = page;
    this.deadline = deadline;
    this.shots = shots;
    this.shotCount = 0;
  }

  remaining() {
    return Math.max(1, this.deadline - Date.now());
  }

  async chat() {
    return this.page.evaluate(readChat);
  }

  async log() {
    const lines = await this.page.evaluate(readLog);
    if (lines === null) fail("the Playground's log panel is not shown");
    return lines;
  }

  /** Wait until the log shows more answers of the bot to `activities` than `before` did. */
  async waitForAnswer(before, activities, what) {
    const answered = (lines) =>
      lines.map(parseLogLine).filter((e) => e?.toBot && activities.includes(e.activity)).length;
    try {
      const handle = await this.page.waitForFunction(
        ({ count, activities, pattern }) => {
          const panel = document.querySelector('[contenteditable="true"][spellcheck="false"]');
          if (!panel) return false;
          const answers = [...panel.children].filter((line) => {
            const match = new RegExp(pattern).exec(line.textContent.replace(/\s+/g, " "));
            return match && match[1] !== "User Application" && activities.includes(match[2]);
          });
          return answers.length > count;
        },
        { count: answered(before), activities, pattern: LOG_LINE.source },
        { timeout: this.remaining(), polling: "raf" },
      );
      await handle.dispose();
    } catch (error) {
      fail(`waited for ${what}: ${error.message.split("\n")[0]}`);
    }
    return added(before, await this.log()).map(parseLogLine).filter(Boolean);
  }

  /** Wait until at least `count` bot messages follow chat message number `after`. */
  async waitForBotMessages(after, count, what) {
    if (count <= 0) return;
    try {
      const handle = await this.page.waitForFunction(
        ({ after, count }) => {
          const headers = [...document.querySelectorAll('[aria-label="Message header"]')].slice(
            after + 1,
          );
          return (
            headers.filter((header) => header.querySelector('[aria-label="Message author"]'))
              .length >= count
          );
        },
        { after, count },
        { timeout: this.remaining(), polling: "raf" },
      );
      await handle.dispose();
    } catch (error) {
      fail(`waited for ${count} bot message(s) ${what}: ${error.message.split("\n")[0]}`);
    }
  }

  async screenshot(name) {
    if (!this.shots) return null;
    const path = join(this.shots, `${String(++this.shotCount).padStart(2, "0")}-${name}.png`);
    await this.page.screenshot({ path, fullPage: true });
    return path;
  }

  /** Wait until the Playground reached the bot (it says "Connected." in its log). */
  async connected() {
    await this.page.getByRole("textbox").waitFor({ timeout: this.remaining() });
    try {
      const handle = await this.page.waitForFunction(
        () => {
          const panel = document.querySelector('[contenteditable="true"][spellcheck="false"]');
          const lines = [...(panel?.children ?? [])];
          return lines.some((line) => / Connected\.$/.test(line.textContent));
        },
        null,
        { timeout: this.remaining(), polling: "raf" },
      );
      await handle.dispose();
    } catch (error) {
      fail(error.message.split("\n")[0]);
    }
  }

  /** The conversation is open once the Playground told the bot it was installed and added. */
  async open() {
    for (const activity of ["installationUpdate", "conversationUpdate"]) {
      await this.waitForAnswer([], [activity], `the bot's answer to ${activity}`);
    }
    const exchanges = (await this.log()).map(parseLogLine).filter(Boolean);
    const failed = exchanges.find((e) => e.status >= 400);
    if (failed) fail(`the chat did not open: ${JSON.stringify(failed)}`);
    await this.waitForBotMessages(-1, posted(exchanges), "sent when the chat opened");
    await this.screenshot("opened");
    return {
      answered: exchanges
        .filter((e) => e.toBot)
        .map(({ activity, status }) => ({ activity, status })),
      replies: (await this.chat()).filter((m) => m.from === "bot"),
    };
  }

  async say(text) {
    const started = Date.now();
    const logBefore = await this.log();
    const before = (await this.chat()).length;
    const textbox = this.page.getByRole("textbox");
    await textbox.fill(text, { timeout: this.remaining() });
    await textbox.press("Enter", { timeout: this.remaining() });
    // Our own message shows first; the bot's replies follow it.
    await this.waitForChatLength(before + 1, `"${text}" to show in the chat`);
    const mine = (await this.chat()).slice(before).find((m) => m.from === "user");
    if (!mine) fail(`the chat does not show the message "${text}"`);
    const what = `the bot's answer to "${text}"`;
    const turn = await this.finishTurn(logBefore, mine.index, ["message"], what);
    await this.screenshot("say");
    return { say: text, ...turn, ms: Date.now() - started };
  }

  async click(label) {
    const started = Date.now();
    const messages = await this.chat();
    const target = messages.findLast(
      (m) => m.from === "bot" && m.cards.some((card) => card.buttons.includes(label)),
    );
    if (!target) {
      const shown = messages.flatMap((m) => m.cards.flatMap((card) => card.buttons));
      fail(`no bot card has a "${label}" button (buttons shown: ${JSON.stringify(shown)})`);
    }
    const header = this.page.locator('[aria-label="Message header"]').nth(target.index);
    const item = header.locator("..");
    // A notice from an earlier click on this card would hide the new one: dismiss it first.
    const dismiss = item.getByRole("button", { name: "Dismiss Invoke Message" });
    if (await dismiss.count()) {
      await dismiss.click({ timeout: this.remaining() });
      await dismiss.waitFor({ state: "detached", timeout: this.remaining() });
    }
    const logBefore = await this.log();
    const card = item.locator(".ac-adaptiveCard");
    const button = card.getByRole("button", { name: label, exact: true });
    await button.last().click({ timeout: this.remaining() });
    const turn = await this.finishTurn(
      logBefore,
      messages.length - 1,
      ["invoke", "message"],
      `the bot's answer to "${label}"`,
    );
    // Action.Execute: the card is refreshed (or left) and a notice bar shown once the answer came.
    if (turn.activity === "invoke") {
      try {
        await item
          .locator('[aria-label="Display Invoked Message"]')
          .waitFor({ timeout: this.remaining() });
      } catch (error) {
        fail(`waited for the notice under the "${label}" card: ${error.message.split("\n")[0]}`);
      }
    }
    const updated = (await this.chat())[target.index];
    await this.screenshot("click");
    const ms = Date.now() - started;
    return { click: label, clicked_message: target.index, updated, ...turn, ms };
  }

  async waitForChatLength(length, what) {
    try {
      const handle = await this.page.waitForFunction(
        (length) => document.querySelectorAll('[aria-label="Message header"]').length >= length,
        length,
        { timeout: this.remaining(), polling: "raf" },
      );
      await handle.dispose();
    } catch (error) {
      fail(`waited for ${what}: ${error.message.split("\n")[0]}`);
    }
  }

  /** Wait until the bot answered the turn's request and the chat shows every message it posted.
   *
   * The Teams SDK answers a turn's request only after its handlers finished sending, and the
   * Playground logs each message the bot posted when it accepted it: once the answer is in the
   * log, so are the turn's replies ("message 201"; "typing 202" and updates, "message 200", add
   * no chat message).
   */
  async finishTurn(logBefore, after, activities, what) {
    const exchanges = await this.waitForAnswer(logBefore, activities, what);
    const exchange = exchanges.find((e) => e.toBot && activities.includes(e.activity));
    const sent = exchanges.filter((e) => !e.toBot);
    if (exchange.status >= 400) fail(`the bot answered HTTP ${exchange.status} to ${what}`);
    const refused = sent.filter((e) => e.status >= 400);
    if (refused.length) fail(`the Playground refused replies: ${JSON.stringify(refused)}`);
    await this.waitForBotMessages(after, posted(sent), `in ${what}`);
    const replies = (await this.chat()).slice(after + 1).filter((m) => m.from === "bot");
    return {
      status: exchange.status,
      activity: exchange.activity,
      sent: sent.map(({ activity, status, text }) => ({ activity, status, text })),
      replies,
    };
  }
}

async function run(opts, state) {
  const t0 = Date.now();
  const deadline = t0 + opts.timeoutMs;
  const timings = {};

  state.phase = "starting the Playground";
  state.workdir = mkdtempSync(join(tmpdir(), "stepup-playground-"));
  const port = await freePort();
  state.playground = new Playground(opts.endpoint, port, state.workdir);
  const listening = await state.playground.listening;
  if (listening !== port) {
    fail(`the Playground listens on ${listening}, not the free port ${port} it was given`);
  }
  timings.playground_ms = Date.now() - t0;

  state.phase = "starting Chromium";
  // Imported here so that `--help` and argument errors work without node_modules.
  const { chromium } = await import("playwright-core");
  const profile = join(state.workdir, "chromium-profile");
  mkdirSync(profile);
  state.context = await chromium.launchPersistentContext(profile, {
    executablePath: opts.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 1000 },
    timeout: Math.max(1, deadline - Date.now()),
  });
  timings.chromium_ms = Date.now() - t0 - timings.playground_ms;
  const page = state.context.pages()[0] ?? (await state.context.newPage());
  state.page = page;
  const origin = `http://127.0.0.1:${port}`;
  const refused = new Set();
  await state.context.route(
    (url) => url.hostname !== "127.0.0.1",
    (route) => {
      refused.add(new URL(route.request().url()).host);
      return route.abort("blockedbyclient");
    },
  );

  state.phase = "opening the Playground's page";
  await page.goto(origin, { timeout: Math.max(1, deadline - Date.now()) });
  const session = new Session(page, deadline, opts.screenshots);
  state.session = session;
  state.phase = `waiting for the Playground to reach the bot at ${opts.endpoint}`;
  await session.connected();
  state.phase = "waiting for the chat to open";
  const opened = await session.open();
  timings.page_ms = Date.now() - t0 - timings.playground_ms - timings.chromium_ms;

  const steps = [];
  for (const step of opts.steps) {
    state.phase = step.say !== undefined ? `saying "${step.say}"` : `clicking "${step.click}"`;
    const done = step.say !== undefined ? session.say(step.say) : session.click(step.click);
    steps.push(await done);
  }
  state.phase = "reading the chat";
  const conversation = await session.chat();
  timings.total_ms = Date.now() - t0;
  return {
    playground: {
      version: require("@microsoft/m365agentsplayground/package.json").version,
      url: origin,
    },
    chromium: state.context.browser()?.version() ?? null,
    endpoint: opts.endpoint,
    opened,
    steps,
    conversation,
    log: await session.log(),
    refused_hosts: [...refused].sort(),
    timings,
  };
}

async function cleanup(state) {
  if (state.cleaned) return;
  state.cleaned = true;
  await state.context?.close().catch(() => {});
  await state.playground?.stop().catch(() => {});
  if (state.workdir) rmSync(state.workdir, { recursive: true, force: true });
}

async function main() {
  const state = { phase: "reading the arguments" };
  let timer;
  const onSignal = (signal) => {
    process.stderr.write(`playground.mjs: stopped by ${signal} while ${state.phase}\n`);
    cleanup(state).finally(() => process.exit(1));
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  // Whatever ends this process (a crash, a closed pipe), the Playground must not outlive it.
  process.on("exit", () => state.playground?.child.kill("SIGKILL"));
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
  let code = 0;
  try {
    const opts = options(process.argv.slice(2));
    if (opts.screenshots) mkdirSync(opts.screenshots, { recursive: true });
    state.screenshots = opts.screenshots;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Failure(`timed out after ${opts.timeoutMs / 1000} s`)),
        opts.timeoutMs,
      );
    });
    const transcript = await Promise.race([run(opts, state), timeout]);
    process.stdout.write(`${JSON.stringify(transcript, null, 2)}\n`);
  } catch (error) {
    code = 1;
    const reason = error instanceof Failure ? error.message : error.stack || String(error);
    process.stderr.write(`playground.mjs: failed while ${state.phase}: ${reason}\n`);
    if (state.page && !state.page.isClosed()) {
      const chat = await Promise.race([
        state.page.evaluate(readChat).catch(() => null),
        new Promise((resolve) => setTimeout(resolve, 2000, null)),
      ]);
      if (chat) process.stderr.write(`the chat so far:\n${JSON.stringify(chat, null, 2)}\n`);
      const log = await Promise.race([
        state.page.evaluate(readLog).catch(() => null),
        new Promise((resolve) => setTimeout(resolve, 2000, null)),
      ]);
      if (log) process.stderr.write(`the Playground's log panel:\n${log.join("\n")}\n`);
      if (state.screenshots) {
        const path = join(state.screenshots, "failure.png");
        await Promise.race([
          state.page.screenshot({ path, fullPage: true }).then(() => {
            process.stderr.write(`screenshot: ${path}\n`);
          }),
          new Promise((resolve) => setTimeout(resolve, 5000)),
        ]).catch(() => {});
      }
    }
    if (state.playground?.output) {
      process.stderr.write(`the Playground's output (last lines):\n${state.playground.tail()}\n`);
    }
  } finally {
    clearTimeout(timer);
    await cleanup(state);
  }
  process.exit(code);
}

await main();
