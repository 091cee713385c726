//! lexls benchmarks: matcher throughput, lexicon build time, and how cost grows with
//! document and lexicon size. `cargo bench --bench perf` prints Markdown tables (the README
//! keeps the figures); `cargo bench --bench perf -- --quick` runs a short version.
//!
//! The corpus is built from the team's own fixture articles (tests/fixtures/articles),
//! varied (numbers changed) and repeated to the wanted size; no seed article is used.

use std::hint::black_box;
use std::time::{Duration, Instant};

use lexls::analysis::Engine;
use lexls::lexicon::{LexiconBuilder, Origin};
use unicode_normalization::UnicodeNormalization;

#[path = "common/corpus.rs"]
mod corpus;
use corpus::{Rng, corpus};

/// A synthetic lexicon of `n` organisations, each with an acronym, an English and a
/// Vietnamese name and `extra` aliases.
fn synthetic_lexicon(n: usize, extra: usize) -> String {
    let mut rng = Rng(42);
    let words = [
        "Regional",
        "Maritime",
        "Security",
        "Council",
        "Forum",
        "Agency",
        "Committee",
        "Defence",
        "Intelligence",
        "Police",
        "Customs",
        "Border",
        "Cyber",
        "Health",
        "Energy",
        "Water",
        "Food",
        "Disaster",
        "Response",
        "Centre",
        "Network",
        "Working",
        "Group",
        "Office",
    ];
    let vi = [
        "Hội đồng",
        "Diễn đàn",
        "Cơ quan",
        "Ủy ban",
        "an ninh",
        "hàng hải",
        "quốc phòng",
        "tình báo",
        "cảnh sát",
        "hải quan",
        "biên giới",
        "mạng",
        "y tế",
        "năng lượng",
        "nguồn nước",
        "lương thực",
        "thiên tai",
        "ứng phó",
        "trung tâm",
        "mạng lưới",
    ];
    let mut s = String::with_capacity(n * 200);
    for i in 0..n {
        let mut name = String::new();
        for _ in 0..4 {
            name.push_str(words[rng.below(words.len() as u64) as usize]);
            name.push(' ');
        }
        let mut vname = String::new();
        for _ in 0..4 {
            vname.push_str(vi[rng.below(vi.len() as u64) as usize]);
            vname.push(' ');
        }
        let acr: String = (0..5)
            .map(|_| char::from(b'A' + rng.below(26) as u8))
            .collect();
        s.push_str(&format!(
            "[[organisation]]\nid = \"syn-{i}\"\nname = {{ en = \"{} {i}\", vi = \"{} {i}\" }}\nacronyms = [\"{acr}{i}\"]\n",
            name.trim(),
            vname.trim()
        ));
        if extra > 0 {
            s.push_str("aliases = [");
            for k in 0..extra {
                s.push_str(&format!("\"{} alias {k} of {i}\", ", name.trim()));
            }
            s.push_str("]\n");
        }
    }
    s
}

fn engine_from(text: &str) -> Engine {
    let mut b = LexiconBuilder::new();
    b.add_text(Origin::File("synthetic.toml".into()), text.to_owned());
    Engine::new(b.build().expect("synthetic lexicon is valid"))
}

/// Runs `f` `runs` times and returns the median duration.
fn median<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64()
}

fn analyze_all(engine: &Engine, docs: &[String]) -> usize {
    docs.iter().map(|d| engine.analyze(d).mentions.len()).sum()
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    if let Some(secs) = std::env::args()
        .skip_while(|a| a != "--profile")
        .nth(1)
        .and_then(|s| s.parse::<u64>().ok())
    {
        // For a profiler: analyse the corpus over and over for `secs` seconds.
        let docs = corpus(5_000_000);
        let engine = Engine::embedded();
        let until = Instant::now() + Duration::from_secs(secs);
        let mut n = 0;
        while Instant::now() < until {
            n += analyze_all(&engine, &docs);
        }
        println!("{n} mentions");
        return;
    }
    let (corpus_bytes, runs) = if quick {
        (5_000_000, 3)
    } else {
        (50_000_000, 5)
    };

    println!("# lexls benchmarks\n");
    println!(
        "machine: {} cores, {}; build: release\n",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::env::consts::ARCH
    );

    // Lexicon build.
    let embedded = median(runs, || {
        black_box(Engine::new(lexls::lexicon::Lexicon::embedded()));
    });
    let syn10k = synthetic_lexicon(10_000, 0);
    let build10k = median(runs, || {
        black_box(engine_from(&syn10k));
    });
    let engine_syn = engine_from(&syn10k);
    let aliases10k = 10_000 * 3;
    println!("## Lexicon build (parse, validate, automaton)\n");
    println!("| lexicon | records | time |");
    println!("| --- | ---: | ---: |");
    println!(
        "| embedded | {} | {:.1} ms |",
        Engine::embedded().lexicon().records().len(),
        embedded.as_secs_f64() * 1e3
    );
    println!(
        "| synthetic | 10,000 ({aliases10k} aliases) | {:.1} ms |\n",
        build10k.as_secs_f64() * 1e3
    );

    // Throughput.
    let docs = corpus(corpus_bytes);
    let bytes: usize = docs.iter().map(String::len).sum();
    let nfd: Vec<String> = docs.iter().map(|d| d.nfd().collect()).collect();
    let nfd_bytes: usize = nfd.iter().map(String::len).sum();
    let engine = Engine::embedded();
    println!(
        "## Analysis throughput (normalise, match, definitions), one core\n\ncorpus: {} articles, {:.1} MB (NFC), {:.1} MB (NFD)\n",
        docs.len(),
        bytes as f64 / 1e6,
        nfd_bytes as f64 / 1e6
    );
    println!("| input | lexicon | MB/s | mentions |");
    println!("| --- | --- | ---: | ---: |");
    for (label, set, n, eng, lex) in [
        ("NFC", &docs, bytes, &engine, "embedded"),
        ("NFD", &nfd, nfd_bytes, &engine, "embedded"),
        ("NFC", &docs, bytes, &engine_syn, "synthetic 10k"),
        ("NFD", &nfd, nfd_bytes, &engine_syn, "synthetic 10k"),
    ] {
        let mut mentions = 0;
        let d = median(runs.min(3), || mentions = analyze_all(eng, set));
        println!("| {label} | {lex} | {:.0} | {mentions} |", mb_per_s(n, d));
    }

    // Growth with document size.
    println!("\n## Time against document size (embedded lexicon, NFC)\n");
    println!("| document | time | MB/s |");
    println!("| ---: | ---: | ---: |");
    let joined = docs.join("\n\n");
    for size in [10_000usize, 100_000, 1_000_000, 10_000_000] {
        let mut end = size.min(joined.len());
        while !joined.is_char_boundary(end) {
            end -= 1;
        }
        let doc = &joined[..end];
        let d = median(runs, || {
            black_box(engine.analyze(doc));
        });
        println!(
            "| {} KB | {:.2} ms | {:.0} |",
            size / 1000,
            d.as_secs_f64() * 1e3,
            mb_per_s(doc.len(), d)
        );
    }

    // Growth with lexicon size.
    println!("\n## Time against lexicon size (1 MB NFC document)\n");
    println!("| aliases | build | analyse 1 MB | MB/s |");
    println!("| ---: | ---: | ---: | ---: |");
    let mut end = 1_000_000.min(joined.len());
    while !joined.is_char_boundary(end) {
        end -= 1;
    }
    let doc = &joined[..end];
    for (records, extra) in [(34, 0), (334, 0), (3_334, 0), (10_000, 7)] {
        let text = synthetic_lexicon(records, extra);
        let t = Instant::now();
        let e = engine_from(&text);
        let build = t.elapsed();
        let aliases = records * (3 + extra);
        let d = median(runs, || {
            black_box(e.analyze(doc));
        });
        println!(
            "| {aliases} | {:.0} ms | {:.2} ms | {:.0} |",
            build.as_secs_f64() * 1e3,
            d.as_secs_f64() * 1e3,
            mb_per_s(doc.len(), d)
        );
    }
}
