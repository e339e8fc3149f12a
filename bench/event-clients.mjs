// The event pipeline bench's clients, on a thread of their own (bench/event-pipeline.ts):
// `clients` WebSocket clients of one URL, each counting the `session.log` frames it gets
// (seq order, gaps) and their delivery latency (the frame's text starts with its write time, ms).
import { parentPort, workerData } from "node:worker_threads";
import WebSocket from "ws";

const { url, headers, clients, n, from } = workerData;
const latencies = [];
let gaps = 0;
let complete = 0;
let lastAt = 0;

function client() {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    let lastSeq = from;
    let received = 0;
    socket.on("message", (raw) => {
      const f = JSON.parse(raw.toString());
      if (f.type !== "session.log" || f.seq === undefined) return;
      if (f.seq !== lastSeq + 1) gaps++;
      lastSeq = f.seq;
      const now = Date.now();
      latencies.push(now - Number(f.payload.text.split(" ", 1)[0]));
      if (++received === n) {
        lastAt = Math.max(lastAt, now);
        if (++complete === clients) {
          latencies.sort((a, b) => a - b);
          const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))];
          parentPort.postMessage({ kind: "done", lastAt, gaps, p50: at(0.5), p99: at(0.99) });
        }
      }
    });
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

const sockets = [];
for (let i = 0; i < clients; i++) sockets.push(await client());
parentPort.postMessage({ kind: "ready" });
parentPort.on("message", (m) => {
  if (m === "stop") for (const s of sockets) s.terminate();
});
