//! SARIF 2.1.0, as GitHub code scanning reads it: the rules' metadata in
//! `tool.driver.rules`, one result per finding, columns in Unicode code points
//! (`columnKind`), and `fixes` for safe fixes. The log is written as the files come: what
//! surrounds `runs[0].results` first, the results one by one, then the rest.

use std::io::{self, Write};
use std::ops::Range;

use serde_json::{Value, json};

use super::{Checked, JsonArray, Place, PrettyJson, Reporter, Summary};
use crate::cli::annotate::LineIndex;
use crate::config::Level;
use crate::rules::{Finding, RULES, RuleInfo, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF format: the log around its results array is made once, at the start.
pub struct Sarif {
    /// The log up to its results array, and after it.
    before: String,
    after: String,
    results: JsonArray,
    /// A result being written, reused from one to the next.
    json: PrettyJson,
}

/// How deep a result is in the log: `runs`, its run, `results`, the result.
const RESULT_DEPTH: usize = 4;

impl Default for Sarif {
    fn default() -> Sarif {
        let (before, indent, after) = split_log();
        debug_assert_eq!(indent.len(), 2 * RESULT_DEPTH);
        Sarif {
            before,
            after,
            results: JsonArray::new(indent),
            json: PrettyJson::new(),
        }
    }
}

impl Reporter for Sarif {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(self.before.as_bytes())?;
        self.results.open(out)
    }

    fn file(&mut self, out: &mut dyn Write, file: &Checked) -> io::Result<()> {
        if file.findings.is_empty() {
            return Ok(());
        }
        let index = LineIndex::new(file.text);
        let uri = uri(file.path);
        for f in file.findings {
            self.json.restart(RESULT_DEPTH);
            result(&mut self.json, file, &index, &uri, f);
            self.results.push_written(out, &self.json.buf)?;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, _: &Summary) -> io::Result<()> {
        self.results.close(out)?;
        out.write_all(self.after.as_bytes())?;
        writeln!(out)
    }
}

/// The log with no results, pretty-printed and cut around its empty results array: the
/// text before `[`, the indentation of a result, and the text after `]`.
fn split_log() -> (String, String, String) {
    const KEY: &str = "\"results\": ";
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "lexls",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": RULES.iter().map(rule).collect::<Vec<_>>(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": [],
        }]
    });
    let text = serde_json::to_string_pretty(&log).expect("a JSON value serialises");
    // The keys are ours and a string value holds no unescaped `"`: this is the key.
    let at = text.find(&format!("{KEY}[]")).expect("the log has results") + KEY.len();
    let line = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = format!("{}  ", &text[line..at - KEY.len()]);
    (
        text[..at].to_owned(),
        indent,
        text[at + "[]".len()..].to_owned(),
    )
}

fn rule(r: &RuleInfo) -> Value {
    json!({
        "id": r.id,
        "shortDescription": { "text": r.summary },
        "help": { "text": r.explanation, "markdown": r.explanation },
        "defaultConfiguration": { "level": level(r.default_level) },
    })
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Off => "none",
        Level::Hint | Level::Info => "note",
        Level::Warning => "warning",
        Level::Error => "error",
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Hint | Severity::Info => "note",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// Writes the result of `f`: the members of each object in the order of their keys, as
/// serde_json writes a `json!` value (this was one, and the tests compare with it).
fn result(json: &mut PrettyJson, file: &Checked, index: &LineIndex, uri: &str, f: &Finding) {
    let region = |json: &mut PrettyJson, span: &Range<usize>| {
        let p = Place::of(index, file.text, span);
        json.begin_object();
        json.key("byteLength");
        json.uint((span.end - span.start) as u64);
        json.key("byteOffset");
        json.uint(span.start as u64);
        json.key("endColumn");
        json.uint(p.end_column);
        json.key("endLine");
        json.uint(p.end_line);
        json.key("startColumn");
        json.uint(p.column);
        json.key("startLine");
        json.uint(p.line);
        json.end_object();
    };
    let artifact = |json: &mut PrettyJson| {
        json.key("artifactLocation");
        json.begin_object();
        json.key("uri");
        json.string(uri);
        json.end_object();
    };
    let location = |json: &mut PrettyJson, span: &Range<usize>| {
        json.begin_object();
        artifact(json);
        json.key("region");
        region(json, span);
        json.end_object();
    };
    let text = |json: &mut PrettyJson, key: &str, text: &str| {
        json.key(key);
        json.begin_object();
        json.key("text");
        json.string(text);
        json.end_object();
    };
    json.begin_object();
    if f.fixes.iter().any(|x| x.safe) {
        json.key("fixes");
        json.begin_array();
        for x in f.fixes.iter().filter(|x| x.safe) {
            json.element();
            json.begin_object();
            json.key("artifactChanges");
            json.begin_array();
            json.element();
            json.begin_object();
            artifact(json);
            json.key("replacements");
            json.begin_array();
            for e in &x.edits {
                json.element();
                json.begin_object();
                json.key("deletedRegion");
                region(json, &e.range);
                text(json, "insertedContent", &e.replacement);
                json.end_object();
            }
            json.end_array();
            json.end_object();
            json.end_array();
            text(json, "description", &x.title);
            json.end_object();
        }
        json.end_array();
    }
    json.key("level");
    json.string(severity(f.severity));
    json.key("locations");
    json.begin_array();
    json.element();
    json.begin_object();
    json.key("physicalLocation");
    location(json, &f.span);
    json.end_object();
    json.end_array();
    text(json, "message", &f.message);
    if !f.related.is_empty() {
        json.key("relatedLocations");
        json.begin_array();
        for (i, (span, message)) in f.related.iter().enumerate() {
            json.element();
            json.begin_object();
            json.key("id");
            json.uint(i as u64);
            text(json, "message", message);
            json.key("physicalLocation");
            location(json, span);
            json.end_object();
        }
        json.end_array();
    }
    json.key("ruleId");
    json.string(f.rule);
    json.key("ruleIndex");
    match RULES.iter().position(|r| r.id == f.rule) {
        Some(i) => json.uint(i as u64),
        None => json.null(),
    }
    json.end_object();
}

/// A relative URI reference for a path with `/` separators (`file://` for absolute paths),
/// percent-encoding everything but unreserved characters and `/`.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The result as a serde_json value, as it was written before [`result`]: the
    /// reference the tests compare with.
    fn reference_result(file: &Checked, index: &LineIndex, uri: &str, f: &Finding) -> Value {
        let region = |span: &Range<usize>| {
            let p = Place::of(index, file.text, span);
            json!({
                "startLine": p.line,
                "startColumn": p.column,
                "endLine": p.end_line,
                "endColumn": p.end_column,
                "byteOffset": span.start,
                "byteLength": span.end - span.start,
            })
        };
        let location = |span: &Range<usize>| json!({ "artifactLocation": { "uri": uri }, "region": region(span) });
        let mut r = json!({
            "ruleId": f.rule,
            "ruleIndex": RULES.iter().position(|r| r.id == f.rule),
            "level": severity(f.severity),
            "message": { "text": f.message },
            "locations": [{ "physicalLocation": location(&f.span) }],
        });
        if !f.related.is_empty() {
            r["relatedLocations"] = f
                .related
                .iter()
                .enumerate()
                .map(|(i, (span, message))| {
                    json!({ "id": i, "message": { "text": message }, "physicalLocation": location(span) })
                })
                .collect();
        }
        let fixes: Vec<Value> = f
            .fixes
            .iter()
            .filter(|x| x.safe)
            .map(|x| {
                let replacements: Vec<Value> = x
                    .edits
                    .iter()
                    .map(|e| json!({ "deletedRegion": region(&e.range), "insertedContent": { "text": e.replacement } }))
                    .collect();
                json!({
                    "description": { "text": x.title },
                    "artifactChanges": [{ "artifactLocation": { "uri": uri }, "replacements": replacements }],
                })
            })
            .collect();
        if !fixes.is_empty() {
            r["fixes"] = Value::Array(fixes);
        }
        r
    }

    #[test]
    fn results_are_written_as_serde_json_wrote_them() {
        use crate::rules::{Edit, Fix};
        let text = "\u{FEFF}Hội nghị AMIM-17 (\"ASEAN\")\r\nlần thứ 17\ttại Hà Nội.\n\nSOMTC\\x";
        let at = |needle: &str| {
            let start = text.find(needle).unwrap();
            start..start + needle.len()
        };
        let edit = |needle: &str, by: &str| Edit {
            range: at(needle),
            replacement: by.to_owned(),
        };
        let fix = |title: &str, edits: Vec<Edit>, safe: bool| Fix {
            title: title.to_owned(),
            edits,
            safe,
        };
        let finding = |rule: &'static str, needle: &str, message: &str| Finding {
            rule,
            severity: Severity::Warning,
            span: at(needle),
            message: message.to_owned(),
            fixes: Vec::new(),
            related: Vec::new(),
        };
        let mut findings = vec![
            finding(RULES[0].id, "AMIM-17", "plain"),
            Finding {
                severity: Severity::Error,
                fixes: vec![
                    fix(
                        "Write \"SOMTC\"",
                        vec![edit("SOMTC", "Somtc"), edit("Hà Nội", "Hà\nNội")],
                        true,
                    ),
                    fix("Not safe", vec![edit("ASEAN", "x")], false),
                    fix("Safe, no edits", Vec::new(), true),
                ],
                related: vec![
                    (at("lần"), "first \"here\"".to_owned()),
                    (at("x"), "\u{1}".to_owned()),
                ],
                ..finding(RULES[1].id, "nghị", "quotes \" and \\ and\nlines\t\u{7}")
            },
            Finding {
                severity: Severity::Info,
                fixes: vec![fix("Only unsafe", vec![edit("tại", "ở")], false)],
                ..finding("no-such-rule", "Hội", "")
            },
            Finding {
                severity: Severity::Hint,
                ..finding(RULES[RULES.len() - 1].id, "\u{FEFF}", "at the BOM")
            },
        ];
        findings.push(Finding {
            span: text.len()..text.len(),
            ..finding(RULES[2].id, "x", "at the end")
        });
        let file = Checked {
            path: "bài/1.txt",
            text,
            findings: &findings,
        };
        let index = LineIndex::new(text);
        let uri = uri(file.path);
        let mut json = PrettyJson::new();
        for f in &findings {
            json.restart(RESULT_DEPTH);
            result(&mut json, &file, &index, &uri, f);
            let want = serde_json::to_string_pretty(&reference_result(&file, &index, &uri, f))
                .unwrap()
                .replace('\n', &format!("\n{}", " ".repeat(2 * RESULT_DEPTH)));
            assert_eq!(String::from_utf8(json.buf.clone()).unwrap(), want, "{f:?}");
        }
    }

    #[test]
    fn the_log_is_cut_at_its_only_results_array() {
        let (before, indent, after) = split_log();
        assert!(before.ends_with("\n      \"results\": "), "{before}");
        assert_eq!(indent, " ".repeat(8));
        assert!(after.starts_with(",\n      \"tool\": {"), "{after}");
        let whole = format!("{before}[]{after}");
        assert_eq!(whole.matches("\"results\"").count(), 1);
        serde_json::from_str::<Value>(&whole).expect("the empty log is JSON");
    }

    #[test]
    fn uris() {
        assert_eq!(uri("articles/bài 1.txt"), "articles/b%C3%A0i%201.txt");
        assert_eq!(uri("/tmp/a.txt"), "file:///tmp/a.txt");
    }
}
