// Tries an AMQP 0-9-1 login (SASL PLAIN) and says whether the broker let it in, without any client library.
// Credentials come from the environment so they never show in the process list:
//   AMQP_PORT=5672 AMQP_USER=u AMQP_PASSWORD=p node amqp-login.mjs
// Exit 0: accepted (the broker moved on to Connection.Tune). Exit 1: refused. Exit 2: no AMQP answer.
import net from "node:net";

const port = Number(process.env.AMQP_PORT);
const user = process.env.AMQP_USER ?? "";
const password = process.env.AMQP_PASSWORD ?? "";

const shortString = (s) => Buffer.concat([Buffer.from([Buffer.byteLength(s)]), Buffer.from(s)]);
const longString = (b) => { const n = Buffer.alloc(4); n.writeUInt32BE(b.length); return Buffer.concat([n, b]); };

function frame(classId, methodId, args) {
  const payload = Buffer.concat([Buffer.from([classId >> 8, classId & 255, methodId >> 8, methodId & 255]), args]);
  const header = Buffer.alloc(7);
  header.writeUInt8(1, 0); // method frame
  header.writeUInt16BE(0, 1); // channel 0
  header.writeUInt32BE(payload.length, 3);
  return Buffer.concat([header, payload, Buffer.from([0xce])]);
}

const startOk = frame(10, 11, Buffer.concat([
  Buffer.alloc(4), // empty client-properties table
  shortString("PLAIN"),
  longString(Buffer.from(`\0${user}\0${password}`)),
  shortString("en_US"),
]));

const socket = net.connect({ host: "127.0.0.1", port });
let received = Buffer.alloc(0);
let answered = false;
const finish = (code, why) => { console.log(why); process.exitCode = code; socket.destroy(); };
socket.setTimeout(10000, () => finish(2, "no answer within 10 s"));
socket.on("connect", () => socket.write(Buffer.from("AMQP\x00\x00\x09\x01", "binary")));
// A broker that refuses a login may just drop the connection (clients that do not ask for a Connection.Close).
const dropped = (why) => { if (process.exitCode === undefined) finish(answered ? 1 : 2, answered ? `refused: the broker dropped the connection (${why})` : `no AMQP answer (${why})`); };
socket.on("error", (e) => dropped(e.message));
socket.on("close", () => dropped("closed"));
socket.on("data", (chunk) => {
  received = Buffer.concat([received, chunk]);
  while (received.length >= 7) {
    const size = received.readUInt32BE(3);
    if (received.length < size + 8) return;
    const classId = received.readUInt16BE(7), methodId = received.readUInt16BE(9);
    received = received.subarray(size + 8);
    if (classId === 10 && methodId === 10) { answered = true; socket.write(startOk); }
    else if (classId === 10 && methodId === 30) return finish(0, "accepted");
    else if (classId === 10 && methodId === 50) return finish(1, "refused: Connection.Close");
  }
});
