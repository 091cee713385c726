//! A compact JSON-RPC client for the benchmarks (benches cannot use `tests/lsp/client.rs`):
//! `Content-Length` framing, responses matched to requests by id, the server's own requests
//! answered with `null` at once, and only what the benchmarks wait for kept of the
//! notifications (the version of the last diagnostics per document), so that the client's
//! memory stays small and flat.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::{Mutex as AsyncMutex, Notify, oneshot};

/// The longest any one wait lasts: a server bug stops the benchmark instead of hanging it.
pub const TIMEOUT: Duration = Duration::from_secs(120);

type Writer = Box<dyn AsyncWrite + Unpin + Send>;

#[derive(Default)]
struct Inbox {
    pending: HashMap<i64, oneshot::Sender<Value>>,
    /// The version of the last `publishDiagnostics` per URI.
    diagnostics: HashMap<String, i64>,
}

pub struct Client {
    writer: Arc<AsyncMutex<Writer>>,
    inbox: Arc<Mutex<Inbox>>,
    arrived: Arc<Notify>,
    next_id: i64,
    reader: tokio::task::JoinHandle<()>,
}

impl Client {
    pub fn new(
        read: impl AsyncRead + Unpin + Send + 'static,
        write: impl AsyncWrite + Unpin + Send + 'static,
    ) -> Client {
        let writer: Arc<AsyncMutex<Writer>> = Arc::new(AsyncMutex::new(Box::new(write)));
        let inbox = Arc::new(Mutex::new(Inbox::default()));
        let arrived = Arc::new(Notify::new());
        let reader = tokio::spawn(read_loop(
            BufReader::with_capacity(1 << 16, read),
            writer.clone(),
            inbox.clone(),
            arrived.clone(),
        ));
        Client {
            writer,
            inbox,
            arrived,
            next_id: 0,
            reader,
        }
    }

    pub async fn notify(&self, method: &str, params: Value) {
        write_frame(
            &self.writer,
            &json!({"jsonrpc": "2.0", "method": method, "params": params}),
        )
        .await;
    }

    /// Sends a request and waits for its result; panics on an error response.
    pub async fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let (tx, rx) = oneshot::channel();
        self.inbox.lock().unwrap().pending.insert(id, tx);
        write_frame(
            &self.writer,
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
        )
        .await;
        let response = tokio::time::timeout(TIMEOUT, rx)
            .await
            .unwrap_or_else(|_| panic!("no answer to {method} within {TIMEOUT:?}"))
            .unwrap_or_else(|_| panic!("the server closed before answering {method}"));
        if let Some(e) = response.get("error") {
            panic!("{method} failed: {e}");
        }
        response.get("result").cloned().unwrap_or(Value::Null)
    }

    /// Waits until diagnostics for `uri` at `version` (or later) have been published.
    pub async fn diagnostics(&self, uri: &str, version: i64) {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            let notified = self.arrived.notified();
            if self
                .inbox
                .lock()
                .unwrap()
                .diagnostics
                .get(uri)
                .is_some_and(|v| *v >= version)
            {
                return;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!("no diagnostics for {uri} version {version} within {TIMEOUT:?}");
            }
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

async fn write_frame(writer: &AsyncMutex<Writer>, msg: &Value) {
    let body = serde_json::to_vec(msg).expect("a JSON value serialises");
    let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    frame.extend_from_slice(&body);
    let mut w = writer.lock().await;
    w.write_all(&frame).await.expect("the server reads");
    w.flush().await.expect("the server reads");
}

async fn read_frame(read: &mut (impl AsyncBufReadExt + Unpin)) -> Option<Value> {
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        if read.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((name, value)) = l.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    read.read_exact(&mut body).await.ok()?;
    serde_json::from_slice(&body).ok()
}

async fn read_loop(
    mut read: BufReader<impl AsyncRead + Unpin>,
    writer: Arc<AsyncMutex<Writer>>,
    inbox: Arc<Mutex<Inbox>>,
    arrived: Arc<Notify>,
) {
    while let Some(msg) = read_frame(&mut read).await {
        let has_id = msg.get("id").is_some_and(|id| !id.is_null());
        match (msg.get("method").and_then(Value::as_str), has_id) {
            (Some(_), true) => {
                let reply = json!({"jsonrpc": "2.0", "id": msg["id"], "result": null});
                write_frame(&writer, &reply).await;
            }
            (Some("textDocument/publishDiagnostics"), false) => {
                let p = &msg["params"];
                let uri = p["uri"].as_str().unwrap_or_default().to_owned();
                let version = p["version"].as_i64().unwrap_or(-1);
                let mut inbox = inbox.lock().unwrap();
                let v = inbox.diagnostics.entry(uri).or_insert(version);
                *v = (*v).max(version);
            }
            (Some(_), false) => {}
            (None, _) => {
                let id = msg.get("id").and_then(Value::as_i64);
                let waiter = id.and_then(|id| inbox.lock().unwrap().pending.remove(&id));
                if let Some(tx) = waiter {
                    let _ = tx.send(msg);
                }
            }
        }
        arrived.notify_waiters();
    }
    inbox.lock().unwrap().pending.clear();
    arrived.notify_waiters();
}

/// The `initialize` parameters of a client like VS Code (UTF-16 positions, markdown hovers,
/// semantic tokens with deltas, refresh requests), with pushed diagnostics or, with `pull`,
/// pulled ones (then the server's publisher stays idle).
pub fn initialize_params(pull: bool) -> Value {
    let mut text_document = json!({
        "synchronization": {"dynamicRegistration": false, "didSave": true},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "publishDiagnostics": {"relatedInformation": true, "versionSupport": true},
        "semanticTokens": {
            "requests": {"full": {"delta": true}, "range": true},
            "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"],
            "overlappingTokenSupport": false, "multilineTokenSupport": false,
        },
    });
    if pull {
        text_document["diagnostic"] = json!({"dynamicRegistration": false});
    }
    json!({
        "processId": null,
        "clientInfo": {"name": "lexls-bench"},
        "capabilities": {
            "textDocument": text_document,
            "workspace": {"semanticTokens": {"refreshSupport": true}, "inlayHint": {"refreshSupport": true}},
        },
        "initializationOptions": null,
    })
}

/// Each line's start in bytes; lines end at `\r\n`, `\r` or `\n` (as the server counts).
pub fn line_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out = vec![0];
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\r' if b.get(i + 1) == Some(&b'\n') => i += 2,
            b'\r' | b'\n' => i += 1,
            _ => {
                i += 1;
                continue;
            }
        }
        out.push(i);
    }
    out
}

/// The LSP position (UTF-16 characters) of byte `offset`, given the text's line starts.
pub fn position(text: &str, starts: &[usize], offset: usize) -> Value {
    let line = starts.partition_point(|&s| s <= offset) - 1;
    let character: usize = text[starts[line]..offset]
        .chars()
        .map(char::len_utf16)
        .sum();
    json!({"line": line, "character": character})
}
