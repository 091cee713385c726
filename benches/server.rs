//! Language server benchmarks: the real server (`lexls::lsp::serve`) in process over
//! `tokio::io::duplex`, driven through the protocol by a small client (benches/common), and
//! the built binary (`lexls server` over stdio) for start-up time and resident memory.
//!
//! `cargo bench --bench server` prints Markdown tables (the README keeps the figures);
//! `cargo bench --bench server -- --quick` runs fewer rounds.
//!
//! The documents are the team's fixture articles (tests/fixtures/articles), varied and
//! repeated: a 20 KB article and a 1 MB document. The edit-to-diagnostics times exclude the
//! server's 40 ms debounce: the benchmark sets `LEXLS_DEBOUNCE_MS=0`. Everything else uses a
//! client that pulls diagnostics, so that the publisher never analyses at the same time as
//! the request being timed.

#[path = "common/client.rs"]
mod client;
#[path = "common/corpus.rs"]
mod corpus;

use std::time::{Duration, Instant};

use client::{Client, initialize_params, line_starts, position};
use corpus::{Rng, document};
use serde_json::{Value, json};

/// A server in this process and a client connected to it.
struct InProcess {
    c: Client,
    server: tokio::task::JoinHandle<()>,
    /// How long `initialize` took.
    initialize: Duration,
}

impl InProcess {
    async fn start(pull: bool) -> InProcess {
        let (client_io, server_io) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_io);
        let server = tokio::spawn(async move {
            lexls::lsp::serve(server_read, server_write).await;
        });
        let (client_read, client_write) = tokio::io::split(client_io);
        let mut c = Client::new(client_read, client_write);
        let t = Instant::now();
        c.call("initialize", initialize_params(pull)).await;
        let initialize = t.elapsed();
        c.notify("initialized", json!({})).await;
        InProcess {
            c,
            server,
            initialize,
        }
    }

    async fn stop(mut self) {
        self.c.call("shutdown", Value::Null).await;
        self.c.notify("exit", Value::Null).await;
        let _ = tokio::time::timeout(Duration::from_secs(10), &mut self.server).await;
    }
}

/// An open document and the text the client believes it has.
struct Doc {
    uri: String,
    text: String,
    starts: Vec<usize>,
    version: i64,
}

impl Doc {
    async fn open(c: &Client, name: &str, text: String) -> Doc {
        let uri = format!("file:///bench/{name}.txt");
        c.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "plaintext", "version": 1, "text": text}}),
        )
        .await;
        Doc {
            uri,
            starts: line_starts(&text),
            text,
            version: 1,
        }
    }

    fn id(&self) -> Value {
        json!({"uri": self.uri})
    }

    fn pos(&self, offset: usize) -> Value {
        position(&self.text, &self.starts, offset)
    }

    /// Replaces `range` with `with` (an incremental change) and sends it.
    async fn edit(&mut self, c: &Client, range: std::ops::Range<usize>, with: &str) {
        let r = json!({"start": self.pos(range.start), "end": self.pos(range.end)});
        self.version += 1;
        c.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": self.uri, "version": self.version},
                "contentChanges": [{"range": r, "text": with}],
            }),
        )
        .await;
        self.text.replace_range(range, with);
        self.starts = line_starts(&self.text);
    }

    /// A place inside a word to type at: a letter after a letter, away from line breaks.
    fn typing_point(&self, rng: &mut Rng) -> usize {
        loop {
            let at = rng.below(self.text.len() as u64) as usize;
            if self.text.is_char_boundary(at)
                && self.text[..at].ends_with(|c: char| c.is_ascii_lowercase())
                && self.text[at..].starts_with(|c: char| c.is_ascii_lowercase())
            {
                return at;
            }
        }
    }

    /// Types one letter at a random place, or deletes the one typed last: the text goes back
    /// and forth, so every round analyses the same amount of text.
    async fn type_or_undo(&mut self, c: &Client, rng: &mut Rng, typed: &mut Option<usize>) {
        match typed.take() {
            Some(at) => self.edit(c, at..at + 1, "").await,
            None => {
                let at = self.typing_point(rng);
                self.edit(c, at..at, "x").await;
                *typed = Some(at);
            }
        }
    }
}

/// Median and 99th percentile.
struct Stats {
    p50: Duration,
    p99: Duration,
    n: usize,
}

fn stats(mut times: Vec<Duration>) -> Stats {
    times.sort();
    let n = times.len();
    Stats {
        p50: times[n / 2],
        p99: times[(n * 99).div_ceil(100) - 1],
        n,
    }
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.1} ms")
    }
}

fn size_label(bytes: usize) -> String {
    if bytes >= 1_000_000 {
        format!("{} MB", bytes / 1_000_000)
    } else {
        format!("{} KB", bytes / 1000)
    }
}

/// Time from `didChange` to the diagnostics of that version, the debounce excluded.
async fn edit_to_diagnostics(c: &Client, doc: &mut Doc, rounds: usize, rng: &mut Rng) -> Stats {
    c.diagnostics(&doc.uri, doc.version).await;
    let mut typed = None;
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let t = Instant::now();
        doc.type_or_undo(c, rng, &mut typed).await;
        c.diagnostics(&doc.uri, doc.version).await;
        times.push(t.elapsed());
    }
    stats(times)
}

/// The figures for one document, in a client that pulls diagnostics.
struct DocFigures {
    hover: Stats,
    full: Stats,
    delta: Stats,
    edit_tokens: Stats,
}

async fn document_figures(text: String, hovers: usize, rounds: usize) -> DocFigures {
    let mut s = InProcess::start(true).await;
    let mut rng = Rng(7);
    let mut doc = Doc::open(&s.c, "doc", text).await;
    // Where to hover: the middle of mentions, as the core finds them.
    let engine = lexls::analysis::Engine::embedded();
    let mentions: Vec<usize> = engine
        .analyze(&doc.text)
        .mentions
        .iter()
        .map(|m| {
            let mut mid = (m.span.start + m.span.end) / 2;
            while !doc.text.is_char_boundary(mid) {
                mid -= 1;
            }
            mid
        })
        .collect();
    assert!(!mentions.is_empty(), "the document has mentions");
    let diagnostic = |doc: &Doc| json!({"textDocument": doc.id()});

    // The first request analyses; the hovers then read the cached analysis.
    s.c.call("textDocument/diagnostic", diagnostic(&doc)).await;
    let mut hover = Vec::with_capacity(hovers);
    for _ in 0..hovers {
        let at = mentions[rng.below(mentions.len() as u64) as usize];
        let p = json!({"textDocument": doc.id(), "position": doc.pos(at)});
        let t = Instant::now();
        let h = s.c.call("textDocument/hover", p).await;
        hover.push(t.elapsed());
        assert!(!h.is_null(), "a hover at a mention");
    }

    let mut full = Vec::with_capacity(rounds);
    let mut result_id = Value::Null;
    for _ in 0..rounds {
        let t = Instant::now();
        let r =
            s.c.call(
                "textDocument/semanticTokens/full",
                json!({"textDocument": doc.id()}),
            )
            .await;
        full.push(t.elapsed());
        result_id = r["resultId"].clone();
    }

    // Delta after a one-letter edit, the edit already analysed (by a diagnostic pull); and
    // from the edit to fresh tokens, the analysis included.
    let mut delta = Vec::with_capacity(rounds);
    let mut edit_tokens = Vec::with_capacity(rounds);
    let mut typed = None;
    for round in 0..rounds * 2 {
        let t = Instant::now();
        doc.type_or_undo(&s.c, &mut rng, &mut typed).await;
        let fresh = round % 2 == 0;
        if !fresh {
            s.c.call("textDocument/diagnostic", diagnostic(&doc)).await;
        }
        let t_delta = Instant::now();
        let r =
            s.c.call(
                "textDocument/semanticTokens/full/delta",
                json!({"textDocument": doc.id(), "previousResultId": result_id}),
            )
            .await;
        assert!(r.get("edits").is_some(), "a delta: {r}");
        if fresh {
            edit_tokens.push(t.elapsed());
        } else {
            delta.push(t_delta.elapsed());
        }
        result_id = r["resultId"].clone();
    }
    s.stop().await;
    DocFigures {
        hover: stats(hover),
        full: stats(full),
        delta: stats(delta),
        edit_tokens: stats(edit_tokens),
    }
}

/// `VmRSS` and `VmHWM` of a process, in MB.
fn memory(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// The built binary, `lexls server` over stdio, and a client on its pipes.
struct Child {
    c: Client,
    child: tokio::process::Child,
}

impl Child {
    async fn start(cache: &std::path::Path) -> (Child, Duration) {
        let t = Instant::now();
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_lexls"))
            .arg("server")
            .env("LEXLS_CACHE_DIR", cache)
            .env_remove("LEXLS_DEBOUNCE_MS")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("lexls server starts");
        let stdin = child.stdin.take().expect("piped");
        let stdout = child.stdout.take().expect("piped");
        let mut c = Client::new(stdout, stdin);
        c.call("initialize", initialize_params(false)).await;
        let started = t.elapsed();
        c.notify("initialized", json!({})).await;
        (Child { c, child }, started)
    }

    fn pid(&self) -> u32 {
        self.child.id().expect("running")
    }

    async fn stop(mut self) {
        self.c.call("shutdown", Value::Null).await;
        self.c.notify("exit", Value::Null).await;
        let _ = tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await;
    }
}

async fn run(quick: bool) {
    let cache = tempfile::tempdir().expect("a temporary folder");
    let (hovers, rounds, starts) = if quick { (200, 20, 3) } else { (1000, 100, 10) };

    println!("# lexls server benchmarks\n");
    println!(
        "machine: {} cores; build: release; positions in UTF-16 (as VS Code); debounce excluded\n",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );

    // Start-up.
    let cold = InProcess::start(false).await;
    let cold_init = cold.initialize;
    cold.stop().await;
    let mut warm = Vec::new();
    for _ in 0..starts {
        let s = InProcess::start(false).await;
        warm.push(s.initialize);
        s.stop().await;
    }
    let mut spawned = Vec::new();
    for _ in 0..starts {
        let (child, t) = Child::start(cache.path()).await;
        spawned.push(t);
        child.stop().await;
    }
    let warm = stats(warm);
    let spawned = stats(spawned);
    println!("## Start-up with the embedded lexicon (target: initialize < 50 ms)\n");
    println!("| what | p50 | worst | runs | target |");
    println!("| --- | ---: | ---: | ---: | --- |");
    println!(
        "| `lexls server` process: spawn to `initialize` answered | {} | {} | {} | {} |",
        ms(spawned.p50),
        ms(spawned.p99),
        spawned.n,
        met(spawned.p99 < Duration::from_millis(50))
    );
    println!(
        "| in process, first `initialize` (builds the engine) | {} | | 1 | {} |",
        ms(cold_init),
        met(cold_init < Duration::from_millis(50))
    );
    println!(
        "| in process, later `initialize` (engine built) | {} | {} | {} | |\n",
        ms(warm.p50),
        ms(warm.p99),
        warm.n
    );

    // Hover and semantic tokens, on the article and the 1 MB document.
    println!(
        "## Requests ({hovers} hovers at random mentions; {rounds} rounds of tokens; one-letter edits)\n"
    );
    println!("| request | document | p50 | p99 | target |");
    println!("| --- | --- | ---: | ---: | --- |");
    for (bytes, hover_target, tokens_target) in [(20_000, 1, 10), (1_000_000, 5, 50)] {
        let rounds = if bytes > 100_000 { rounds / 2 } else { rounds };
        let f = document_figures(document(bytes, 1), hovers, rounds).await;
        let d = size_label(bytes);
        let row = |what: &str, s: &Stats, target: Option<u64>| {
            let verdict = target.map_or(String::new(), |t| {
                format!("p99 < {t} ms: {}", met(s.p99 < Duration::from_millis(t)))
            });
            println!(
                "| {what} | {d} | {} | {} | {verdict} |",
                ms(s.p50),
                ms(s.p99)
            );
        };
        row("hover", &f.hover, Some(hover_target));
        row("semanticTokens/full", &f.full, None);
        row("semanticTokens/full/delta after an edit", &f.delta, None);
        row(
            "edit → fresh tokens (didChange, then full/delta)",
            &f.edit_tokens,
            Some(tokens_target),
        );
    }

    // Edit to diagnostics against document size.
    println!("\n## Edit → published diagnostics, against document size (debounce excluded)\n");
    println!(
        "An edit re-matches only the paragraphs it changed; the lint rules read the whole document.\n"
    );
    println!("| document | p50 | p99 | rounds | MB/s |");
    println!("| ---: | ---: | ---: | ---: | ---: |");
    for bytes in [10_000usize, 20_000, 100_000, 1_000_000, 10_000_000] {
        let n = match bytes {
            b if b <= 100_000 => rounds,
            1_000_000 => rounds / 4,
            _ => rounds / 20,
        }
        .max(3);
        let s = InProcess::start(false).await;
        let mut doc = Doc::open(&s.c, "sized", document(bytes, 2)).await;
        let st = edit_to_diagnostics(&s.c, &mut doc, n, &mut Rng(11)).await;
        println!(
            "| {} | {} | {} | {} | {:.0} |",
            size_label(bytes),
            ms(st.p50),
            ms(st.p99),
            st.n,
            bytes as f64 / 1e6 / st.p50.as_secs_f64()
        );
        s.stop().await;
    }

    // Memory: the built binary with 300 open articles.
    let (child, _) = Child::start(cache.path()).await;
    let pid = child.pid();
    let (idle, _) = memory(pid);
    let articles = 300;
    let mut docs = Vec::new();
    for i in 0..articles {
        docs.push(Doc::open(&child.c, &format!("a{i}"), document(20_000, 100 + i as u64)).await);
    }
    for d in &docs {
        child.c.diagnostics(&d.uri, 1).await;
    }
    let (open, _) = memory(pid);
    let mut c = child;
    for d in &docs {
        c.c.call(
            "textDocument/semanticTokens/full",
            json!({"textDocument": d.id()}),
        )
        .await;
    }
    let (tokens, peak) = memory(pid);
    c.stop().await;
    println!("\n## Memory of `lexls server` (resident; target: < 100 MB with 300 open articles)\n");
    println!("| state | VmRSS | target |");
    println!("| --- | ---: | --- |");
    println!("| initialized, embedded lexicon, no document | {idle:.1} MB | |");
    println!(
        "| {articles} articles of 20 KB open, diagnostics published | {open:.1} MB | {} |",
        met(open < 100.0)
    );
    println!(
        "| and semantic tokens sent for each | {tokens:.1} MB | {} |",
        met(tokens < 100.0)
    );
    println!("| peak (VmHWM) | {peak:.1} MB | {} |", met(peak < 100.0));
}

fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "**not met**" }
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    // SAFETY: set before the runtime and any other thread start; the server reads it once.
    unsafe { std::env::set_var("LEXLS_DEBOUNCE_MS", "0") };
    let cache = tempfile::tempdir().expect("a temporary folder");
    // SAFETY: as above. Go to definition would write the lexicon here, not in the user's
    // cache.
    unsafe { std::env::set_var("LEXLS_CACHE_DIR", cache.path()) };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(run(quick));
}
