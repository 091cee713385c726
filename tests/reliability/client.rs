//! A minimal LSP client over `tokio::io::duplex`, talking to the real server in-process
//! (`lexls::lsp::serve`). Server→client requests are answered with `null`; everything else
//! the server sends is kept for the test to inspect.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use lexls::lsp::position::Encoding;

/// How long any single wait may take before the test fails (a hang, not a timing check).
pub const WAIT: Duration = Duration::from_secs(120);

/// Enables the test-only requests (`lexls/debugText`, `lexls/debugPanic`) before the first
/// server starts.
pub fn enable_test_hooks() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: std's environment functions take a lock, and nothing in this test binary
        // reads the environment through libc directly.
        unsafe { std::env::set_var("LEXLS_TEST_HOOKS", "1") };
    });
}

pub fn uri(name: &str) -> String {
    format!("file:///reliability/{name}")
}

pub struct Client {
    writer: mpsc::UnboundedSender<Vec<u8>>,
    incoming: mpsc::UnboundedReceiver<Value>,
    /// Notifications (and stray responses) received while waiting for something else.
    pub inbox: VecDeque<Value>,
    next_id: i64,
    /// The server task; it returns whether `shutdown` came before the end.
    pub server: JoinHandle<bool>,
    reader: JoinHandle<()>,
    writer_task: JoinHandle<()>,
}

async fn read_message(r: &mut BufReader<tokio::io::ReadHalf<DuplexStream>>) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).await.ok()?;
    serde_json::from_slice(&body).ok()
}

pub fn frame(v: &Value) -> Vec<u8> {
    let body = serde_json::to_vec(v).expect("JSON");
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend(body);
    out
}

impl Client {
    /// Starts a server and a client connected by an in-memory pipe.
    pub fn start() -> Client {
        enable_test_hooks();
        let (client_io, server_io) = tokio::io::duplex(1 << 16);
        let (sr, sw) = tokio::io::split(server_io);
        let server = tokio::spawn(lexls::lsp::serve(sr, sw));
        let (cr, mut cw) = tokio::io::split(client_io);
        let (wtx, mut wrx) = mpsc::unbounded_channel::<Vec<u8>>();
        let writer_task = tokio::spawn(async move {
            while let Some(bytes) = wrx.recv().await {
                if cw.write_all(&bytes).await.is_err() {
                    break;
                }
            }
            let _ = cw.shutdown().await;
        });
        let (itx, irx) = mpsc::unbounded_channel();
        let answer = wtx.clone();
        let reader = tokio::spawn(async move {
            let mut r = BufReader::new(cr);
            while let Some(msg) = read_message(&mut r).await {
                if msg.get("method").is_some() && msg.get("id").is_some() {
                    // A request from the server: answer it so that it never waits on us.
                    let reply = json!({"jsonrpc": "2.0", "id": msg["id"], "result": null});
                    let _ = answer.send(frame(&reply));
                }
                if itx.send(msg).is_err() {
                    break;
                }
            }
        });
        Client {
            writer: wtx,
            incoming: irx,
            inbox: VecDeque::new(),
            next_id: 0,
            server,
            reader,
            writer_task,
        }
    }

    /// Starts a server and runs `initialize`/`initialized` offering only `enc`.
    pub async fn initialized(enc: Encoding) -> Client {
        let mut c = Client::start();
        let offered = match enc {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
            Encoding::Utf32 => "utf-32",
        };
        let r = c
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": null,
                    "capabilities": {
                        "general": { "positionEncodings": [offered] },
                        "textDocument": { "publishDiagnostics": { "versionSupport": true } }
                    }
                }),
            )
            .await;
        assert_eq!(
            r["result"]["capabilities"]["positionEncoding"],
            json!(offered),
            "negotiated encoding: {r}"
        );
        c.notify("initialized", json!({}));
        c
    }

    pub fn send_raw(&self, bytes: Vec<u8>) {
        let _ = self.writer.send(bytes);
    }

    pub fn notify(&self, method: &str, params: Value) {
        self.send_raw(frame(
            &json!({"jsonrpc": "2.0", "method": method, "params": params}),
        ));
    }

    /// Sends a request and returns its id without waiting.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send_raw(frame(
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
        ));
        id
    }

    /// Waits for the response to `id` (the whole message: `result` or `error`).
    pub async fn response(&mut self, id: i64) -> Value {
        if let Some(i) = self
            .inbox
            .iter()
            .position(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
        {
            return self.inbox.remove(i).expect("present");
        }
        loop {
            let msg = self.next_message().await;
            if msg.get("id") == Some(&json!(id)) && msg.get("method").is_none() {
                return msg;
            }
            self.inbox.push_back(msg);
        }
    }

    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id).await
    }

    /// The next message from the server (failing the test after [`WAIT`]).
    pub async fn next_message(&mut self) -> Value {
        tokio::time::timeout(WAIT, self.incoming.recv())
            .await
            .expect("the server answers within the wait limit")
            .expect("the server is still connected")
    }

    /// The next message within `d`, if any.
    pub async fn try_next_message(&mut self, d: Duration) -> Option<Value> {
        tokio::time::timeout(d, self.incoming.recv())
            .await
            .ok()
            .flatten()
    }

    pub fn open(&self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {
                "uri": uri, "languageId": "plaintext", "version": version, "text": text
            }}),
        );
    }

    pub fn change(&self, uri: &str, version: i32, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    /// The server's text of `uri` (test-only request).
    pub async fn text(&mut self, uri: &str) -> Option<String> {
        let r = self.request("lexls/debugText", json!({ "uri": uri })).await;
        assert!(r.get("error").is_none(), "debugText failed: {r}");
        r["result"].as_str().map(str::to_owned)
    }

    /// Sends `shutdown` and `exit`, then waits for the server to end.
    pub async fn finish(mut self) {
        let r = self.request("shutdown", Value::Null).await;
        assert!(r.get("error").is_none(), "shutdown: {r}");
        self.notify("exit", Value::Null);
        let clean = tokio::time::timeout(WAIT, &mut self.server)
            .await
            .expect("the server ends after exit")
            .expect("the server task does not panic");
        assert!(clean, "serve() reports the shutdown before exit");
        self.reader.abort();
        self.writer_task.abort();
    }

    /// Drops the connection without a word, as a crashed client does; returns the server
    /// task to wait on.
    pub fn vanish(self) -> JoinHandle<bool> {
        self.reader.abort();
        self.writer_task.abort();
        drop(self.writer);
        drop(self.incoming);
        self.server
    }
}

/// A runtime for one test.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}
