//! lexls benchmarks: matcher throughput, lexicon build time, and how cost grows with
//! document and lexicon size. `cargo bench --bench perf` prints Markdown tables (the README
//! keeps the figures); `cargo bench --bench perf -- --quick` runs a short version.
//!
//! `-- --build` times only the build of the 10,000-record lexicon, split into loading and
//! the matcher; `-- --profile-build SECS` builds it over and over for a profiler, as
//! `-- --profile SECS` analyses the corpus.
//!
//! The corpus is built from the team's own fixture articles (tests/fixtures/articles),
//! varied (numbers changed) and repeated to the wanted size; no seed article is used.

use std::hint::black_box;
use std::time::{Duration, Instant};

use lexls::analysis::Engine;
use lexls::lexicon::{Lexicon, LexiconBuilder, Origin};
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

fn lexicon_from(text: &str) -> Lexicon {
    let mut b = LexiconBuilder::new();
    b.add_text(Origin::File("synthetic.toml".into()), text.to_owned());
    b.build().expect("synthetic lexicon is valid")
}

fn engine_from(text: &str) -> Engine {
    Engine::new(lexicon_from(text))
}

/// The build of a lexicon in its two halves: loading and validating the records
/// (`load`), then the matcher (aliases normalised, search built). The median and the
/// fastest of `runs`, for the load, the matcher and the whole.
fn build_phases(runs: usize, load: impl Fn() -> Lexicon) -> [(Duration, Duration); 3] {
    let mut loads = Vec::with_capacity(runs);
    let mut matcher = Vec::with_capacity(runs);
    let mut total = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let lexicon = load();
        let loaded = t.elapsed();
        let engine = black_box(Engine::new(lexicon));
        let all = t.elapsed();
        drop(engine);
        loads.push(loaded);
        matcher.push(all - loaded);
        total.push(all);
    }
    let stats = |mut v: Vec<Duration>| {
        v.sort();
        (v[v.len() / 2], v[0])
    };
    [stats(loads), stats(matcher), stats(total)]
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
    let arg_after = |flag: &str| {
        std::env::args()
            .skip_while(|a| a != flag)
            .nth(1)
            .and_then(|s| s.parse::<u64>().ok())
    };
    if let Some(secs) = arg_after("--profile-build") {
        // For a profiler: build the 10,000-record lexicon over and over for `secs` seconds.
        let text = synthetic_lexicon(10_000, 0);
        let until = Instant::now() + Duration::from_secs(secs);
        let mut n = 0;
        while Instant::now() < until {
            black_box(engine_from(&text));
            n += 1;
        }
        println!("{n} builds");
        return;
    }
    if std::env::args().any(|a| a == "--build") {
        // Only the lexicon build, in its two halves: median and fastest of 11 runs.
        let text = synthetic_lexicon(10_000, 0);
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
        println!("| 10,000 records | load and validate | matcher | total |");
        println!("| --- | ---: | ---: | ---: |");
        let phases = build_phases(11, || lexicon_from(&text));
        println!(
            "| median of 11 | {} | {} | {} |",
            ms(phases[0].0),
            ms(phases[1].0),
            ms(phases[2].0)
        );
        println!(
            "| fastest | {} | {} | {} |",
            ms(phases[0].1),
            ms(phases[1].1),
            ms(phases[2].1)
        );
        return;
    }
    if let Some(secs) = arg_after("--profile") {
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
    let embedded = build_phases(runs, Lexicon::embedded);
    let syn10k = synthetic_lexicon(10_000, 0);
    let build10k = build_phases(runs, || lexicon_from(&syn10k));
    let engine_syn = engine_from(&syn10k);
    let aliases10k = 10_000 * 3;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("## Lexicon build (parse, validate, search), medians\n");
    println!("| lexicon | records | load and validate | matcher | total |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    println!(
        "| embedded | {} | {:.1} ms | {:.1} ms | {:.1} ms |",
        Engine::embedded().lexicon().records().len(),
        ms(embedded[0].0),
        ms(embedded[1].0),
        ms(embedded[2].0)
    );
    println!(
        "| synthetic | 10,000 ({aliases10k} aliases) | {:.1} ms | {:.1} ms | {:.1} ms |\n",
        ms(build10k[0].0),
        ms(build10k[1].0),
        ms(build10k[2].0)
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
    println!("| aliases | build (median) | analyse 1 MB | MB/s |");
    println!("| ---: | ---: | ---: | ---: |");
    let mut end = 1_000_000.min(joined.len());
    while !joined.is_char_boundary(end) {
        end -= 1;
    }
    let doc = &joined[..end];
    for (records, extra) in [(34, 0), (334, 0), (3_334, 0), (10_000, 7)] {
        let text = synthetic_lexicon(records, extra);
        let build = build_phases(runs, || lexicon_from(&text))[2].0;
        let e = engine_from(&text);
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
