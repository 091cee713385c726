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

/// What a frame does to the frames after it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum After {
    /// They are read.
    Read,
    /// `exit`: the server stops reading.
    Exit,
    /// Its header promises more bytes than the session has left, so they become its body
    /// (the end of input cuts it).
    Swallow,
}

/// Malformed frames, each followed by the frames after it being read (the framing layer
/// answers and resyncs), unless marked otherwise.
fn malformed() -> impl Strategy<Value = (Vec<u8>, After)> {
    let read = |v: Vec<u8>| (v, After::Read);
    prop_oneof![
        // A body that is not JSON, or not a message.
        3 => bytes(40).prop_map(|b| frame(&b)).prop_map(read),
        1 => bytes(40).prop_map(|b| {
            // Not UTF-8 inside a JSON string.
            let mut v = b"{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":\"".to_vec();
            v.extend(b.iter().map(|b| b | 0x80));
            v.extend(b"\"}");
            frame(&v)
        }).prop_map(read),
        1 => Just(read(frame(b""))),
        1 => Just(read(frame(b"{\"jsonrpc\":\"2.0\",\"id\":1}"))),
        1 => Just(read(frame(
            b"[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"shutdown\"}]"
        ))),
        1 => Just(read(frame(
            b"{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"shutdown\"}"
        ))),
        1 => Just(read(frame(b"{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":null}"))),
        1 => Just(read(frame(
            b"{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"shutdown\"}"
        ))),
        1 => Just(read(frame(
            b"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"$/lexls/rejectedFrame\",\"params\":{}}"
        ))),
        1 => Just(read(frame(b"{\"jsonrpc\":\"2.0\",\"method\":\"initialized\"}trailing"))),
        // Headers that lie or do not parse.
        1 => Just(read(b"Content-Length: 5\r\n\r\n{}".to_vec())),
        1 => Just(read(b"Content-Length: 1\r\n\r\n{}".to_vec())),
        1 => Just(read(b"Content-Length: 0\r\n\r\n".to_vec())),
        1 => Just(read(b"Content-Length: 99999999999999999999\r\n\r\n{}".to_vec())),
        1 => Just(read(b"Content-Length: -1\r\n\r\n".to_vec())),
        1 => Just(read(b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}".to_vec())),
        1 => Just(read(b"Content-Type: text/html\r\nContent-Length: 2\r\n\r\n{}".to_vec())),
        1 => Just(read(
            b"Content-Type: a; charset=utf-16\r\nContent-Length: 2\r\n\r\n{}".to_vec()
        )),
        1 => Just(read(b"content-length: 2\r\n\r\n{}".to_vec())),
        1 => Just(read(b"Content-Type: x\r\n\r\n{}".to_vec())),
        1 => Just(read(b"\r\n\r\n".to_vec())),
        3 => bytes(64).prop_map(read),
        // A length the rest of the session cannot fill: under the 64 MiB limit (read to
        // the end of input) and over it (skipped to the end of input).
        1 => Just((b"Content-Length: 1000000\r\n\r\n{}".to_vec(), After::Swallow)),
        1 => Just((b"Content-Length: 67108865\r\n\r\n{}".to_vec(), After::Swallow)),
    ]
}

/// One frame of a session: a message, or something malformed.
fn frame_bytes() -> impl Strategy<Value = (Vec<u8>, After)> {
    let msg = (message(), any::<i64>()).prop_map(|((method, params, is_request), id)| {
        let after = if method == "exit" {
            After::Exit
        } else {
            After::Read
        };
        let mut v = json!({ "jsonrpc": "2.0", "method": method, "params": params });
        if is_request {
            v["id"] = json!(id % 1000);
        }
        (frame(&serde_json::to_vec(&v).expect("JSON")), after)
    });
    // One frame in five is malformed: the transport answers it and reads on.
    prop_oneof![4 => msg, 1 => malformed()]
}

/// The id of the request that ends every session (generated ids are below 1000).
const FINAL_ID: i64 = 1_000_000;

/// A session: usually an `initialize` first, then frames and a final hover request, maybe
/// cut anywhere. Also whether the final request must be answered: when nothing cut the
/// input, swallowed the frames after it, or asked the server to exit.
fn session() -> impl Strategy<Value = (Vec<u8>, bool)> {
    let init = frame(
        &serde_json::to_vec(&json!({
            "jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": { "processId": null, "rootUri": null, "capabilities": {} }
        }))
        .expect("JSON"),
    );
    let last = frame(
        &serde_json::to_vec(&json!({
            "jsonrpc": "2.0", "id": FINAL_ID, "method": "textDocument/hover",
            "params": {
                "textDocument": { "uri": URIS[0] }, "position": { "line": 0, "character": 0 }
            }
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
            let mut answered = true;
            for (f, after) in frames {
                out.extend(f);
                answered &= after == After::Read;
            }
            out.extend(&last);
            if truncate {
                let at = cut % (out.len() + 1);
                answered &= at == out.len();
                out.truncate(at);
            }
            (out, answered)
        })
}

#[test]
fn fuzz_jsonrpc() {
    use std::sync::atomic::{AtomicU64, Ordering};
    let counters: [AtomicU64; 4] = Default::default();
    let [bytes_in, answers, rejected, finals] = &counters;
    run("jsonrpc", session(), 64, |(data, final_answered)| {
        let out = check_jsonrpc(&data, Duration::from_secs(60));
        bytes_in.fetch_add(data.len() as u64, Ordering::Relaxed);
        answers.fetch_add(out.len() as u64, Ordering::Relaxed);
        // Answers to rejected frames: the framing layer gives a reason after the code's
        // name ("Parse error: …"); tower-lsp-server's own `-32600` (after `shutdown`) has none.
        let errors = out
            .iter()
            .filter(|m| {
                matches!(m["error"]["code"].as_i64(), Some(-32700 | -32600))
                    && m["error"]["message"]
                        .as_str()
                        .is_some_and(|s| s.contains(": "))
            })
            .count();
        rejected.fetch_add(errors as u64, Ordering::Relaxed);
        if final_answered {
            let n = out
                .iter()
                .filter(|m| m["id"] == json!(FINAL_ID) && m.get("method").is_none())
                .count();
            assert_eq!(
                n,
                1,
                "the request after the session's frames is answered once\n\
                 input: {:?}\noutput: {out:?}",
                String::from_utf8_lossy(&data[..data.len().min(4000)])
            );
            finals.fetch_add(1, Ordering::Relaxed);
        }
    });
    eprintln!(
        "fuzz jsonrpc: {} bytes sent, {} messages written by the server, {} of them answers \
         to rejected frames; {} sessions whose final request was checked and answered",
        bytes_in.load(Ordering::Relaxed),
        answers.load(Ordering::Relaxed),
        rejected.load(Ordering::Relaxed),
        finals.load(Ordering::Relaxed),
    );
}

/// Error answers: (code, id).
type Errors = Vec<(i64, Value)>;

/// A session of `initialize` (id 1), `bad`, then `shutdown` (id 2): the error answers
/// (sorted) and whether `shutdown` was answered with its result.
fn around(bad: &[u8]) -> (Errors, bool) {
    let mut input =
        frame(br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#);
    input.extend_from_slice(bad);
    input.extend(frame(br#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#));
    let out = check_jsonrpc(&input, Duration::from_secs(60));
    assert!(
        out.iter()
            .any(|m| m["id"] == json!(1) && m.get("result").is_some()),
        "initialize is answered: {out:?}"
    );
    let mut errors: Errors = out
        .iter()
        .filter_map(|m| Some((m["error"]["code"].as_i64()?, m["id"].clone())))
        .collect();
    errors.sort_by_key(|(code, id)| (*code, id.to_string()));
    let shutdown = out
        .iter()
        .any(|m| m["id"] == json!(2) && m.get("result") == Some(&Value::Null));
    (errors, shutdown)
}

/// Issue 8: a malformed frame costs an error answer, not the session. Each kind is
/// answered with the code JSON-RPC 2.0 gives it (`-32700` for what does not parse, `-32600`
/// for JSON that is not a message), with the message's id when it can be read, and the
/// request after it is still answered.
#[test]
fn a_malformed_frame_is_answered_and_the_session_goes_on() {
    // A frame with the given head, `{len}` standing for the body's length.
    let framed = |head: &str, body: &[u8]| {
        let mut v = head.replace("{len}", &body.len().to_string()).into_bytes();
        v.extend_from_slice(body);
        v
    };
    let initialized = br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
    let over_limit = {
        // Over the 64 MiB limit: answered at once, the body skipped unread.
        let len = 64 * 1024 * 1024 + 1;
        let mut v = format!("Content-Length: {len}\r\n\r\n").into_bytes();
        v.resize(v.len() + len, b'x');
        v
    };
    // The error answers expected: a parse error or an invalid request, with this id.
    let parse = |id: Value| vec![(-32700, id)];
    let invalid = |id: Value| vec![(-32600, id)];
    let null = Value::Null;
    let cases: Vec<(&str, Vec<u8>, Errors)> = vec![
        ("not JSON", frame(b"{not json"), parse(null.clone())),
        ("not UTF-8", frame(b"\"\xc3\x28\""), parse(null.clone())),
        ("an empty body", frame(b""), parse(null.clone())),
        (
            "JSON with trailing bytes",
            frame(b"{}{}"),
            parse(null.clone()),
        ),
        (
            "a batch",
            frame(br#"[{"jsonrpc":"2.0","id":40,"method":"shutdown"}]"#),
            invalid(null.clone()),
        ),
        (
            "jsonrpc 1.0",
            frame(br#"{"jsonrpc":"1.0","id":41,"method":"shutdown"}"#),
            invalid(json!(41)),
        ),
        (
            "an object as id",
            frame(br#"{"jsonrpc":"2.0","id":{},"method":"shutdown"}"#),
            invalid(null.clone()),
        ),
        (
            "no method",
            frame(br#"{"jsonrpc":"2.0","id":"no-method"}"#),
            invalid(json!("no-method")),
        ),
        (
            "a notification without jsonrpc",
            frame(br#"{"method":"initialized"}"#),
            invalid(null.clone()),
        ),
        (
            "the framing layer's reserved method",
            frame(br#"{"jsonrpc":"2.0","id":42,"method":"$/lexls/rejectedFrame","params":{}}"#),
            invalid(json!(42)),
        ),
        (
            "no Content-Length",
            b"Content-Type: application/vscode-jsonrpc\r\n\r\n{}".to_vec(),
            parse(null.clone()),
        ),
        (
            "Content-Length not a number",
            b"Content-Length: 1e3\r\n\r\n{}".to_vec(),
            parse(null.clone()),
        ),
        (
            "Content-Length of 10^20",
            b"Content-Length: 100000000000000000000\r\n\r\n{}".to_vec(),
            parse(null.clone()),
        ),
        (
            "Content-Length too short",
            b"Content-Length: 1\r\n\r\n{}".to_vec(),
            parse(null.clone()),
        ),
        (
            "Content-Length too long",
            b"Content-Length: 9\r\n\r\n{}".to_vec(),
            parse(null.clone()),
        ),
        (
            "charset utf-16",
            framed(
                "Content-Type: application/vscode-jsonrpc; charset=utf-16\r\n\
                 Content-Length: {len}\r\n\r\n",
                br#"{"jsonrpc":"2.0","id":43,"method":"shutdown"}"#,
            ),
            parse(json!(43)),
        ),
        (
            "junk between frames",
            b"\x00\xffjunk".to_vec(),
            parse(null.clone()),
        ),
        (
            "a junk line before a frame",
            b"hello\r\n".to_vec(),
            parse(null.clone()),
        ),
        ("a body over the limit", over_limit, parse(null.clone())),
        // Framing the LSP spec allows that tower-lsp-server's codec alone refused.
        (
            "a lowercase header name",
            framed("content-length: {len}\r\n\r\n", initialized),
            vec![],
        ),
        (
            "LF line endings",
            framed("Content-Length: {len}\n\n", initialized),
            vec![],
        ),
        (
            "a Content-Type without charset",
            framed(
                "Content-Type: application/vscode-jsonrpc\r\nContent-Length: {len}\r\n\r\n",
                initialized,
            ),
            vec![],
        ),
        (
            "three headers",
            framed(
                "X-One: 1\r\nContent-Length: {len}\r\nContent-Type: a; charset=UTF-8\r\n\r\n",
                initialized,
            ),
            vec![],
        ),
    ];
    let mut seen = 0;
    for (name, bad, expected) in cases {
        let (errors, shutdown) = around(&bad);
        assert_eq!(errors, expected, "{name}: the error answers");
        assert!(shutdown, "{name}: the request after it is answered");
        seen += 1;
    }
    eprintln!("transport: {seen} malformed or unusual frames, each answered, the session going on");
}

/// Several malformed frames in a row, and a frame cut by the end of input: every request
/// between them is answered, and the session ends cleanly at the end of input.
#[test]
fn malformed_frames_in_a_row_and_a_cut_frame() {
    let mut input =
        frame(br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#);
    for id in 2..12 {
        input.extend(frame(b"{bad"));
        input.extend(b"Content-Length: x\r\n\r\n");
        let hover = json!({
            "jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
            "params": {
                "textDocument": { "uri": "file:///a.txt" },
                "position": { "line": 0, "character": 0 }
            }
        });
        input.extend(frame(hover.to_string().as_bytes()));
    }
    input.extend(b"Content-Length: 100\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":99,");
    let out = check_jsonrpc(&input, Duration::from_secs(60));
    for id in 1..12 {
        let n = out
            .iter()
            .filter(|m| m["id"] == json!(id) && m.get("method").is_none())
            .count();
        assert_eq!(n, 1, "request {id} is answered once: {out:?}");
    }
    let parse_errors = out
        .iter()
        .filter(|m| m["error"]["code"] == json!(-32700) && m["id"].is_null())
        .count();
    assert_eq!(parse_errors, 20, "two parse errors per round: {out:?}");
    assert!(
        !out.iter().any(|m| m["id"] == json!(99)),
        "the cut frame is not answered"
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
