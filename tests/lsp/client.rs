//! A small LSP client for tests: frames JSON-RPC with `Content-Length` headers, matches
//! responses to requests by id, keeps every notification the server sends, and answers the
//! server's own requests (`client/registerCapability`, the refresh requests) with a `null`
//! result so that the server never waits on us. Every wait is bounded by [`TIMEOUT`], so a
//! server bug fails the test instead of hanging it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::{oneshot, watch};

/// The longest a test waits for any one answer from the server: generous, since it only
/// bounds a hang, and a busy CI machine may take seconds where this one takes milliseconds.
pub const TIMEOUT: Duration = Duration::from_secs(60);

type Writer = Box<dyn AsyncWrite + Unpin + Send>;

#[derive(Default)]
struct Inbox {
    /// Responses not yet claimed, by request id.
    pending: HashMap<i64, oneshot::Sender<Value>>,
    /// Every notification received, in order.
    notifications: Vec<Value>,
    /// Every request the server sent us, in order.
    server_requests: Vec<Value>,
    /// Frames that were not valid JSON-RPC (should stay empty).
    garbage: Vec<String>,
    /// Whether the server closed its output.
    closed: bool,
}

/// A test client connected to a server through a reader and a writer.
pub struct Client {
    writer: Arc<tokio::sync::Mutex<Writer>>,
    inbox: Arc<Mutex<Inbox>>,
    /// Bumped whenever something arrives, so waiters wake up.
    arrivals: watch::Receiver<u64>,
    next_id: i64,
    reader: tokio::task::JoinHandle<()>,
}

/// The answer to a request: its `result`, or its `error`.
pub type Answer = Result<Value, Value>;

impl Client {
    pub fn new(
        read: impl AsyncRead + Unpin + Send + 'static,
        write: impl AsyncWrite + Unpin + Send + 'static,
    ) -> Client {
        let writer: Arc<tokio::sync::Mutex<Writer>> =
            Arc::new(tokio::sync::Mutex::new(Box::new(write)));
        let inbox = Arc::new(Mutex::new(Inbox::default()));
        let (tx, rx) = watch::channel(0u64);
        let reader = tokio::spawn(read_loop(
            BufReader::new(read),
            writer.clone(),
            inbox.clone(),
            tx,
        ));
        Client {
            writer,
            inbox,
            arrivals: rx,
            next_id: 0,
            reader,
        }
    }

    /// Sends one framed message.
    pub async fn send(&self, msg: &Value) {
        write_frame(&self.writer, msg).await;
    }

    pub async fn notify(&self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// Sends a request and returns its id and a receiver for the response.
    pub async fn start_request(
        &mut self,
        method: &str,
        params: Value,
    ) -> (i64, oneshot::Receiver<Value>) {
        self.next_id += 1;
        let id = self.next_id;
        let (tx, rx) = oneshot::channel();
        self.inbox.lock().unwrap().pending.insert(id, tx);
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        (id, rx)
    }

    /// Waits for the response to a started request.
    pub async fn finish_request(method: &str, rx: oneshot::Receiver<Value>) -> Answer {
        let response = tokio::time::timeout(TIMEOUT, rx)
            .await
            .unwrap_or_else(|_| panic!("no response to {method} within {TIMEOUT:?}"))
            .unwrap_or_else(|_| panic!("the connection closed before the response to {method}"));
        match response.get("error") {
            Some(e) => Err(e.clone()),
            None => Ok(response.get("result").cloned().unwrap_or(Value::Null)),
        }
    }

    /// Sends a request and waits for its answer.
    pub async fn request(&mut self, method: &str, params: Value) -> Answer {
        let (_, rx) = self.start_request(method, params).await;
        Self::finish_request(method, rx).await
    }

    /// Sends a request that must succeed and returns its result.
    pub async fn call(&mut self, method: &str, params: Value) -> Value {
        match self.request(method, params).await {
            Ok(v) => v,
            Err(e) => panic!("{method} failed: {e}"),
        }
    }

    /// Waits until `find` picks something out of the notifications received so far
    /// (including earlier ones), and returns it.
    pub async fn wait_for<T>(&self, what: &str, mut find: impl FnMut(&[Value]) -> Option<T>) -> T {
        let mut arrivals = self.arrivals.clone();
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            arrivals.borrow_and_update();
            {
                let inbox = self.inbox.lock().unwrap();
                if let Some(t) = find(&inbox.notifications) {
                    return t;
                }
                if inbox.closed {
                    panic!("the server closed the connection while waiting for {what}");
                }
            }
            if tokio::time::timeout_at(deadline, arrivals.changed())
                .await
                .is_err()
            {
                let inbox = self.inbox.lock().unwrap();
                let methods: Vec<String> = inbox
                    .notifications
                    .iter()
                    .map(|n| compact(n, 2000))
                    .collect();
                panic!(
                    "timed out after {TIMEOUT:?} waiting for {what}; notifications so far:\n{}",
                    methods.join("\n")
                );
            }
        }
    }

    /// The number of notifications received so far, to wait for later ones only.
    pub fn mark(&self) -> usize {
        self.inbox.lock().unwrap().notifications.len()
    }

    /// Waits for a `textDocument/publishDiagnostics` for `uri`, received after `mark`, whose
    /// params satisfy `pred`; returns the params.
    pub async fn diagnostics_after(
        &self,
        mark: usize,
        uri: &str,
        mut pred: impl FnMut(&Value) -> bool,
    ) -> Value {
        self.wait_for(&format!("diagnostics for {uri}"), |ns| {
            ns.iter().skip(mark).find_map(|n| {
                let p = n.get("params")?;
                (n["method"] == "textDocument/publishDiagnostics" && p["uri"] == uri && pred(p))
                    .then(|| p.clone())
            })
        })
        .await
    }

    /// The params of every notification `method` received so far.
    pub fn notifications(&self, method: &str) -> Vec<Value> {
        self.inbox
            .lock()
            .unwrap()
            .notifications
            .iter()
            .filter(|n| n["method"] == method)
            .map(|n| n["params"].clone())
            .collect()
    }

    /// The methods of the requests the server sent us so far.
    pub fn server_requests(&self) -> Vec<String> {
        self.inbox
            .lock()
            .unwrap()
            .server_requests
            .iter()
            .map(|r| r["method"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// Waits for a request `method` from the server.
    pub async fn wait_server_request(&self, method: &str) -> Value {
        let mut arrivals = self.arrivals.clone();
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            arrivals.borrow_and_update();
            if let Some(r) = self
                .inbox
                .lock()
                .unwrap()
                .server_requests
                .iter()
                .find(|r| r["method"] == method)
            {
                return r.clone();
            }
            if tokio::time::timeout_at(deadline, arrivals.changed())
                .await
                .is_err()
            {
                panic!(
                    "the server did not send {method}; it sent {:?}",
                    self.server_requests()
                );
            }
        }
    }

    /// Frames that could not be parsed as JSON-RPC messages.
    pub fn garbage(&self) -> Vec<String> {
        self.inbox.lock().unwrap().garbage.clone()
    }

    /// Waits until the server closes its side of the connection.
    pub async fn wait_closed(&self) {
        let mut arrivals = self.arrivals.clone();
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            arrivals.borrow_and_update();
            if self.inbox.lock().unwrap().closed {
                return;
            }
            if tokio::time::timeout_at(deadline, arrivals.changed())
                .await
                .is_err()
            {
                panic!("the server did not close its output within {TIMEOUT:?}");
            }
        }
    }

    /// Closes our output (the server's input). The writer is dropped: shutting down a
    /// child's stdin does not close it.
    pub async fn close(&self) {
        let mut w = self.writer.lock().await;
        let _ = w.shutdown().await;
        *w = Box::new(tokio::io::sink());
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

async fn write_frame(writer: &tokio::sync::Mutex<Writer>, msg: &Value) {
    let body = serde_json::to_vec(msg).expect("a JSON value serialises");
    let header = format!("Content-Length: {}\r\n\r\n", body.len());
    let write = async {
        let mut w = writer.lock().await;
        // A server that is gone makes writes fail; the waits report that more clearly.
        if w.write_all(header.as_bytes()).await.is_ok() && w.write_all(&body).await.is_ok() {
            let _ = w.flush().await;
        }
    };
    // A server that stops reading would block the write forever.
    tokio::time::timeout(TIMEOUT, write)
        .await
        .unwrap_or_else(|_| panic!("the server did not read a message within {TIMEOUT:?}"));
}

/// Reads one frame; `None` at the end of the input.
async fn read_frame(read: &mut (impl AsyncBufReadExt + Unpin)) -> Option<Result<Value, String>> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if read.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let Some(length) = length else {
        return Some(Err("a frame without Content-Length".into()));
    };
    let mut body = vec![0; length];
    read.read_exact(&mut body).await.ok()?;
    Some(
        serde_json::from_slice(&body)
            .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&body))),
    )
}

async fn read_loop(
    mut read: BufReader<impl AsyncRead + Unpin>,
    writer: Arc<tokio::sync::Mutex<Writer>>,
    inbox: Arc<Mutex<Inbox>>,
    arrivals: watch::Sender<u64>,
) {
    let bump = || arrivals.send_modify(|n| *n += 1);
    while let Some(frame) = read_frame(&mut read).await {
        let msg = match frame {
            Ok(m) => m,
            Err(e) => {
                inbox.lock().unwrap().garbage.push(e);
                bump();
                continue;
            }
        };
        let has_id = msg.get("id").is_some_and(|id| !id.is_null());
        match (msg.get("method"), has_id) {
            // A request from the server: answer at once so that it never waits on us.
            (Some(_), true) => {
                inbox.lock().unwrap().server_requests.push(msg.clone());
                let reply = json!({"jsonrpc": "2.0", "id": msg["id"], "result": null});
                write_frame(&writer, &reply).await;
            }
            (Some(_), false) => inbox.lock().unwrap().notifications.push(msg),
            (None, _) => {
                let id = msg.get("id").and_then(Value::as_i64);
                let waiter = id.and_then(|id| inbox.lock().unwrap().pending.remove(&id));
                match waiter {
                    Some(tx) => {
                        let _ = tx.send(msg);
                    }
                    None => inbox
                        .lock()
                        .unwrap()
                        .garbage
                        .push(format!("a response to no request: {msg}")),
                }
            }
        }
        bump();
    }
    let mut inbox = inbox.lock().unwrap();
    inbox.closed = true;
    // Dropping the senders wakes every request still waiting.
    inbox.pending.clear();
    drop(inbox);
    bump();
}

/// A value as one line, cut to `max` characters.
pub fn compact(v: &Value, max: usize) -> String {
    let s = v.to_string();
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}
