// Drives the original npm client (tiktok-api@0.4.1) for benchmarks/bench_npm.py.
//
// node npm_driver.js <node_modules dir> <sandbox url> <signing key> <user id> <device json>
//
// Reads commands on stdin, one per line: "walk <pages> <count>" walks the user's
// posts from the newest and prints one JSON line {cpu_us, pages, items, sockets}:
// the CPU time of this node process (process.cpuUsage(), user + system) spent
// on the walk. "quit" ends. The signer is the sandbox scheme with node's crypto:
// HMAC-SHA256(key, request target) hex, appended as &as=h[0:20]&cp=h[20:40]&mas=h[40:64].
"use strict";

const crypto = require("crypto");
const http = require("http");
const path = require("path");
const readline = require("readline");

const [modules, baseURL, key, userId, deviceJson] = process.argv.slice(2);
const lib = require(path.join(modules, "tiktok-api"));
const TikTokAPI = lib.default;

function requestTarget(url) {
  const hostStart = url.indexOf("://") + 3;
  return url.slice(url.indexOf("/", hostStart));
}

async function signURL(url, ts, deviceId) {
  const h = crypto.createHmac("sha256", key).update(requestTarget(url)).digest("hex");
  return `${url}&as=${h.slice(0, 20)}&cp=${h.slice(20, 40)}&mas=${h.slice(40, 64)}`;
}

// One keep-alive connection, as our client keeps; count the sockets it opens.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let sockets = 0;
const createConnection = agent.createConnection.bind(agent);
agent.createConnection = (...args) => {
  sockets += 1;
  return createConnection(...args);
};

const host = new URL(baseURL).host;
const api = new TikTokAPI(
  lib.getRequestParams(JSON.parse(deviceJson)),
  { signURL, baseURL, host },
  { httpAgent: agent },
);

async function walk(pages, count) {
  let cursor = 0;
  let items = 0;
  let walked = 0;
  for (let page = 0; page < pages; page += 1) {
    const res = await api.listPosts({ user_id: userId, max_cursor: cursor, count });
    const body = res.data;
    if (!body || body.status_code !== 0) {
      throw new Error(`bad page: ${JSON.stringify(body).slice(0, 200)}`);
    }
    for (const post of body.aweme_list) {
      if (post.aweme_id) items += 1;
    }
    walked += 1;
    if (!body.has_more) break;
    cursor = body.max_cursor;
  }
  return [walked, items];
}

const lines = readline.createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on("line", (line) => {
  queue = queue.then(async () => {
    const [command, pages, count] = line.trim().split(/\s+/);
    if (command === "quit") {
      lines.close();
      agent.destroy();
      return;
    }
    const started = process.cpuUsage();
    const [walked, items] = await walk(Number(pages), Number(count));
    const spent = process.cpuUsage(started);
    process.stdout.write(
      `${JSON.stringify({ cpu_us: spent.user + spent.system, pages: walked, items, sockets })}\n`,
    );
  }).catch((error) => {
    process.stdout.write(`${JSON.stringify({ error: String(error && error.stack || error) })}\n`);
  });
});
