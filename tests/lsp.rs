//! The language server through the real protocol.
//!
//! Most tests run `lexls::lsp::serve` in process over `tokio::io::duplex`, with a small
//! client (`lsp/client.rs`) that frames JSON-RPC, matches responses by id, keeps the
//! server's notifications and answers its requests. Features are checked in a UTF-8 session
//! (the client offers `utf-8`) and a UTF-16 session (no offer), on fixtures with
//! Vietnamese text, emoji (astral characters) and CRLF line breaks; every expected position
//! is computed by the test (`lsp/text.rs`), not by the server's converter. The last tests
//! drive the built binary over stdio.

#[path = "lsp/client.rs"]
mod client;
#[path = "lsp/session.rs"]
mod session;
#[path = "lsp/text.rs"]
mod text;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use client::{Client, TIMEOUT};
use session::{CACHE_DIR, Session, Setup};
use text::{
    Doc, Enc, apply_edits, decode_tokens, file_uri, find, line_char, lines, position, range,
    token_data, uri_path,
};

/// A Vietnamese article with CRLF line breaks, emoji before and after mentions, a person's
/// name broken across a line break, a defined acronym, a meeting edition and a misspelling.
const VI: &str = include_str!("fixtures/lsp/vi_crlf.txt");
const VI_URI: &str = "file:///newsroom/vi_crlf.txt";
/// An English article: `ASC` used ambiguously, then defined, then used again.
const EN_ASC: &str = include_str!("fixtures/lsp/en_asc.txt");
const EN_URI: &str = "file:///newsroom/en_asc.txt";

/// Runs an async test body in a UTF-8 session and in a UTF-16 session, as `name::utf8` and
/// `name::utf16`.
macro_rules! both_encodings {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use super::Enc;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn utf8() {
                super::$name(Enc::Utf8).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn utf16() {
                super::$name(Enc::Utf16).await
            }
        }
    )*};
}

both_encodings!(
    initialize,
    hover,
    hover_ambiguous_and_defined,
    definition,
    declaration,
    references,
    document_highlight,
    semantic_tokens_full,
    semantic_tokens_delta,
    semantic_tokens_range,
    push_diagnostics,
    quick_fix,
    normalise_action,
    completion,
    document_symbols,
    workspace_symbols,
    inlay_hints,
    rules_setting,
    out_of_range_and_unknown_documents,
);

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn hover_text(h: &Value) -> &str {
    str_of(&h["contents"]["value"])
}

fn assert_contains(haystack: &str, needles: &[&str]) {
    for n in needles {
        assert!(haystack.contains(n), "{n:?} is missing from:\n{haystack}");
    }
}

/// The token type names and modifier names of the legend the server declared.
fn legend(s: &Session) -> (Vec<String>, Vec<String>) {
    let l = &s.init["capabilities"]["semanticTokensProvider"]["legend"];
    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("a legend list")
            .iter()
            .map(|x| str_of(x).to_owned())
            .collect()
    };
    (names(&l["tokenTypes"]), names(&l["tokenModifiers"]))
}

/// A decoded token, with names.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    line: usize,
    start: usize,
    len: usize,
    ty: String,
    mods: Vec<String>,
}

fn named_tokens(s: &Session, data: &[u32]) -> Vec<Token> {
    let (types, mods) = legend(s);
    decode_tokens(data)
        .into_iter()
        .map(|[line, start, len, ty, m]| Token {
            line: line as usize,
            start: start as usize,
            len: len as usize,
            ty: types[ty as usize].clone(),
            mods: mods
                .iter()
                .enumerate()
                .filter(|(i, _)| m & (1 << i) != 0)
                .map(|(_, n)| n.clone())
                .collect(),
        })
        .collect()
}

/// The token that starts at byte `offset` of the document.
fn token_at<'a>(doc: &Doc, tokens: &'a [Token], offset: usize) -> &'a Token {
    let (line, start) = line_char(&doc.text, offset, doc.enc);
    tokens
        .iter()
        .find(|t| t.line == line && t.start == start)
        .unwrap_or_else(|| panic!("no token at {line}:{start}; tokens: {tokens:#?}"))
}

/// Tokens lie inside one line each, in order, without overlaps.
fn assert_well_formed(doc: &Doc, tokens: &[Token]) {
    let ls = lines(&doc.text);
    let mut prev_end = (0, 0);
    for t in tokens {
        let (s, e) = ls[t.line];
        let line_len = doc.enc.len(&doc.text[s..e]);
        assert!(t.len > 0, "an empty token: {t:?}");
        assert!(
            t.start + t.len <= line_len,
            "token {t:?} goes past the end of line {} ({line_len} units)",
            t.line
        );
        assert!(
            (t.line, t.start) >= prev_end,
            "token {t:?} overlaps or comes before the previous one"
        );
        prev_end = (t.line, t.start + t.len);
    }
}

async fn full_tokens(s: &mut Session, doc: &Doc) -> (String, Vec<u32>) {
    let r =
        s.c.call(
            "textDocument/semanticTokens/full",
            json!({"textDocument": doc.id()}),
        )
        .await;
    (str_of(&r["resultId"]).to_owned(), token_data(&r))
}

/// Sends an incremental change replacing `range` with `new_text` and returns the new text.
async fn change(s: &Session, doc: &mut Doc, start: usize, end: usize, new: &str, version: i32) {
    let r = range(&doc.text, start, end, doc.enc);
    s.c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": doc.uri, "version": version}, "contentChanges": [{"range": r, "text": new}]}),
    )
    .await;
    doc.text.replace_range(start..end, new);
}

/// Diagnostics of a `publishDiagnostics` or a pull report with the given code.
fn with_code<'a>(diags: &'a Value, code: &str) -> Vec<&'a Value> {
    diags
        .as_array()
        .expect("a diagnostics list")
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

// ---------------------------------------------------------------------------------------
// initialize

async fn initialize(enc: Enc) {
    let s = Session::utf(enc).await;
    let caps = &s.init["capabilities"];
    assert_eq!(caps["positionEncoding"], enc.name(), "{caps}");
    assert_eq!(s.init["serverInfo"]["name"], "lexls");
    let sync = &caps["textDocumentSync"];
    assert_eq!(sync["openClose"], true);
    assert_eq!(sync["change"], 2, "incremental sync");
    for p in [
        "hoverProvider",
        "definitionProvider",
        "declarationProvider",
        "referencesProvider",
        "documentHighlightProvider",
        "documentSymbolProvider",
        "workspaceSymbolProvider",
        "inlayHintProvider",
    ] {
        assert!(
            caps[p] == true || caps[p].is_object(),
            "{p} is not declared: {caps}"
        );
    }
    assert!(caps["completionProvider"].is_object());
    let kinds = &caps["codeActionProvider"]["codeActionKinds"];
    assert!(kinds.as_array().unwrap().contains(&json!("quickfix")));
    assert!(
        kinds
            .as_array()
            .unwrap()
            .contains(&json!("source.normalizeUnicode.lexls"))
    );
    let st = &caps["semanticTokensProvider"];
    assert_eq!(st["full"]["delta"], true);
    assert_eq!(st["range"], true);
    let (types, mods) = legend(&s);
    for t in [
        "organisation",
        "meeting",
        "person",
        "place",
        "document",
        "term",
    ] {
        assert!(types.iter().any(|x| x == t), "{t} is not in {types:?}");
    }
    for m in ["definition", "ambiguous", "unresolvedEdition"] {
        assert!(mods.iter().any(|x| x == m), "{m} is not in {mods:?}");
    }
    // Declared only when the client can pull.
    assert!(caps.get("diagnosticProvider").is_none(), "{caps}");
    // Nothing that is not implemented.
    for p in [
        "renameProvider",
        "documentFormattingProvider",
        "codeLensProvider",
        "signatureHelpProvider",
        "foldingRangeProvider",
    ] {
        assert!(caps.get(p).is_none(), "{p} is declared but not implemented");
    }
    s.shutdown().await;
}

// ---------------------------------------------------------------------------------------
// hover

async fn hover(enc: Enc) {
    let mut s = Session::utf(enc).await;
    let d = s.doc(VI_URI, VI);
    s.open(&d, 1).await;

    // AMIC after a flag emoji (4 UTF-16 units, 8 bytes) and Vietnamese letters.
    let h =
        s.c.call("textDocument/hover", d.tdpp(d.inside("AMIC", 0)))
            .await;
    assert_eq!(h["range"], d.range_of("AMIC", 0));
    assert_eq!(h["contents"]["kind"], "markdown");
    assert_contains(
        hover_text(&h),
        &[
            "AMIC",
            "ASEAN Military Intelligence Community",
            "Cộng đồng Tình báo Quân sự ASEAN",
            "organisation",
        ],
    );
    // The cursor just after the acronym still finds it.
    let end = find(VI, "AMIC", 1) + 4;
    let h = s.c.call("textDocument/hover", d.tdpp(d.at(end))).await;
    assert_eq!(h["range"], d.range_of("AMIC", 1));

    // A meeting edition: its date.
    let h =
        s.c.call("textDocument/hover", d.tdpp(d.inside("AMIM-17", 1)))
            .await;
    assert_eq!(h["range"], d.range_of("AMIM-17", 1));
    assert_contains(
        hover_text(&h),
        &[
            "AMIM-17",
            "17th ASEAN Military Intelligence Meeting",
            "lần thứ 17",
            "meeting",
            "22 September 2020",
        ],
    );

    // A name broken across CRLF, hovered on its second line.
    let h =
        s.c.call("textDocument/hover", d.tdpp(d.inside("Nam nhắc", 0)))
            .await;
    let start = find(VI, "Bùi Văn", 0);
    let end = find(VI, "Nam nhắc", 0) + "Nam".len();
    assert_eq!(h["range"], range(VI, start, end, enc));
    assert_contains(hover_text(&h), &["Bùi Văn Nam", "person"]);

    // Plain words, emoji and the words after an emoji: nothing.
    for (needle, nth) in [
        ("tổng", 0),
        ("được", 0),
        ("xuyên", 0),
        ("😀", 0),
        ("Trung", 0),
    ] {
        let h =
            s.c.call("textDocument/hover", d.tdpp(d.inside(needle, nth)))
                .await;
        assert_eq!(h, Value::Null, "hover on {needle:?}");
    }
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hover_in_plain_text_when_the_client_asks() {
    let mut setup = Setup::new(Enc::Utf16);
    setup.markdown = false;
    let mut s = Session::start(setup).await;
    let d = s.doc(VI_URI, VI);
    s.open(&d, 1).await;
    let e = s.doc(EN_URI, EN_ASC);
    s.open(&e, 1).await;
    for (doc, needle, nth, want) in [
        (&d, "AMIM-17", 0, "17th ASEAN Military Intelligence Meeting"),
        (&d, "ASEANPOL", 0, "misspelling of ASEANAPOL"),
        (&e, "ASC", 0, "ASEAN Studies Centre"),
        (&e, "ASC", 2, "Defined in this document"),
    ] {
        let h =
            s.c.call("textDocument/hover", doc.tdpp(doc.inside(needle, nth)))
                .await;
        assert_eq!(h["contents"]["kind"], "plaintext");
        let v = hover_text(&h);
        assert_contains(v, &[want]);
        for mark in ["**", "\\", "`", "_"] {
            assert!(!v.contains(mark), "markdown {mark:?} in plain text:\n{v}");
        }
    }
    s.shutdown().await;
}

async fn hover_ambiguous_and_defined(enc: Enc) {
    let mut s = Session::utf(enc).await;
    let d = s.doc(EN_URI, EN_ASC);
    s.open(&d, 1).await;
    // Before the definition: both senses.
    let h =
        s.c.call("textDocument/hover", d.tdpp(d.inside("ASC", 0)))
            .await;
    assert_eq!(h["range"], d.range_of("ASC", 0));
    assert_contains(
        hover_text(&h),
        &[
            "Ambiguous",
            "ASEAN Political-Security Community",
            "ASEAN Studies Centre",
        ],
    );
    // After "The ASEAN Security Community (ASC)": the document's definition.
    let h =
        s.c.call("textDocument/hover", d.tdpp(d.inside("ASC", 2)))
            .await;
    assert_eq!(h["range"], d.range_of("ASC", 2));
    let v = hover_text(&h);
    assert_contains(
        v,
        &[
            "ASEAN Political-Security Community",
            "Defined in this document",
            "ASEAN Security Community",
        ],
    );
    assert!(!v.contains("Ambiguous"), "{v}");
    s.shutdown().await;
}

// ---------------------------------------------------------------------------------------
// navigation

async fn definition(enc: Enc) {
    let mut s = Session::utf(enc).await;
    let d = s.doc(VI_URI, VI);
    s.open(&d, 1).await;
    for (needle, nth, id) in [
        ("AMIC", 1, "amic"),
        ("Cộng đồng", 0, "amic"),
        ("AMIM-17", 0, "amim-17"),
        ("ASEANPOL", 0, "aseanapol"),
        ("Nam nhắc", 0, "bui-van-nam"),
        ("Hà Nội", 0, "hanoi"),
    ] {
        let r =
            s.c.call("textDocument/definition", d.tdpp(d.inside(needle, nth)))
                .await;
        let loc = if r.is_array() { &r[0] } else { &r };
        let uri = str_of(&loc["uri"]);
        let path = uri_path(uri);
        assert!(
            path.is_file(),
            "{needle}: {} does not exist",
            path.display()
        );
        assert!(
            path.starts_with(CACHE_DIR),
            "{needle}: the embedded lexicon is not in the cache folder: {}",
            path.display()
        );
        assert_eq!(path.extension().unwrap(), "toml");
        let file = std::fs::read_to_string(&path).unwrap();
        let line = loc["range"]["start"]["line"].as_u64().unwrap() as usize;
        let at = file.lines().nth(line).unwrap_or_default();
        assert!(
            at.contains(&format!("id = \"{id}\"")),
            "{needle}: line {line} of {} is {at:?}",
            path.display()
        );
    }
    // Nothing on a plain word.
    let r =
        s.c.call("textDocument/definition", d.tdpp(d.inside("tổng", 0)))
            .await;
    assert_eq!(r, Value::Null);
    s.shutdown().await;
}

async fn declaration(enc: Enc) {
    let mut s = Session::utf(enc).await;
    let d = s.doc(VI_URI, VI);
    s.open(&d, 1).await;
    let spelled_out = range(
        VI,
        find(VI, "Cộng đồng Tình báo", 0),
        find(VI, "AMIC", 0) + 4,
        enc,
    );
    for nth in [1, 2] {
        let r =
            s.c.call("textDocument/declaration", d.tdpp(d.inside("AMIC", nth)))
                .await;
        let loc = if r.is_array() { &r[0] } else { &r };
        assert_eq!(loc["uri"], VI_URI);
        assert_eq!(loc["range"], spelled_out, "AMIC #{nth}");
    }
    // AMIM-17 is never spelled out in this document.
    let r =
        s.c.call("textDocument/declaration", d.tdpp(d.inside("AMIM-17", 0)))
            .await;
    assert_eq!(r, Value::Null);
    s.shutdown().await;
}

type Loc = (String, String);

fn locations(v: &Value) -> Vec<Loc> {
    v.as_array()
        .unwrap_or_else(|| panic!("not a list of locations: {v}"))
        .iter()
        .map(|l| (str_of(&l["uri"]).to_owned(), l["range"].to_string()))
        .collect()
}

fn loc(uri: &str, text: &str, needle: &str, nth: usize, enc: Enc) -> Loc {
    let start = find(text, needle, nth);
    (
        uri.to_owned(),
        range(text, start, start + needle.len(), enc).to_string(),
    )
}

async fn references(enc: Enc) {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path();
    // On disk only: found by reading the workspace.
    let notes = "Ghi chú 😀: AMIC họp tại Hà Nội.\r\nAMIC sẽ họp lại.\n";
    std::fs::write(root.join("notes.txt"), notes).unwrap();
    std::fs::create_dir(root.join("sub")).unwrap();
    let deeper = "Một bản tin khác 🤝 nhắc tới AMIC.\n";
    std::fs::write(root.join("sub/deeper.md"), deeper).unwrap();
    // Open with unsaved text that differs from the disk: the open text counts.
    std::fs::write(root.join("draft.txt"), "AMIC AMIC AMIC AMIC\n").unwrap();
    let draft_text = "Bản nháp 🇻🇳: chỉ một lần AMIC.\n";
    // Not text files: ignored.
    std::fs::write(root.join("data.toml"), "# AMIC\n").unwrap();

    let mut s = Session::start(Setup::new(enc).root(root)).await;
    let vi = s.doc(&file_uri(&root.join("vi_crlf.txt")), VI);
    std::fs::write(root.join("vi_crlf.txt"), VI).unwrap();
    let draft = s.doc(&file_uri(&root.join("draft.txt")), draft_text);
    s.open(&vi, 1).await;
    s.open(&draft, 1).await;

    let r = s
        .c
        .call(
            "textDocument/references",
            json!({"textDocument": vi.id(), "position": vi.inside("AMIC", 1), "context": {"includeDeclaration": true}}),
        )
        .await;
    let got = locations(&r);
    let unique: BTreeSet<Loc> = got.iter().cloned().collect();
    assert_eq!(unique.len(), got.len(), "duplicates in {got:#?}");
    let notes_uri = file_uri(&root.join("notes.txt"));
    let deeper_uri = file_uri(&root.join("sub/deeper.md"));
    let want: BTreeSet<Loc> = [
        loc(&vi.uri, VI, "Cộng đồng Tình báo Quân sự ASEAN", 0, enc),
        loc(&vi.uri, VI, "AMIC", 0, enc),
        loc(&vi.uri, VI, "AMIC", 1, enc),
        loc(&vi.uri, VI, "AMIC", 2, enc),
        loc(&draft.uri, draft_text, "AMIC", 0, enc),
        loc(&notes_uri, notes, "AMIC", 0, enc),
        loc(&notes_uri, notes, "AMIC", 1, enc),
        loc(&deeper_uri, deeper, "AMIC", 0, enc),
    ]
    .into_iter()
    .collect();
    assert_eq!(unique, want);

    // A person: the name broken across lines.
    let r = s
        .c
        .call(
            "textDocument/references",
            json!({"textDocument": vi.id(), "position": vi.inside("Bùi", 0), "context": {"includeDeclaration": true}}),
        )
        .await;
    let start = find(VI, "Bùi Văn", 0);
    let end = find(VI, "Nam nhắc", 0) + 3;
    assert_eq!(
        locations(&r),
        vec![(vi.uri.clone(), range(VI, start, end, enc).to_string())]
    );
    s.shutdown().await;
}

async fn document_highlight(enc: Enc) {
    let mut s = Session::utf(enc).await;
    let d = s.doc(VI_URI, VI);
    s.open(&d, 1).await;
    let r =
        s.c.call(
            "textDocument/documentHighlight",
            d.tdpp(d.inside("AMIC", 2)),
        )
        .await;
    let got: Vec<Value> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["range"].clone())
        .collect();
    let want = vec![
        d.range_of("Cộng đồng Tình báo Quân sự ASEAN", 0),
        d.range_of("AMIC", 0),
        d.range_of("AMIC", 1),
        d.range_of("AMIC", 2),
    ];
    assert_eq!(got, want);
    let r =
        s.c.call(
            "textDocument/documentHighlight",
            d.tdpp(d.inside("AMIM-17", 0)),
        )
        .await;
    assert_eq!(r.as_array().unwrap().len(), 2, "{r}");
    s.shutdown().await;
}

// ---------------------------------------------------------------------------------------
// semantic tokens

async fn semantic_tokens_full(enc: Enc) {
    let mut s = Session::utf(enc).await;
    let d = s.doc(VI_URI, VI);
    s.open(&d, 1).await;
    let (_, data) = full_tokens(&mut s, &d).await;
    let tokens = named_tokens(&s, &data);
    assert_well_formed(&d, &tokens);

    let expect = |needle: &str, nth: usize, ty: &str, mods: &[&str]| {
        let at = find(VI, needle, nth);
        let t = token_at(&d, &tokens, at);
        assert_eq!(t.ty, ty, "{needle} #{nth}: {t:?}");
        assert_eq!(t.len, enc.len(needle), "{needle} #{nth}: {t:?}");
        assert_eq!(t.mods, mods, "{needle} #{nth}: {t:?}");
    };
    expect("Hà Nội", 0, "place", &[]);
    expect(
        "Cộng đồng Tình báo Quân sự ASEAN",
        0,
        "organisation",
        &["definition"],
    );
    expect("AMIC", 0, "organisation", &["definition"]);
    expect("AMIC", 1, "organisation", &[]);
    expect("AMIM-17", 0, "meeting", &[]);
    expect("ASEANPOL", 0, "organisation", &["misspelled"]);
    expect("AMIC", 2, "organisation", &[]);
    // The name broken by CRLF: one token per line.
    expect("Bùi Văn", 0, "person", &[]);
    let nam = token_at(&d, &tokens, find(VI, "Nam nhắc", 0));
    assert_eq!((nam.start, nam.len, nam.ty.as_str()), (0, 3, "person"));

    // Lone CR line breaks (old Mac files) end lines too.
    let cr = "Trung tướng Bùi Văn\rNam 😀 gặp AMIC.\rHết.";
    let c = s.doc("file:///newsroom/cr.txt", cr);
    s.open(&c, 1).await;
    let (_, data) = full_tokens(&mut s, &c).await;
    let tokens = named_tokens(&s, &data);
    assert_well_formed(&c, &tokens);
    let nam = token_at(&c, &tokens, find(cr, "Nam", 0));
    assert_eq!((nam.line, nam.start, nam.len), (1, 0, 3));
    let amic = token_at(&c, &tokens, find(cr, "AMIC", 0));
    assert_eq!((amic.line, amic.ty.as_str()), (1, "organisation"));
    let h =
        s.c.call("textDocument/hover", c.tdpp(c.inside("AMIC", 0)))
            .await;
    assert_eq!(h["range"], c.range_of("AMIC", 0));

    // Ambiguous mentions carry the modifier; a defined one does not.
    let e = s.doc(EN_URI, EN_ASC);
    s.open(&e, 1).await;
    let (_, data) = full_tokens(&mut s, &e).await;
    let tokens = named_tokens(&s, &data);
    assert_well_formed(&e, &tokens);
    let t = token_at(&e, &tokens, find(EN_ASC, "ASC", 0));
    assert_eq!(t.mods, ["ambiguous"]);
    let t = token_at(&e, &tokens, find(EN_ASC, "ASC", 2));
    assert!(!t.mods.contains(&"ambiguous".to_owned()), "{t:?}");
    s.shutdown().await;
}

/// Applies semantic token edits to the previous data.
fn apply_token_edits(old: &[u32], edits: &Value) -> Vec<u32> {
    let mut edits: Vec<&Value> = edits.as_array().expect("edits").iter().collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e["start"].as_u64().unwrap()));
    let mut out = old.to_vec();
    for e in edits {
        let start = e["start"].as_u64().unwrap() as usize;
        let delete = e["deleteCount"].as_u64().unwrap() as usize;
        let data: Vec<u32> = e["data"]
            .as_array()
            .map(|a| a.iter().map(|n| n.as_u64().unwrap() as u32).collect())
            .unwrap_or_default();
        assert!(start + delete <= out.len(), "edit {e} is out of range");
        out.splice(start..start + delete, data);
    }
    out
}

async fn semantic_tokens_delta(enc: Enc) {
    let mut s = Session::utf(enc).await;
    let mut d = s.doc(VI_URI, VI);
    s.open(&d, 1).await;
    let (id1, data1) = full_tokens(&mut s, &d).await;

    // Insert a line with two mentions on the empty line 2.
    let at = find(&d.text, "\r\n\r\n", 0) + 2;
    change(&s, &mut d, at, at, "Tin nhanh 🛰️: ASEANAPOL và AMIC.", 2).await;
    let r =
        s.c.call(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": d.id(), "previousResultId": id1}),
        )
        .await;
    assert!(r.get("edits").is_some(), "expected a delta: {r}");
    let id2 = str_of(&r["resultId"]).to_owned();
    assert_ne!(id2, id1);
    let patched = apply_token_edits(&data1, &r["edits"]);
    let (id3, fresh) = full_tokens(&mut s, &d).await;
    assert_eq!(
        patched, fresh,
        "delta applied to the old tokens != full tokens"
    );
    let tokens = named_tokens(&s, &fresh);
    assert_well_formed(&d, &tokens);
    let t = token_at(&d, &tokens, find(&d.text, "ASEANAPOL", 0));
    assert_eq!((t.line, t.ty.as_str()), (1, "organisation"));

    // Remove it again: the delta is against the last result.
    let start = find(&d.text, "Tin nhanh", 0);
    let end = find(&d.text, "AMIC.", 0) + "AMIC.".len();
    change(&s, &mut d, start, end, "", 3).await;
    let r =
        s.c.call(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": d.id(), "previousResultId": id3}),
        )
        .await;
    let patched = apply_token_edits(&fresh, &r["edits"]);
    assert_eq!(patched, data1, "back to the first tokens");

    // No change: an empty delta.
    let id4 = str_of(&r["resultId"]).to_owned();
    let r =
        s.c.call(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": d.id(), "previousResultId": id4}),
        )
        .await;
    assert_eq!(apply_token_edits(&data1, &r["edits"]), data1);

    // An unknown previous result: full tokens.
    let r =
        s.c.call(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": d.id(), "previousResultId": "no-such-result"}),
        )
        .await;
    assert_eq!(token_data(&r), data1);
    s.shutdown().await;
}

async fn semantic_tokens_range(enc: Enc) {
    let mut s = Session::utf(enc).await;
    let d = s.doc(VI_URI, VI);
    s.open(&d, 1).await;
    let (_, data) = full_tokens(&mut s, &d).await;
    let all = decode_tokens(&data);
    // Lines 2 to 4, as whole lines.
    let r = s
        .c
        .call(
            "textDocument/semanticTokens/range",
            json!({"textDocument": d.id(), "range": {"start": {"line": 2, "character": 0}, "end": {"line": 5, "character": 0}}}),
        )
        .await;
    let got = decode_tokens(&token_data(&r));
    let want: Vec<[u32; 5]> = all
        .iter()
        .filter(|t| (2..=4).contains(&t[0]))
        .copied()
        .collect();
    assert!(!want.is_empty());
    assert_eq!(got, want);
    // The whole text, with an end past it.
    let r = s
        .c
        .call(
            "textDocument/semanticTokens/range",
            json!({"textDocument": d.id(), "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}}}),
        )
        .await;
    assert_eq!(token_data(&r), data);
    s.shutdown().await;
}

// ---------------------------------------------------------------------------------------
// diagnostics and code actions

async fn push_diagnostics(enc: Enc) {
    let s = Session::utf(enc).await;
    let mut d = s.doc(VI_URI, VI);
    let mark = s.c.mark();
    s.open(&d, 7).await;
    let p =
        s.c.diagnostics_after(mark, VI_URI, |p| p["version"] == 7)
            .await;
    let found = with_code(&p["diagnostics"], "known-misspelling");
    assert_eq!(found.len(), 1, "{p}");
    assert_eq!(found[0]["range"], d.range_of("ASEANPOL", 0));
    assert_eq!(found[0]["severity"], 2);
    assert_eq!(found[0]["source"], "lexls");
    assert!(str_of(&found[0]["message"]).contains("ASEANAPOL"));
    for diag in p["diagnostics"].as_array().unwrap() {
        // Every range is a position of the document.
        text::offset(&d.text, &diag["range"]["start"], enc);
        text::offset(&d.text, &diag["range"]["end"], enc);
    }

    // Fix it by typing: the next publication is for the new version and has no misspelling.
    let at = find(&d.text, "ASEANPOL", 0) + "ASEAN".len();
    let mark = s.c.mark();
    change(&s, &mut d, at, at, "A", 8).await;
    let p =
        s.c.diagnostics_after(mark, VI_URI, |p| p["version"] == 8)
            .await;
    assert!(
        with_code(&p["diagnostics"], "known-misspelling").is_empty(),
        "{p}"
    );

    // Closing clears the document's diagnostics.
    let mark = s.c.mark();
    s.c.notify("textDocument/didClose", json!({"textDocument": d.id()}))
        .await;
    s.c.diagnostics_after(mark, VI_URI, |p| p["diagnostics"] == json!([]))
        .await;
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_diagnostics_when_the_client_supports_them() {
    for enc in [Enc::Utf8, Enc::Utf16] {
        let mut setup = Setup::new(enc);
        setup.pull = true;
        setup.refresh = false;
        let mut s = Session::start(setup).await;
        assert!(
            s.init["capabilities"]["diagnosticProvider"].is_object(),
            "{}",
            s.init
        );
        let d = s.doc(VI_URI, VI);
        s.open(&d, 1).await;
        let r =
            s.c.call("textDocument/diagnostic", json!({"textDocument": d.id()}))
                .await;
        assert_eq!(r["kind"], "full");
        let found = with_code(&r["items"], "known-misspelling");
        assert_eq!(found.len(), 1, "{r}");
        assert_eq!(found[0]["range"], d.range_of("ASEANPOL", 0));

        // A lexicon file: its validation errors, pulled too.
        let lx = s.doc("file:///newsroom/lexicon/extra.toml", EXTRA_DANGLING);
        s.open(&lx, 1).await;
        let r =
            s.c.call("textDocument/diagnostic", json!({"textDocument": lx.id()}))
                .await;
        let items = r["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "{r}");
        assert!(str_of(&items[0]["message"]).contains("no-such-body"), "{r}");
        assert_eq!(
            items[0]["range"]["start"]["line"],
            line_char(EXTRA_DANGLING, find(EXTRA_DANGLING, "parent =", 0), enc).0
        );

        // Settings change: the client did not offer refresh requests, so none are sent.
        s.c.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"inlay-hints": "all"}}),
        )
        .await;
        // Never both: nothing is pushed. (An absence can only be checked by waiting: this
        // is several times the server's debounce.)
        tokio::time::sleep(Duration::from_millis(400)).await;
        let pushed = s.c.notifications("textDocument/publishDiagnostics");
        assert!(pushed.is_empty(), "pushed in pull mode: {pushed:?}");
        let asked = s.c.server_requests();
        assert!(
            asked.iter().all(|m| !m.ends_with("/refresh")),
            "refresh requests the client does not support: {asked:?}"
        );
        s.shutdown().await;
    }
}

async fn quick_fix(enc: Enc) {
    let mut s = Session::utf(enc).await;
    let d = s.doc(VI_URI, VI);
    let mark = s.c.mark();
    s.open(&d, 1).await;
    let p = s.c.diagnostics_after(mark, VI_URI, |_| true).await;
    let diag = with_code(&p["diagnostics"], "known-misspelling")[0].clone();
    let actions = s
        .c
        .call(
            "textDocument/codeAction",
            json!({"textDocument": d.id(), "range": diag["range"], "context": {"diagnostics": [diag], "only": ["quickfix"]}}),
        )
        .await;
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:?}");
    let a = &actions[0];
    assert_eq!(a["kind"], "quickfix");
    assert!(str_of(&a["title"]).contains("ASEANAPOL"), "{a}");
    assert_eq!(a["isPreferred"], true);
    assert!(
        a.get("command").is_none(),
        "a server-side edit, not a command"
    );
    let edits = a["edit"]["changes"][VI_URI].as_array().expect("edits");
    assert_eq!(
        apply_edits(VI, edits, enc),
        VI.replace("ASEANPOL", "ASEANAPOL")
    );

    // `quick` is not a parent kind of `quickfix`.
    let r = s
        .c
        .call(
            "textDocument/codeAction",
            json!({"textDocument": d.id(), "range": diag["range"], "context": {"diagnostics": [], "only": ["quick"]}}),
        )
        .await;
    assert_eq!(r, json!([]));
    // Only source actions asked for: no quick fix (and the text is already normal).
    let r = s
        .c
        .call(
            "textDocument/codeAction",
            json!({"textDocument": d.id(), "range": diag["range"], "context": {"diagnostics": [], "only": ["source"]}}),
        )
        .await;
    assert_eq!(r, json!([]));
    // A range without a finding: nothing.
    let r = s
        .c
        .call(
            "textDocument/codeAction",
            json!({"textDocument": d.id(), "range": d.range_of("Hà Nội", 0), "context": {"diagnostics": []}}),
        )
        .await;
    assert_eq!(r, json!([]));
    s.shutdown().await;
}

fn nfd(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd().collect()
}

async fn normalise_action(enc: Enc) {
    let mut s = Session::utf(enc).await;
    let nfc =
        "Bộ trưởng Bùi Thanh Sơn 😀 gặp đại diện AMIC tại Hà Nội.\r\nKết quả được công bố sau.\r\n";
    let d = s.doc("file:///newsroom/nfd.txt", &nfd(nfc));
    assert_ne!(d.text, nfc);
    s.open(&d, 1).await;

    // Positions count the combining marks.
    let h =
        s.c.call("textDocument/hover", d.tdpp(d.inside(&nfd("Sơn"), 0)))
            .await;
    let start = find(&d.text, &nfd("Bùi"), 0);
    let end = find(&d.text, &nfd("Sơn"), 0) + nfd("Sơn").len();
    assert_eq!(h["range"], range(&d.text, start, end, enc));

    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}});
    for only in [
        json!(["source"]),
        json!(["source.normalizeUnicode"]),
        json!(null),
    ] {
        let r = s
            .c
            .call(
                "textDocument/codeAction",
                json!({"textDocument": d.id(), "range": whole, "context": {"diagnostics": [], "only": only}}),
            )
            .await;
        let actions = r.as_array().unwrap();
        let a = actions
            .iter()
            .find(|a| a["kind"] == "source.normalizeUnicode.lexls")
            .unwrap_or_else(|| panic!("no normalise action for only = {only}: {r}"));
        let edits = a["edit"]["changes"][&d.uri].as_array().expect("edits");
        assert_eq!(apply_edits(&d.text, edits, enc), nfc);
    }
    // Kinds are hierarchical by dots: `source.normalize` is not a parent of
    // `source.normalizeUnicode`.
    for only in [
        json!(["quickfix"]),
        json!(["source.normalize"]),
        json!(["refactor"]),
    ] {
        let r = s
            .c
            .call(
                "textDocument/codeAction",
                json!({"textDocument": d.id(), "range": whole, "context": {"diagnostics": [], "only": only}}),
            )
            .await;
        assert_eq!(r, json!([]), "only = {only}");
    }
    // An NFC document has nothing to normalise.
    let clean = s.doc("file:///newsroom/nfc.txt", nfc);
    s.open(&clean, 1).await;
    let r = s
        .c
        .call(
            "textDocument/codeAction",
            json!({"textDocument": clean.id(), "range": whole, "context": {"diagnostics": [], "only": ["source"]}}),
        )
        .await;
    assert_eq!(r, json!([]));
    s.shutdown().await;
}

// ---------------------------------------------------------------------------------------
// completion, symbols, inlay hints

async fn completion(enc: Enc) {
    let mut s = Session::utf(enc).await;
    let text = "Đại biểu 😀 nhắc tới AMI và Hà Nội.\r\nRồi AMI";
    let d = s.doc("file:///newsroom/typing.txt", text);
    s.open(&d, 1).await;
    for nth in [0, 1] {
        let start = find(text, "AMI", nth);
        let cursor = start + 3;
        let r =
            s.c.call("textDocument/completion", d.tdpp(d.at(cursor)))
                .await;
        let items = if r.is_array() { &r } else { &r["items"] };
        let items = items.as_array().expect("completion items");
        let labels: Vec<&str> = items.iter().map(|i| str_of(&i["label"])).collect();
        assert!(labels.contains(&"AMIC"), "{labels:?}");
        assert!(labels.iter().any(|l| l.starts_with("AMIM")), "{labels:?}");
        let typed = range(text, start, cursor, enc);
        for i in items {
            assert_eq!(i["textEdit"]["range"], typed, "{i}");
        }
        let amic = items.iter().find(|i| i["label"] == "AMIC").unwrap();
        assert_eq!(amic["textEdit"]["newText"], "AMIC");
        let long = items
            .iter()
            .find(|i| str_of(&i["label"]).ends_with("(AMIC)"))
            .expect("a `Long Form (ACR)` item");
        assert!(str_of(&long["textEdit"]["newText"]).contains("Cộng đồng Tình báo Quân sự ASEAN"));
    }
    // Meeting editions complete by their acronym with the number.
    let mut e = s.doc("file:///newsroom/editions.txt", "Tại 🤝 AMIM-2");
    s.open(&e, 1).await;
    let r =
        s.c.call("textDocument/completion", e.tdpp(e.at(e.text.len())))
            .await;
    let items = if r.is_array() { &r } else { &r["items"] };
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| str_of(&i["label"]))
        .collect();
    for want in ["AMIM-20", "AMIM-21"] {
        assert!(labels.contains(&want), "{want} is not in {labels:?}");
    }
    assert!(!labels.contains(&"AMIM-17"), "{labels:?}");
    let typed = e.range_of("AMIM-2", 0);
    for i in items.as_array().unwrap() {
        assert_eq!(i["textEdit"]["range"], typed, "{i}");
    }
    // Without accents finds names too.
    e = s.replace(&e, "Gặp ông 🤝 bui", 2).await;
    let r =
        s.c.call("textDocument/completion", e.tdpp(e.at(e.text.len())))
            .await;
    let items = if r.is_array() { &r } else { &r["items"] };
    let items = items.as_array().expect("items");
    let labels: Vec<&str> = items.iter().map(|i| str_of(&i["label"])).collect();
    assert!(labels.contains(&"Bùi Văn Nam"), "{labels:?}");
    for i in items {
        assert_eq!(i["textEdit"]["range"], e.range_of("bui", 0), "{i}");
    }
    s.shutdown().await;
}

async fn document_symbols(enc: Enc) {
    let mut s = Session::utf(enc).await;
    let d = s.doc(VI_URI, VI);
    s.open(&d, 1).await;
    let r =
        s.c.call(
            "textDocument/documentSymbol",
            json!({"textDocument": d.id()}),
        )
        .await;
    let groups = r.as_array().unwrap();
    let group = |kind: &str| -> &Value {
        groups
            .iter()
            .find(|g| str_of(&g["name"]).starts_with(kind))
            .unwrap_or_else(|| panic!("no {kind} group in {r}"))
    };
    let names = |g: &Value| -> Vec<String> {
        g["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| str_of(&c["name"]).to_owned())
            .collect()
    };
    let orgs = names(group("organisation"));
    assert!(orgs.iter().any(|n| n.starts_with("AMIC")), "{orgs:?}");
    assert!(orgs.iter().any(|n| n.starts_with("ASEANAPOL")), "{orgs:?}");
    let meetings = group("meeting");
    assert_eq!(names(meetings).len(), 1);
    assert!(names(meetings)[0].starts_with("AMIM-17"));
    let people = group("person");
    assert_eq!(names(people), ["Bùi Văn Nam"]);
    let start = find(VI, "Bùi Văn", 0);
    let end = find(VI, "Nam nhắc", 0) + 3;
    assert_eq!(people["children"][0]["range"], range(VI, start, end, enc));
    let places = names(group("place"));
    assert!(places.contains(&"Hanoi".to_owned()), "{places:?}");
    // Ranges nest: children inside their group, selection inside range.
    let inside = |inner: &Value, outer: &Value| {
        let p = |v: &Value| {
            (
                v["line"].as_u64().unwrap(),
                v["character"].as_u64().unwrap(),
            )
        };
        p(&outer["start"]) <= p(&inner["start"]) && p(&inner["end"]) <= p(&outer["end"])
    };
    for g in groups {
        assert!(inside(&g["selectionRange"], &g["range"]), "{g}");
        for c in g["children"].as_array().unwrap() {
            assert!(inside(&c["range"], &g["range"]), "{c} is outside {g}");
            assert!(inside(&c["selectionRange"], &c["range"]), "{c}");
        }
    }
    s.shutdown().await;
}

async fn workspace_symbols(enc: Enc) {
    let mut s = Session::utf(enc).await;
    let check = |r: &Value, name: &str, id: &str| {
        let found = r
            .as_array()
            .unwrap()
            .iter()
            .find(|x| str_of(&x["name"]).starts_with(name))
            .unwrap_or_else(|| panic!("{name} is not in {r}"));
        let path = uri_path(str_of(&found["location"]["uri"]));
        let file = std::fs::read_to_string(&path).unwrap();
        let line = found["location"]["range"]["start"]["line"]
            .as_u64()
            .unwrap() as usize;
        assert!(
            file.lines()
                .nth(line)
                .unwrap_or_default()
                .contains(&format!("id = \"{id}\"")),
            "{name}: line {line} of {}",
            path.display()
        );
    };
    let r =
        s.c.call("workspace/symbol", json!({"query": "bui van nam"}))
            .await;
    check(&r, "Bùi Văn Nam", "bui-van-nam");
    let r = s.c.call("workspace/symbol", json!({"query": "AMIC"})).await;
    assert!(str_of(&r[0]["name"]).starts_with("AMIC"), "{r}");
    check(&r, "AMIC", "amic");
    for q in ["Cộng đồng Tình báo", "cong dong tinh bao"] {
        let r = s.c.call("workspace/symbol", json!({"query": q})).await;
        check(&r, "AMIC", "amic");
    }
    let r =
        s.c.call("workspace/symbol", json!({"query": "zzqqxx"}))
            .await;
    assert_eq!(r, json!([]));
    s.shutdown().await;
}

/// The positions of the inlay hints for the whole document.
async fn hints(s: &mut Session, d: &Doc) -> Vec<Value> {
    let whole = range(&d.text, 0, d.text.len(), d.enc);
    let r =
        s.c.call(
            "textDocument/inlayHint",
            json!({"textDocument": d.id(), "range": whole}),
        )
        .await;
    r.as_array()
        .unwrap()
        .iter()
        .map(|h| h["position"].clone())
        .collect()
}

async fn inlay_hints(enc: Enc) {
    let ends = |d: &Doc, list: &[(&str, usize)]| -> Vec<Value> {
        list.iter()
            .map(|(n, i)| d.at(find(&d.text, n, *i) + n.len()))
            .collect()
    };
    // Default: the first use of each acronym, unless that use spells it out (AMIC).
    let mut s = Session::utf(enc).await;
    let d = s.doc(VI_URI, VI);
    s.open(&d, 1).await;
    let first = ends(&d, &[("AMIM-17", 0), ("ASEANPOL", 0)]);
    assert_eq!(hints(&mut s, &d).await, first);
    let whole = range(VI, 0, VI.len(), enc);
    let r =
        s.c.call(
            "textDocument/inlayHint",
            json!({"textDocument": d.id(), "range": whole}),
        )
        .await;
    // The document is Vietnamese: the Vietnamese name.
    assert!(r[0]["label"].to_string().contains("lần thứ 17"), "{}", r[0]);

    // `all` and `off` through didChangeConfiguration.
    let all = ends(
        &d,
        &[
            ("AMIC", 1),
            ("AMIM-17", 0),
            ("ASEANPOL", 0),
            ("AMIC", 2),
            ("AMIM-17", 1),
        ],
    );
    s.c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"lexls": {"inlay-hints": "all"}}}),
    )
    .await;
    assert_eq!(hints(&mut s, &d).await, all);
    s.c.wait_server_request("workspace/inlayHint/refresh").await;
    s.c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"inlay-hints": "off"}}),
    )
    .await;
    assert_eq!(hints(&mut s, &d).await, Vec::<Value>::new());
    s.shutdown().await;

    // `all` through initializationOptions; a range selects the hints inside it.
    let mut s = Session::start(Setup::new(enc).options(json!({"inlay-hints": "all"}))).await;
    s.open(&d, 1).await;
    assert_eq!(hints(&mut s, &d).await, all);
    let last_line = lines(VI)[5];
    let r =
        s.c.call(
            "textDocument/inlayHint",
            json!({"textDocument": d.id(), "range": range(VI, last_line.0, last_line.1, enc)}),
        )
        .await;
    let got: Vec<Value> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["position"].clone())
        .collect();
    assert_eq!(got, ends(&d, &[("AMIC", 2), ("AMIM-17", 1)]));
    s.shutdown().await;
    let s = Session::start(Setup::new(enc).options(json!({"inlay-hints": "off"}))).await;
    let mut s = s;
    s.open(&d, 1).await;
    assert_eq!(hints(&mut s, &d).await, Vec::<Value>::new());
    s.shutdown().await;
}

async fn rules_setting(enc: Enc) {
    // Through didChangeConfiguration.
    let s = Session::utf(enc).await;
    let d = s.doc(VI_URI, VI);
    let mark = s.c.mark();
    s.open(&d, 1).await;
    let p = s.c.diagnostics_after(mark, VI_URI, |_| true).await;
    assert_eq!(with_code(&p["diagnostics"], "known-misspelling").len(), 1);
    let mark = s.c.mark();
    s.c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"lexls": {"rules": {"known-misspelling": "off"}}}}),
    )
    .await;
    let p = s.c.diagnostics_after(mark, VI_URI, |_| true).await;
    assert!(
        with_code(&p["diagnostics"], "known-misspelling").is_empty(),
        "{p}"
    );
    // And back on, as an error.
    let mark = s.c.mark();
    s.c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"rules": {"known-misspelling": "error"}}}),
    )
    .await;
    let p = s.c.diagnostics_after(mark, VI_URI, |_| true).await;
    let found = with_code(&p["diagnostics"], "known-misspelling");
    assert_eq!(found.len(), 1, "{p}");
    assert_eq!(found[0]["severity"], 1);
    s.shutdown().await;

    // Through initializationOptions, with every mention as a hint (for editors without
    // semantic tokens).
    let setup = Setup::new(enc)
        .options(json!({"rules": {"known-misspelling": "off"}, "entity-hints": true}));
    let s = Session::start(setup).await;
    let mark = s.c.mark();
    s.open(&d, 1).await;
    let p = s.c.diagnostics_after(mark, VI_URI, |_| true).await;
    assert!(
        with_code(&p["diagnostics"], "known-misspelling").is_empty(),
        "{p}"
    );
    let hints = with_code(&p["diagnostics"], "entity");
    let person = hints
        .iter()
        .find(|h| str_of(&h["message"]).contains("Bùi Văn Nam"))
        .unwrap_or_else(|| panic!("no hint on the person: {p}"));
    assert_eq!(person["severity"], 4);
    let start = find(VI, "Bùi Văn", 0);
    let end = find(VI, "Nam nhắc", 0) + 3;
    assert_eq!(person["range"], range(VI, start, end, enc));
    for (needle, nth) in [
        ("Hà Nội", 0),
        ("Cộng đồng Tình báo Quân sự ASEAN", 0),
        ("AMIC", 0),
        ("AMIC", 1),
        ("AMIC", 2),
        ("Việt Nam", 0),
        ("AMIM-17", 0),
        ("AMIM-17", 1),
        ("ASEANPOL", 0),
    ] {
        let r = d.range_of(needle, nth);
        assert!(
            hints.iter().any(|h| h["range"] == r),
            "no hint on {needle} #{nth}: {p}"
        );
    }
    s.shutdown().await;
}

// ---------------------------------------------------------------------------------------
// robustness

async fn out_of_range_and_unknown_documents(enc: Enc) {
    let mut s = Session::utf(enc).await;
    let mut d = s.doc(VI_URI, VI);
    s.open(&d, 1).await;
    let far = json!({"line": 999, "character": 999});
    let past_eol = json!({"line": 0, "character": 999});
    for pos in [&far, &past_eol] {
        for method in [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/declaration",
            "textDocument/documentHighlight",
            "textDocument/completion",
        ] {
            let r = s.c.request(method, d.tdpp(pos.clone())).await;
            assert!(r.is_ok(), "{method} at {pos}: {r:?}");
        }
        let r = s
            .c
            .request(
                "textDocument/references",
                json!({"textDocument": d.id(), "position": pos, "context": {"includeDeclaration": true}}),
            )
            .await;
        assert!(r.is_ok(), "references at {pos}: {r:?}");
    }
    // Past the end of line 0 means its end, which is not on a mention.
    let r =
        s.c.call("textDocument/hover", d.tdpp(past_eol.clone()))
            .await;
    assert_eq!(r, Value::Null);
    let huge = json!({"start": {"line": 0, "character": 0}, "end": far});
    for (method, params) in [
        (
            "textDocument/semanticTokens/range",
            json!({"textDocument": d.id(), "range": huge}),
        ),
        (
            "textDocument/inlayHint",
            json!({"textDocument": d.id(), "range": huge}),
        ),
        (
            "textDocument/codeAction",
            json!({"textDocument": d.id(), "range": {"start": far, "end": far}, "context": {"diagnostics": []}}),
        ),
    ] {
        let r = s.c.request(method, params).await;
        assert!(r.is_ok(), "{method}: {r:?}");
    }
    // An inverted range is empty, not an error.
    let inverted =
        json!({"start": {"line": 4, "character": 0}, "end": {"line": 1, "character": 0}});
    let r =
        s.c.request(
            "textDocument/semanticTokens/range",
            json!({"textDocument": d.id(), "range": inverted}),
        )
        .await;
    assert!(r.is_ok(), "{r:?}");

    // Edits past the end are clamped: a character past the end of a line inserts at its
    // end (before the CRLF), a line past the end appends.
    let v = json!({"uri": d.uri, "version": 2});
    s.c.notify(
        "textDocument/didChange",
        json!({"textDocument": v, "contentChanges": [
            {"range": {"start": {"line": 1, "character": 50}, "end": {"line": 1, "character": 60}}, "text": "Ơ😀"},
            {"range": {"start": far, "end": far}, "text": "kết thúc 🤝"},
        ]}),
    )
    .await;
    let blank = find(&d.text, "\r\n\r\n", 0) + 2;
    d.text.insert_str(blank, "Ơ😀");
    d.text.push_str("kết thúc 🤝");
    assert_eq!(
        s.server_text(VI_URI).await.as_deref(),
        Some(d.text.as_str())
    );

    // Unknown documents: null, and changes to them are ignored.
    let ghost = Doc::new("file:///newsroom/never-opened.txt", "AMIC", enc);
    let p0 = json!({"line": 0, "character": 1});
    for method in [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/declaration",
        "textDocument/documentHighlight",
        "textDocument/completion",
    ] {
        let r = s.c.request(method, ghost.tdpp(p0.clone())).await;
        assert_eq!(r, Ok(Value::Null), "{method}");
    }
    for method in [
        "textDocument/semanticTokens/full",
        "textDocument/documentSymbol",
    ] {
        let r =
            s.c.request(method, json!({"textDocument": ghost.id()}))
                .await;
        assert_eq!(r, Ok(Value::Null), "{method}");
    }
    let r =
        s.c.request(
            "textDocument/inlayHint",
            json!({"textDocument": ghost.id(), "range": {"start": p0, "end": p0}}),
        )
        .await;
    assert_eq!(r, Ok(Value::Null));
    s.c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": ghost.uri, "version": 3}, "contentChanges": [{"text": "x"}]}),
    )
    .await;
    assert_eq!(s.server_text(&ghost.uri).await, None);
    // The server still answers.
    let h =
        s.c.call("textDocument/hover", d.tdpp(d.inside("AMIC", 1)))
            .await;
    assert_eq!(h["range"], d.range_of("AMIC", 1));
    s.shutdown().await;
}

/// A small deterministic generator for the burst of edits.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Char boundaries of `text` that are positions (not between `\r` and `\n`).
fn boundaries(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .filter(|&i| !(text[..i].ends_with('\r') && text[i..].starts_with('\n')))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_edits_applies_in_order() {
    let enc = Enc::Utf16;
    let mut s = Session::utf(enc).await;
    let mut d = s.doc(VI_URI, VI);
    s.open(&d, 1).await;
    let inserts = [
        "a",
        "ư",
        "😀",
        "Đ",
        "🇻🇳",
        "\r\n",
        "ờ ",
        "AMIC ",
        "x😀y",
        "ASEANPOL",
        "\n",
        "Bùi Văn Nam",
    ];
    let mut rng = Lcg(0x1e45);
    let mut version = 1;
    for i in 0..200 {
        version += 1;
        let mut changes = Vec::new();
        // Most notifications carry one change; some carry two, applied in order.
        for _ in 0..(1 + usize::from(i % 9 == 0)) {
            let b = boundaries(&d.text);
            let start = b[rng.next(b.len())];
            let end = if rng.next(4) == 0 {
                // A deletion of a few characters.
                let k = b.iter().position(|&x| x == start).unwrap();
                b[(k + 1 + rng.next(6)).min(b.len() - 1)]
            } else {
                start
            };
            let new = if start == end || rng.next(2) == 0 {
                inserts[rng.next(inserts.len())]
            } else {
                ""
            };
            changes.push(json!({"range": range(&d.text, start, end, enc), "text": new}));
            d.text.replace_range(start..end, new);
        }
        s.c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": d.uri, "version": version}, "contentChanges": changes}),
        )
        .await;
    }
    assert_eq!(
        s.server_text(VI_URI).await.as_deref(),
        Some(d.text.as_str())
    );

    // The features see the same text: tokens fit its lines, and the diagnostics published
    // last are for the last version.
    let (_, data) = full_tokens(&mut s, &d).await;
    assert_well_formed(&d, &named_tokens(&s, &data));
    let p =
        s.c.diagnostics_after(0, VI_URI, |p| p["version"] == version)
            .await;
    let found = with_code(&p["diagnostics"], "known-misspelling");
    assert!(!found.is_empty(), "{p}");
    for diag in found {
        let start = text::offset(&d.text, &diag["range"]["start"], enc);
        let end = text::offset(&d.text, &diag["range"]["end"], enc);
        assert_eq!(&d.text[start..end], "ASEANPOL", "{diag}");
    }
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_answers_an_error_and_the_server_lives_on() {
    let mut s = Session::utf(Enc::Utf16).await;
    let d = s.doc(VI_URI, VI);
    s.open(&d, 1).await;
    for _ in 0..2 {
        let r = s.c.request("lexls/debugPanic", json!({})).await;
        let e = r.expect_err("a panic is an error response");
        assert_eq!(e["code"], -32603, "{e}");
        let h =
            s.c.call("textDocument/hover", d.tdpp(d.inside("AMIC", 1)))
                .await;
        assert_eq!(h["range"], d.range_of("AMIC", 1));
    }
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_request_leaves_the_server_working() {
    let ws = tempfile::tempdir().unwrap();
    for i in 0..50 {
        std::fs::write(
            ws.path().join(format!("n{i}.txt")),
            "AMIC 😀 họp tại Hà Nội.\n".repeat(50),
        )
        .unwrap();
    }
    let mut s = Session::start(Setup::new(Enc::Utf16).root(ws.path())).await;
    let d = s.doc(VI_URI, VI);
    s.open(&d, 1).await;
    let params = json!({"textDocument": d.id(), "position": d.inside("AMIC", 1), "context": {"includeDeclaration": true}});
    let (id, rx) = s.c.start_request("textDocument/references", params).await;
    s.c.notify("$/cancelRequest", json!({"id": id})).await;
    match Client::finish_request("references", rx).await {
        Ok(v) => assert!(v.is_array(), "{v}"),
        Err(e) => assert_eq!(e["code"], -32800, "cancelled: {e}"),
    }
    // Cancelling what is already answered, or was never asked, changes nothing.
    s.c.notify("$/cancelRequest", json!({"id": id})).await;
    s.c.notify("$/cancelRequest", json!({"id": 99999})).await;
    let h =
        s.c.call("textDocument/hover", d.tdpp(d.inside("AMIC", 1)))
            .await;
    assert_eq!(h["range"], d.range_of("AMIC", 1));
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_refuses_requests_and_exit_ends_serve() {
    let mut s = Session::utf(Enc::Utf8).await;
    let d = s.doc(VI_URI, VI);
    s.open(&d, 1).await;
    assert_eq!(s.c.request("shutdown", Value::Null).await, Ok(Value::Null));
    let r =
        s.c.request("textDocument/hover", d.tdpp(d.inside("AMIC", 1)))
            .await;
    assert_eq!(r.expect_err("no requests after shutdown")["code"], -32600);
    s.c.notify("exit", Value::Null).await;
    s.c.wait_closed().await;
}

// ---------------------------------------------------------------------------------------
// the lexicon as a document, and reloading it

const EXTRA_GOOD: &str = r#"# Records of this newsroom.

[[organisation]]
id = "test-agency"
name.en = "Test Agency"
name.vi = "Cơ quan Thử nghiệm"
acronyms = ["TSTA"]
description.en = "An agency that exists only in tests."
"#;

const EXTRA_BROKEN: &str = r#"# Records of this newsroom.

[[organisation]]
id = "test-agency
name.en = "Test Agency"
"#;

const EXTRA_FIXED: &str = r#"# Records of this newsroom, after review.

[[organisation]]
id = "sample-bureau"
name.en = "Sample Bureau"
name.vi = "Văn phòng Mẫu"
acronyms = ["SMPB"]
"#;

const EXTRA_DANGLING: &str = r#"# A record with a parent that does not exist.

[[organisation]]
id = "sample-bureau"
name.en = "Sample Bureau"
acronyms = ["SMPB"]
parent = "no-such-body"
"#;

async fn hover_names(s: &mut Session, d: &Doc, needle: &str) -> Value {
    s.c.call("textDocument/hover", d.tdpp(d.inside(needle, 0)))
        .await
}

async fn watched_change(s: &Session, path: &Path) {
    s.c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(path), "type": 2}]}),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lexicon_reload_keeps_the_last_good_lexicon() {
    for enc in [Enc::Utf8, Enc::Utf16] {
        let ws = tempfile::tempdir().unwrap();
        let root = ws.path();
        std::fs::write(root.join(".lexls.toml"), "lexicon = [\"extra.toml\"]\n").unwrap();
        let extra = root.join("extra.toml");
        let extra_uri = file_uri(&extra);
        std::fs::write(&extra, EXTRA_GOOD).unwrap();
        let mut setup = Setup::new(enc).root(root);
        setup.watch = true;
        let mut s = Session::start(setup).await;
        // The server asks to watch the lexicon and settings files.
        let reg = s.c.wait_server_request("client/registerCapability").await;
        assert_eq!(
            reg["params"]["registrations"][0]["method"],
            "workspace/didChangeWatchedFiles"
        );

        let text = "Hôm nay 😀 TSTA và SMPB họp tại Hà Nội.\r\n";
        let d = s.doc(&file_uri(&root.join("a.txt")), text);
        s.open(&d, 1).await;
        let h = hover_names(&mut s, &d, "TSTA").await;
        assert_contains(hover_text(&h), &["Test Agency", "Cơ quan Thử nghiệm"]);
        assert_eq!(h["range"], d.range_of("TSTA", 0));
        assert_eq!(hover_names(&mut s, &d, "SMPB").await, Value::Null);
        // Go to definition opens the workspace file at the record.
        let r =
            s.c.call("textDocument/definition", d.tdpp(d.inside("TSTA", 0)))
                .await;
        let loc = if r.is_array() { &r[0] } else { &r };
        assert_eq!(uri_path(str_of(&loc["uri"])), extra);
        assert_eq!(loc["range"]["start"]["line"], 3);

        // Broken: an error on the file, at its line; the last good lexicon stays.
        std::fs::write(&extra, EXTRA_BROKEN).unwrap();
        let mark = s.c.mark();
        watched_change(&s, &extra).await;
        let p =
            s.c.diagnostics_after(mark, &extra_uri, |p| p["diagnostics"] != json!([]))
                .await;
        let diag = &p["diagnostics"][0];
        assert_eq!(diag["severity"], 1, "{p}");
        assert_eq!(diag["range"]["start"]["line"], 3, "{p}");
        let h = hover_names(&mut s, &d, "TSTA").await;
        assert_contains(hover_text(&h), &["Test Agency"]);
        // Settings still apply while the lexicon is broken.
        assert_eq!(hints(&mut s, &d).await.len(), 1, "first use of TSTA only");
        s.c.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"inlay-hints": "off"}}),
        )
        .await;
        assert_eq!(hints(&mut s, &d).await.len(), 0);
        assert_contains(
            hover_text(&hover_names(&mut s, &d, "TSTA").await),
            &["Test Agency"],
        );

        // Fixed with another record (and saved from an editor): the new one works, the old
        // one is gone, the error is cleared.
        std::fs::write(&extra, EXTRA_FIXED).unwrap();
        let mark = s.c.mark();
        s.c.notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": extra_uri}}),
        )
        .await;
        s.c.diagnostics_after(mark, &extra_uri, |p| p["diagnostics"] == json!([]))
            .await;
        let h = hover_names(&mut s, &d, "SMPB").await;
        assert_contains(hover_text(&h), &["Sample Bureau", "Văn phòng Mẫu"]);
        assert_eq!(hover_names(&mut s, &d, "TSTA").await, Value::Null);
        s.c.wait_server_request("workspace/semanticTokens/refresh")
            .await;

        // The lexicon file opened as a document: validation errors as diagnostics.
        let mark = s.c.mark();
        let lx = s.doc(&extra_uri, EXTRA_DANGLING);
        s.open(&lx, 1).await;
        let p =
            s.c.diagnostics_after(mark, &extra_uri, |p| p["diagnostics"] != json!([]))
                .await;
        assert_eq!(p["version"], 1, "{p}");
        let diag = &p["diagnostics"][0];
        assert!(str_of(&diag["message"]).contains("no-such-body"), "{diag}");
        let line = find(EXTRA_DANGLING, "parent =", 0);
        assert_eq!(
            diag["range"]["start"]["line"],
            line_char(EXTRA_DANGLING, line, enc).0,
            "{diag}"
        );
        // A reload re-checks the open lexicon file instead of linting it as an article.
        let mark = s.c.mark();
        s.c.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"inlay-hints": "all"}}),
        )
        .await;
        let p = s.c.diagnostics_after(mark, &extra_uri, |_| true).await;
        assert!(p["diagnostics"].to_string().contains("no-such-body"), "{p}");
        // Fixing it in the editor clears them.
        let mark = s.c.mark();
        let _ = s.replace(&lx, EXTRA_FIXED, 2).await;
        s.c.diagnostics_after(mark, &extra_uri, |p| {
            p["version"] == 2 && p["diagnostics"] == json!([])
        })
        .await;
        s.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_settings_file_is_shown_at_its_line() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path();
    let settings = root.join(".lexls.toml");
    std::fs::write(&settings, "inlay-hints = \"all\"\n").unwrap();
    let mut s = Session::start(Setup::new(Enc::Utf16).root(root)).await;
    let d = s.doc(&file_uri(&root.join("a.txt")), VI);
    s.open(&d, 1).await;
    assert_eq!(hints(&mut s, &d).await.len(), 5, "inlay-hints = all");

    let broken = "# settings\n\ninlay-hints = \"sometimes\"\n";
    std::fs::write(&settings, broken).unwrap();
    let mark = s.c.mark();
    watched_change(&s, &settings).await;
    let p =
        s.c.diagnostics_after(mark, &file_uri(&settings), |p| {
            p["diagnostics"] != json!([])
        })
        .await;
    let diag = &p["diagnostics"][0];
    assert_eq!(diag["range"]["start"]["line"], 2, "{p}");
    assert_eq!(diag["range"]["start"]["character"], 14, "{p}");
    // The last good settings stay.
    assert_eq!(hints(&mut s, &d).await.len(), 5);

    // The settings file opened as a document: its errors at their place.
    let opened = s.doc(
        &file_uri(&settings),
        "# ok\n[rules]\nno-such-rule = \"off\"\n",
    );
    let mark = s.c.mark();
    s.open(&opened, 1).await;
    let p =
        s.c.diagnostics_after(mark, &opened.uri, |p| p["version"] == 1)
            .await;
    assert_eq!(p["diagnostics"][0]["range"]["start"]["line"], 2, "{p}");
    assert!(str_of(&p["diagnostics"][0]["message"]).contains("no-such-rule"));
    let mark = s.c.mark();
    s.c.notify(
        "textDocument/didClose",
        json!({"textDocument": opened.id()}),
    )
    .await;
    s.c.diagnostics_after(mark, &opened.uri, |_| true).await;

    std::fs::write(&settings, "inlay-hints = \"off\"\n").unwrap();
    let mark = s.c.mark();
    watched_change(&s, &settings).await;
    s.c.diagnostics_after(mark, &file_uri(&settings), |p| {
        p["diagnostics"] == json!([])
    })
    .await;
    assert_eq!(hints(&mut s, &d).await.len(), 0);
    s.shutdown().await;
}

// ---------------------------------------------------------------------------------------
// the binary over stdio

struct Child {
    child: tokio::process::Child,
    client: Client,
    stderr: tokio::task::JoinHandle<String>,
}

fn spawn_server() -> Child {
    session::init_env();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_lexls"))
        .args(["server", "--stdio"])
        .env("LEXLS_CACHE_DIR", CACHE_DIR)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("the lexls binary starts");
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let stderr = tokio::spawn(async move {
        use tokio::io::AsyncReadExt;
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s).await;
        s
    });
    Child {
        child,
        client: Client::new(stdout, stdin),
        stderr,
    }
}

impl Child {
    /// Waits for the process to end and returns its exit code.
    async fn exit_code(mut self, what: &str) -> i32 {
        let status = match tokio::time::timeout(TIMEOUT, self.child.wait()).await {
            Ok(s) => s.expect("wait for the server"),
            Err(_) => {
                let _ = self.child.kill().await;
                let err = self.stderr.await.unwrap_or_default();
                panic!("the server did not exit {what} within {TIMEOUT:?}; stderr:\n{err}");
            }
        };
        status.code().expect("an exit code, not a signal")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stdio_session_ends_with_code_zero() {
    let Child {
        child,
        mut client,
        stderr,
    } = spawn_server();
    let init = client
        .call("initialize", Setup::new(Enc::Utf8).initialize_params())
        .await;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    client.notify("initialized", json!({})).await;
    let d = Doc::new(VI_URI, VI, Enc::Utf8);
    let mark = client.mark();
    client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": VI_URI, "languageId": "plaintext", "version": 1, "text": VI}}),
        )
        .await;
    let h = client
        .call("textDocument/hover", d.tdpp(d.inside("AMIM-17", 0)))
        .await;
    assert_eq!(h["range"], d.range_of("AMIM-17", 0));
    assert_contains(
        hover_text(&h),
        &[
            "17th ASEAN Military Intelligence Meeting",
            "22 September 2020",
        ],
    );
    let p = client.diagnostics_after(mark, VI_URI, |_| true).await;
    assert_eq!(with_code(&p["diagnostics"], "known-misspelling").len(), 1);
    assert_eq!(
        client.request("shutdown", Value::Null).await,
        Ok(Value::Null)
    );
    client.notify("exit", Value::Null).await;
    // stdin stays open: `exit` alone must end the process.
    let me = Child {
        child,
        client,
        stderr,
    };
    assert!(me.client.garbage().is_empty(), "{:?}", me.client.garbage());
    assert_eq!(me.exit_code("after exit").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stdio_end_of_input_ends_the_process() {
    let mut me = spawn_server();
    let init = me
        .client
        .call("initialize", Setup::new(Enc::Utf16).initialize_params())
        .await;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    me.client.notify("initialized", json!({})).await;
    me.client
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": VI_URI, "languageId": "plaintext", "version": 1, "text": VI}}),
        )
        .await;
    me.client.close().await;
    // The client went away without `shutdown`: the protocol's exit code is 1.
    assert_eq!(me.exit_code("at the end of its input").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf32_when_it_is_all_the_client_offers() {
    let enc = Enc::Utf32;
    let mut s = Session::utf(enc).await;
    assert_eq!(s.init["capabilities"]["positionEncoding"], "utf-32");
    let d = s.doc(VI_URI, VI);
    s.open(&d, 1).await;
    let h =
        s.c.call("textDocument/hover", d.tdpp(d.inside("AMIC", 0)))
            .await;
    assert_eq!(h["range"], d.range_of("AMIC", 0));
    let (_, data) = full_tokens(&mut s, &d).await;
    let tokens = named_tokens(&s, &data);
    assert_well_formed(&d, &tokens);
    let t = token_at(&d, &tokens, find(VI, "ASEANPOL", 0));
    assert_eq!((t.len, t.ty.as_str()), (8, "organisation"));
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lexicon_broken_at_startup_is_shown() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path();
    std::fs::write(root.join(".lexls.toml"), "lexicon = [\"extra.toml\"]\n").unwrap();
    let extra = root.join("extra.toml");
    std::fs::write(&extra, EXTRA_BROKEN).unwrap();
    let mut s = Session::start(Setup::new(Enc::Utf16).root(root)).await;
    let p =
        s.c.diagnostics_after(0, &file_uri(&extra), |p| p["diagnostics"] != json!([]))
            .await;
    assert_eq!(p["diagnostics"][0]["range"]["start"]["line"], 3, "{p}");
    // The built-in lexicon still works.
    let d = s.doc(&file_uri(&root.join("a.txt")), VI);
    s.open(&d, 1).await;
    let h =
        s.c.call("textDocument/hover", d.tdpp(d.inside("AMIC", 0)))
            .await;
    assert_eq!(h["range"], d.range_of("AMIC", 0));
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_lexicon_file_is_shown_on_the_settings_entry() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path();
    let settings = root.join(".lexls.toml");
    let text = "# project\nlexicon = [\"extra.toml\", \"missing.toml\"]\n";
    std::fs::write(&settings, text).unwrap();
    std::fs::write(root.join("extra.toml"), EXTRA_GOOD).unwrap();
    let mut s = Session::start(Setup::new(Enc::Utf16).root(root)).await;
    let p =
        s.c.diagnostics_after(0, &file_uri(&settings), |p| p["diagnostics"] != json!([]))
            .await;
    let at = find(text, "missing.toml", 0);
    assert_eq!(
        p["diagnostics"][0]["range"],
        range(text, at, at + "missing.toml".len(), Enc::Utf16),
        "{p}"
    );
    assert!(
        s.c.notifications("textDocument/publishDiagnostics")
            .iter()
            .all(|p| !str_of(&p["uri"]).ends_with("missing.toml")),
        "diagnostics on a file that does not exist"
    );
    // The built-in lexicon works; the broken set keeps the last good one (here, built in).
    let d = s.doc(&file_uri(&root.join("a.txt")), VI);
    s.open(&d, 1).await;
    let h =
        s.c.call("textDocument/hover", d.tdpp(d.inside("AMIC", 0)))
            .await;
    assert_eq!(h["range"], d.range_of("AMIC", 0));
    s.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workspace_folder_added_later_brings_its_lexicon() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path();
    std::fs::write(root.join(".lexls.toml"), "lexicon = [\"extra.toml\"]\n").unwrap();
    std::fs::write(root.join("extra.toml"), EXTRA_GOOD).unwrap();
    let mut s = Session::utf(Enc::Utf8).await;
    let d = s.doc("file:///newsroom/tsta.txt", "Cơ quan TSTA 😀 họp.\n");
    s.open(&d, 1).await;
    assert_eq!(hover_names(&mut s, &d, "TSTA").await, Value::Null);
    s.c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [{"uri": file_uri(root), "name": "ws"}], "removed": []}}),
    )
    .await;
    let h = hover_names(&mut s, &d, "TSTA").await;
    assert_contains(hover_text(&h), &["Test Agency"]);
    assert_eq!(h["range"], d.range_of("TSTA", 0));
    s.c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [], "removed": [{"uri": file_uri(root), "name": "ws"}]}}),
    )
    .await;
    assert_eq!(hover_names(&mut s, &d, "TSTA").await, Value::Null);
    s.shutdown().await;
}

/// Two folders of one workspace, each with its own `.lexls.toml`: a document is checked with
/// the lexicon and rules of the deepest folder that holds it, and one outside them all with
/// the first folder's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_workspace_folder_has_its_own_lexicon_and_rules() {
    let ws = tempfile::tempdir().unwrap();
    let (a, b) = (ws.path().join("desk-a"), ws.path().join("desk-b"));
    let inner = a.join("archive");
    for dir in [&a, &b, &inner] {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(a.join(".lexls.toml"), "lexicon = [\"extra.toml\"]\n").unwrap();
    std::fs::write(a.join("extra.toml"), EXTRA_GOOD).unwrap();
    std::fs::write(
        b.join(".lexls.toml"),
        "[rules]\nknown-misspelling = \"off\"\n",
    )
    .unwrap();
    // A folder inside the first, with settings of its own and no extra lexicon.
    std::fs::write(inner.join(".lexls.toml"), "[rules]\n").unwrap();
    let mut s = Session::start(Setup::new(Enc::Utf8).root(&a)).await;
    for folder in [&b, &inner] {
        s.c.notify(
            "workspace/didChangeWorkspaceFolders",
            json!({"event": {"added": [{"uri": file_uri(folder), "name": "desk"}], "removed": []}}),
        )
        .await;
    }
    let text = format!("Cơ quan TSTA 😀 họp.\n\n{VI}");
    let mut docs = Vec::new();
    for (i, dir) in [&a, &b, &inner].into_iter().enumerate() {
        let uri = file_uri(&dir.join("story.txt"));
        let d = s.doc(&uri, &text);
        let mark = s.c.mark();
        s.open(&d, 1).await;
        let p = s.c.diagnostics_after(mark, &uri, |_| true).await;
        let misspelt = with_code(&p["diagnostics"], "known-misspelling").len();
        assert_eq!(misspelt, if i == 1 { 0 } else { 1 }, "folder {i}: {p}");
        docs.push(d);
    }
    let h = hover_names(&mut s, &docs[0], "TSTA").await;
    assert_contains(hover_text(&h), &["Test Agency"]);
    assert_eq!(hover_names(&mut s, &docs[1], "TSTA").await, Value::Null);
    assert_eq!(
        hover_names(&mut s, &docs[2], "TSTA").await,
        Value::Null,
        "the inner folder's settings name no extra lexicon"
    );
    let outside = s.doc("file:///elsewhere/story.txt", &text);
    s.open(&outside, 1).await;
    let h = hover_names(&mut s, &outside, "TSTA").await;
    assert_contains(hover_text(&h), &["Test Agency"]);
    s.shutdown().await;
}

/// Workspace symbols search every folder's lexicon, not only the first folder's, and give a
/// record that two folders' lexicons share once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspace_symbols_search_every_folders_lexicon() {
    let ws = tempfile::tempdir().unwrap();
    let (plain, extra) = (ws.path().join("plain"), ws.path().join("extra"));
    for dir in [&plain, &extra] {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(extra.join(".lexls.toml"), "lexicon = [\"extra.toml\"]\n").unwrap();
    std::fs::write(extra.join("extra.toml"), EXTRA_GOOD).unwrap();
    // The first folder has only the embedded lexicon.
    let mut s = Session::start(Setup::new(Enc::Utf16).root(&plain)).await;
    let before = s.c.call("workspace/symbol", json!({"query": "TSTA"})).await;
    assert_eq!(before, json!([]), "{before}");
    s.c.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [{"uri": file_uri(&extra), "name": "extra"}], "removed": []}}),
    )
    .await;
    // The folder is read on the notification: ask until its record shows up.
    let mut found = Value::Null;
    for _ in 0..200 {
        let r = s.c.call("workspace/symbol", json!({"query": "TSTA"})).await;
        if r.as_array().is_some_and(|a| !a.is_empty()) {
            found = r;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let found = found
        .as_array()
        .expect("the second folder's record is found");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]["location"]["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("/extra/extra.toml")),
        "{found:?}"
    );
    // Both folders' lexicons hold the embedded records: each is given once.
    let r = s.c.call("workspace/symbol", json!({"query": "AMIC"})).await;
    let names: Vec<&str> = r
        .as_array()
        .expect("symbols")
        .iter()
        .filter_map(|x| x["name"].as_str())
        .collect();
    let amic = names.iter().filter(|n| n.starts_with("AMIC —")).count();
    assert_eq!(amic, 1, "{names:?}");
    s.shutdown().await;
}

#[test]
fn fixtures_have_what_the_tests_need() {
    assert_eq!(VI.matches("\r\n").count(), VI.matches('\n').count());
    assert!(
        VI.chars().any(|c| c.len_utf16() == 2),
        "an astral character"
    );
    assert!(VI.contains("Bùi Văn\r\nNam"));
    assert!(EN_ASC.contains("(ASC)"));
    assert_ne!(
        position(VI, find(VI, "AMIC", 0), Enc::Utf16),
        position(VI, find(VI, "AMIC", 0), Enc::Utf8),
        "Vietnamese letters and the flag make the encodings differ on line 0"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lexicon_deleted_while_running_keeps_the_last_good_lexicon() {
    let ws = tempfile::tempdir().unwrap();
    let root = ws.path();
    let settings = root.join(".lexls.toml");
    std::fs::write(&settings, "lexicon = [\"extra.toml\"]\n").unwrap();
    let extra = root.join("extra.toml");
    std::fs::write(&extra, EXTRA_GOOD).unwrap();
    let mut setup = Setup::new(Enc::Utf16).root(root);
    setup.watch = true;
    let mut s = Session::start(setup).await;
    let d = s.doc(&file_uri(&root.join("a.txt")), "TSTA họp tại Hà Nội.\n");
    s.open(&d, 1).await;
    assert_contains(
        hover_text(&hover_names(&mut s, &d, "TSTA").await),
        &["Test Agency"],
    );

    std::fs::remove_file(&extra).unwrap();
    let mark = s.c.mark();
    s.c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&extra), "type": 3}]}),
    )
    .await;
    // The settings entry that names the file says it is gone …
    let p =
        s.c.diagnostics_after(mark, &file_uri(&settings), |p| {
            p["diagnostics"] != json!([])
        })
        .await;
    assert!(p["diagnostics"].to_string().contains("extra.toml"), "{p}");
    // … and the last good lexicon, with the deleted file's records, stays.
    assert_contains(
        hover_text(&hover_names(&mut s, &d, "TSTA").await),
        &["Test Agency"],
    );

    // Written again: the error goes away and the records come from the new file.
    std::fs::write(&extra, EXTRA_FIXED).unwrap();
    let mark = s.c.mark();
    watched_change(&s, &extra).await;
    s.c.diagnostics_after(mark, &file_uri(&settings), |p| {
        p["diagnostics"] == json!([])
    })
    .await;
    assert_eq!(hover_names(&mut s, &d, "TSTA").await, Value::Null);
    s.shutdown().await;
}
