//! Fuzz targets as time-bounded runs (the same targets as `tests/fuzz/fuzz_targets/*.rs` for
//! cargo-fuzz, which needs nightly): `normalize_match` (bytes → text → normaliser, matcher,
//! rules), `lexicon_load` (bytes → lexicon loader), `jsonrpc` (bytes → `lexls::lsp::serve`).
//!
//! By default each runs a modest number of cases; with `LEXLS_FUZZ_SECS=N` each runs for N
//! seconds and prints how many inputs it tried (`.ci/fuzz.sh`).

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use serde_json::{Value, json};

use super::inputs;
use super::invariants::{check_bytes, check_jsonrpc, check_lexicon_bytes, frame};
use super::lexicon::mutated_lexicon;

fn budget() -> Option<Duration> {
    std::env::var("LEXLS_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs)
}

/// Runs `check` on inputs from `strategy`: `default` cases, or batches until the budget
/// is spent. Prints the number of inputs tried.
fn run<S: Strategy>(name: &str, strategy: S, default: u32, check: impl Fn(S::Value)) {
    let started = Instant::now();
    let mut tried = 0u64;
    loop {
        let batch = if budget().is_some() { 64 } else { default };
        let mut runner = TestRunner::new(inputs::config(batch));
        runner
            .run(&strategy, |v| {
                check(v);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("fuzz {name}: {e}"));
        tried += u64::from(runner.config().cases);
        match budget() {
            Some(b) if started.elapsed() < b => continue,
            _ => break,
        }
    }
    eprintln!(
        "fuzz {name}: {tried} inputs in {:.1?}, no failure",
        started.elapsed()
    );
}

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..max)
}

#[test]
fn fuzz_normalize_match() {
    let strategy = prop_oneof![
        1 => bytes(512),
        3 => inputs::text(120).prop_map(String::into_bytes),
        1 => (inputs::text(60), bytes(8), any::<usize>()).prop_map(|(t, b, at)| {
            // Text with a few raw bytes spliced in (invalid UTF-8 becomes U+FFFD).
            let mut v = t.into_bytes();
            let at = at % (v.len() + 1);
            v.splice(at..at, b);
            v
        }),
    ];
    run("normalize_match", strategy, 128, |data| check_bytes(&data));
}

#[test]
fn fuzz_lexicon_load() {
    let strategy = prop_oneof![
        1 => bytes(400),
        4 => mutated_lexicon(),
    ];
    run("lexicon_load", strategy, 32, |data| {
        check_lexicon_bytes(&data)
    });
}

/// Documents the fuzz clients touch: plain articles, a settings file and a lexicon file
/// (both checked as TOML when open), and a document that is never opened.
const URIS: &[&str] = &[
    "file:///fuzz/a.txt",
    "file:///fuzz/b.md",
    "file:///fuzz/.lexls.toml",
    "file:///fuzz/lexicon/extra.toml",
    "untitled:Untitled-1",
    "file:///fuzz/never-opened.txt",
];

fn position() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => (0u32..4, 0u32..40),
        1 => (any::<u32>(), any::<u32>()),
    ]
    .prop_map(|(l, c)| json!({ "line": l, "character": c }))
}

fn range() -> impl Strategy<Value = Value> {
    (position(), position()).prop_map(|(s, e)| json!({ "start": s, "end": e }))
}

fn doc() -> impl Strategy<Value = Value> {
    proptest::sample::select(URIS).prop_map(|u| json!({ "uri": u }))
}

/// Text for a document: an article, or TOML for the settings and lexicon files.
fn doc_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => inputs::text(30),
        1 => Just("[rules]\nunknown-acronym = \"error\"\n".to_owned()),
        1 => Just("lexicon = [\"lexicon/\"]\ninlay-hints = \"all\"\n".to_owned()),
        1 => Just("[[organisation]]\nid = \"x\"\nname.en = \"X Org\"\nacronyms = [\"XO\"]\n".to_owned()),
        1 => Just("[[organisation]]\nid = \"amic\"\n[".to_owned()),
    ]
}

/// Params of one method, well-formed or not.
fn message() -> impl Strategy<Value = (String, Value, bool)> {
    let req =
        |m: &'static str, p: BoxedStrategy<Value>| p.prop_map(move |p| (m.to_owned(), p, true));
    let note =
        |m: &'static str, p: BoxedStrategy<Value>| p.prop_map(move |p| (m.to_owned(), p, false));
    let at = (doc(), position())
        .prop_map(|(d, p)| json!({ "textDocument": d, "position": p }))
        .boxed();
    let whole = doc().prop_map(|d| json!({ "textDocument": d })).boxed();
    let ranged = (doc(), range())
        .prop_map(
            |(d, r)| json!({ "textDocument": d, "range": r, "context": { "diagnostics": [] } }),
        )
        .boxed();
    let change = (
        doc(),
        any::<i32>(),
        proptest::collection::vec(
            prop_oneof![
                4 => (range(), inputs::insert_text())
                    .prop_map(|(r, t)| json!({ "range": r, "text": t })),
                1 => doc_text().prop_map(|t| json!({ "text": t })),
            ],
            0..4,
        ),
    )
        .prop_map(|(d, v, c)| {
            json!({ "textDocument": { "uri": d["uri"], "version": v }, "contentChanges": c })
        })
        .boxed();
    let open = (doc(), any::<i32>(), doc_text())
        .prop_map(|(d, v, t)| {
            json!({ "textDocument": {
                "uri": d["uri"], "languageId": "plaintext", "version": v, "text": t
            } })
        })
        .boxed();
    let init = (
        proptest::sample::subsequence(vec!["utf-8", "utf-16", "utf-32", "utf-7"], 0..4),
        proptest::option::of(Just("file:///fuzz")),
        any::<bool>(),
    )
        .prop_map(|(encs, root, pull)| {
            let mut td = json!({ "hover": { "contentFormat": ["plaintext"] } });
            if pull {
                td["diagnostic"] = json!({});
            }
            json!({
                "processId": null,
                "rootUri": root,
                "capabilities": { "general": { "positionEncodings": encs }, "textDocument": td },
                "initializationOptions": { "lexls": { "inlay-hints": "all", "entity-hints": true } }
            })
        })
        .boxed();
    let settings = prop_oneof![
        Just(json!({ "settings": { "lexls": { "inlay-hints": "bogus" } } })),
        Just(json!({ "settings": { "lexls": { "rules": { "unknown-acronym": 7 } } } })),
        Just(json!({ "settings": { "lexls": { "lexicon": ["/fuzz/nowhere.toml"] } } })),
        Just(json!({ "settings": null })),
    ]
    .boxed();
    let junk = prop_oneof![
        Just(Value::Null),
        Just(json!(1)),
        Just(json!([])),
        Just(json!("x")),
        Just(json!({ "textDocument": 5 })),
    ]
    .boxed();
    prop_oneof![
        1 => req("initialize", init),
        1 => note("initialized", Just(json!({})).boxed()),
        3 => note("textDocument/didOpen", open),
        5 => note("textDocument/didChange", change),
        1 => note("textDocument/didClose", whole.clone()),
        1 => note("textDocument/didSave", whole.clone()),
        1 => note("workspace/didChangeConfiguration", settings),
        1 => note(
            "workspace/didChangeWatchedFiles",
            doc().prop_map(|d| json!({ "changes": [{ "uri": d["uri"], "type": 2 }] })).boxed()
        ),
        1 => req("textDocument/hover", at.clone()),
        1 => req("textDocument/definition", at.clone()),
        1 => req("textDocument/declaration", at.clone()),
        1 => req("textDocument/documentHighlight", at.clone()),
        1 => req("textDocument/completion", at.clone()),
        1 => req(
            "textDocument/references",
            at.prop_map(|mut v| {
                v["context"] = json!({ "includeDeclaration": true });
                v
            })
            .boxed()
        ),
        2 => req("textDocument/semanticTokens/full", whole.clone()),
        1 => req(
            "textDocument/semanticTokens/full/delta",
            whole.clone().prop_map(|mut v| {
                v["previousResultId"] = json!("1");
                v
            })
            .boxed()
        ),
        1 => req("textDocument/semanticTokens/range", ranged.clone()),
        1 => req("textDocument/inlayHint", ranged.clone()),
        1 => req("textDocument/codeAction", ranged),
        1 => req("textDocument/documentSymbol", whole.clone()),
        1 => req("textDocument/diagnostic", whole),
        1 => req(
            "workspace/symbol",
            inputs::piece().prop_map(|q| json!({ "query": q })).boxed()
        ),
        1 => req("textDocument/hover", junk.clone()),
        1 => note("textDocument/didChange", junk.clone()),
        1 => req("lexls/unknown", junk.clone()),
        1 => note("$/cancelRequest", Just(json!({ "id": 1 })).boxed()),
        1 => req("shutdown", Just(Value::Null).boxed()),
        1 => note("exit", Just(Value::Null).boxed()),
    ]
}

/// One frame of a session: a message, or something malformed.
fn frame_bytes() -> impl Strategy<Value = Vec<u8>> {
    let msg = (message(), any::<i64>()).prop_map(|((method, params, is_request), id)| {
        let mut v = json!({ "jsonrpc": "2.0", "method": method, "params": params });
        if is_request {
            v["id"] = json!(id % 1000);
        }
        frame(&serde_json::to_vec(&v).expect("JSON"))
    });
    let malformed = prop_oneof![
        // A body that is not JSON, or not a message.
        bytes(40).prop_map(|b| frame(&b)),
        Just(frame(b"{\"jsonrpc\":\"2.0\",\"id\":1}")),
        Just(frame(
            b"[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"shutdown\"}]"
        )),
        Just(frame(
            b"{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"shutdown\"}"
        )),
        Just(frame(b"{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":null}")),
        Just(frame(
            b"{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"shutdown\"}"
        )),
        // Headers that lie or do not parse.
        Just(b"Content-Length: 5\r\n\r\n{}".to_vec()),
        Just(b"Content-Length: 99999999999999999999\r\n\r\n{}".to_vec()),
        Just(b"Content-Length: 1000000\r\n\r\n{}".to_vec()),
        Just(b"Content-Length: -1\r\n\r\n".to_vec()),
        Just(b"Content-Type: text/html\r\nContent-Length: 2\r\n\r\n{}".to_vec()),
        Just(b"content-length: 2\r\n\r\n{}".to_vec()),
        Just(b"\r\n\r\n".to_vec()),
        bytes(64),
    ];
    // Malformed frames are rare: the transport stops reading at the first one.
    prop_oneof![24 => msg, 1 => malformed]
}

/// A session: usually an `initialize` first, then frames, cut anywhere.
fn session() -> impl Strategy<Value = Vec<u8>> {
    let init = frame(
        &serde_json::to_vec(&json!({
            "jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": { "processId": null, "rootUri": null, "capabilities": {} }
        }))
        .expect("JSON"),
    );
    (
        proptest::bool::weighted(0.9),
        proptest::collection::vec(frame_bytes(), 0..24),
        any::<usize>(),
        proptest::bool::weighted(0.2),
    )
        .prop_map(move |(start, frames, cut, truncate)| {
            let mut out = if start { init.clone() } else { Vec::new() };
            for f in frames {
                out.extend(f);
            }
            if truncate {
                out.truncate(cut % (out.len() + 1));
            }
            out
        })
}

#[test]
fn fuzz_jsonrpc() {
    use std::sync::atomic::{AtomicU64, Ordering};
    let (bytes_in, answers) = (AtomicU64::new(0), AtomicU64::new(0));
    run("jsonrpc", session(), 64, |data| {
        let out = check_jsonrpc(&data, Duration::from_secs(60));
        bytes_in.fetch_add(data.len() as u64, Ordering::Relaxed);
        answers.fetch_add(out.len() as u64, Ordering::Relaxed);
    });
    eprintln!(
        "fuzz jsonrpc: {} bytes sent, {} messages written by the server",
        bytes_in.into_inner(),
        answers.into_inner()
    );
}

/// What a malformed frame does, pinned down (tower-lsp-server 0.23 with tokio-util 0.7):
/// a body that is not JSON is answered with a parse error, and the server then stops
/// reading — `serve()` returns. Messages after it are not answered. If this changes (the
/// transport learns to resync), this test says so.
#[test]
fn a_malformed_body_ends_the_session_cleanly() {
    let init =
        frame(br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#);
    let mut input = init.clone();
    input.extend(frame(b"{not json"));
    input.extend(frame(br#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#));
    let out = check_jsonrpc(&input, Duration::from_secs(60));
    let ids: Vec<&Value> = out.iter().filter_map(|m| m.get("id")).collect();
    assert!(ids.contains(&&json!(1)), "initialize is answered: {out:?}");
    assert!(
        out.iter().any(|m| m["error"]["code"] == json!(-32700)),
        "the bad body is answered with a parse error: {out:?}"
    );
    assert!(
        !ids.contains(&&json!(2)),
        "messages after a malformed one are not read (transport limitation): {out:?}"
    );
}

/// The seed sessions of the cargo-fuzz `jsonrpc` corpus (`tests/fuzz/seeds/jsonrpc`) pass the
/// checks, and every request of the full sessions is answered exactly once. (They are sent
/// all at once, so requests that overtake `initialize` are rightly refused with "not
/// initialized"; what matters is that none is lost.)
#[test]
fn jsonrpc_seed_sessions() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/seeds/jsonrpc");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("the seed folder") {
        let path = entry.expect("an entry").path();
        let input = std::fs::read(&path).expect("a seed");
        let out = check_jsonrpc(&input, Duration::from_secs(60));
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().ends_with("-session"))
        {
            for id in 0..=7 {
                let answers = out
                    .iter()
                    .filter(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
                    .count();
                assert_eq!(answers, 1, "{}: answers to request {id}", path.display());
            }
        }
        seen += 1;
    }
    assert!(seen >= 5, "the seed sessions are there");
}
