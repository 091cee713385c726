//! A session with the real server, in process over `tokio::io::duplex`.

use std::path::Path;
use std::sync::Once;

use serde_json::{Value, json};

use super::client::{Client, TIMEOUT};
use super::text::{Doc, Enc, file_uri};

/// The folder the embedded lexicon is written to during the tests (inside the target
/// folder, so that tests never write to the user's cache).
pub const CACHE_DIR: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/lexls-lsp-cache");

/// Sets the environment the server reads, once, before any test starts a server.
pub fn init_env() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: every test calls this first, and `Once` makes the others wait until it is
        // done; nothing reads the environment concurrently before that (libtest reads its
        // own variables before starting the tests).
        unsafe {
            std::env::set_var("LEXLS_CACHE_DIR", CACHE_DIR);
            std::env::set_var("LEXLS_TEST_HOOKS", "1");
        }
    });
}

/// What the test client tells the server in `initialize`.
#[derive(Clone, Debug)]
pub struct Setup {
    pub enc: Enc,
    /// `hover.contentFormat` is `["markdown", "plaintext"]` (else `["plaintext"]`).
    pub markdown: bool,
    /// `textDocument.diagnostic` is advertised.
    pub pull: bool,
    /// `workspace.semanticTokens.refreshSupport` and `workspace.inlayHint.refreshSupport`.
    pub refresh: bool,
    /// `workspace.didChangeWatchedFiles.dynamicRegistration`.
    pub watch: bool,
    /// The workspace folder.
    pub root: Option<std::path::PathBuf>,
    pub options: Value,
}

impl Setup {
    pub fn new(enc: Enc) -> Setup {
        Setup {
            enc,
            markdown: true,
            pull: false,
            refresh: true,
            watch: false,
            root: None,
            options: Value::Null,
        }
    }

    pub fn root(mut self, root: &Path) -> Setup {
        self.root = Some(root.to_owned());
        self
    }

    pub fn options(mut self, options: Value) -> Setup {
        self.options = options;
        self
    }

    pub fn initialize_params(&self) -> Value {
        let mut general = json!({});
        match self.enc {
            Enc::Utf8 => general["positionEncodings"] = json!(["utf-8", "utf-16"]),
            // No offer means UTF-16.
            Enc::Utf16 => {}
            Enc::Utf32 => general["positionEncodings"] = json!(["utf-32"]),
        }
        let mut text_document = json!({
            "synchronization": {"dynamicRegistration": false, "didSave": true},
            "hover": {"contentFormat": if self.markdown { json!(["markdown", "plaintext"]) } else { json!(["plaintext"]) }},
            "publishDiagnostics": {"relatedInformation": true, "versionSupport": true},
            "semanticTokens": {
                "requests": {"full": {"delta": true}, "range": true},
                "tokenTypes": [], "tokenModifiers": [], "formats": ["relative"],
                "overlappingTokenSupport": false, "multilineTokenSupport": false,
            },
            "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix", "source"]}}},
            "completion": {"completionItem": {"snippetSupport": false}},
            "inlayHint": {},
        });
        if self.pull {
            text_document["diagnostic"] = json!({"dynamicRegistration": false});
        }
        let workspace = json!({
            "workspaceFolders": true,
            "configuration": false,
            "didChangeWatchedFiles": {"dynamicRegistration": self.watch},
            "semanticTokens": {"refreshSupport": self.refresh},
            "inlayHint": {"refreshSupport": self.refresh},
        });
        let mut p = json!({
            "processId": null,
            "clientInfo": {"name": "lexls-tests"},
            "capabilities": {"general": general, "textDocument": text_document, "workspace": workspace},
            "initializationOptions": self.options,
        });
        if let Some(root) = &self.root {
            let uri = file_uri(root);
            p["rootUri"] = json!(uri);
            p["workspaceFolders"] = json!([{"uri": uri, "name": "ws"}]);
        }
        p
    }
}

/// A server running in this process and a client talking to it.
pub struct Session {
    pub c: Client,
    pub enc: Enc,
    /// The `initialize` result.
    pub init: Value,
    server: tokio::task::JoinHandle<bool>,
}

impl Session {
    /// Starts a server, initializes it with `setup` and sends `initialized`.
    pub async fn start(setup: Setup) -> Session {
        init_env();
        let (client_io, server_io) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server_io);
        let server = tokio::spawn(lexls::lsp::serve(server_read, server_write));
        let (client_read, client_write) = tokio::io::split(client_io);
        let mut c = Client::new(client_read, client_write);
        let init = c.call("initialize", setup.initialize_params()).await;
        c.notify("initialized", json!({})).await;
        Session {
            c,
            enc: setup.enc,
            init,
            server,
        }
    }

    pub async fn utf(enc: Enc) -> Session {
        Session::start(Setup::new(enc)).await
    }

    pub fn doc(&self, uri: &str, text: &str) -> Doc {
        Doc::new(uri, text, self.enc)
    }

    pub async fn open(&self, doc: &Doc, version: i32) {
        self.c
            .notify(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": doc.uri, "languageId": "plaintext", "version": version, "text": doc.text}}),
            )
            .await;
    }

    /// Replaces the whole text of `doc` (a full-text change) and returns the new document.
    pub async fn replace(&self, doc: &Doc, text: &str, version: i32) -> Doc {
        self.c
            .notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": doc.uri, "version": version}, "contentChanges": [{"text": text}]}),
            )
            .await;
        Doc::new(doc.uri.clone(), text, doc.enc)
    }

    /// The server's text of an open document (a test-only request); `None` when it is not
    /// open.
    pub async fn server_text(&mut self, uri: &str) -> Option<String> {
        let r = self.c.call("lexls/debugText", json!({"uri": uri})).await;
        r.as_str().map(str::to_owned)
    }

    /// `shutdown`, then `exit`; `serve` must return.
    pub async fn shutdown(mut self) {
        let r = self.c.request("shutdown", Value::Null).await;
        assert_eq!(r, Ok(Value::Null), "shutdown answers null");
        self.c.notify("exit", Value::Null).await;
        let clean = tokio::time::timeout(TIMEOUT, &mut self.server)
            .await
            .expect("serve() returns after exit")
            .expect("serve() does not panic");
        assert!(clean, "serve() reports that shutdown came before exit");
        assert!(self.c.garbage().is_empty(), "{:?}", self.c.garbage());
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.server.abort();
    }
}
