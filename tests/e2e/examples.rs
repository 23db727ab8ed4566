//! Every example in the menu: the numbers in the DOM are the numbers
//! `converge --json` gives for the same text (computed here with the library).

use crate::harness::*;
use converge::core::units::Mbps;
use converge::core::{analyse_text, report};
use converge::page::headings::{KEEPS_ITERATING, NOT_COMPUTABLE, SWITCHES_OVER};
use fantoccini::Locator;
use serde_json::Value;

/// Same f64 (the page prints `f64::to_string`, which round-trips) or both absent.
fn same(dom: Option<f64>, json: &Value, what: &str) {
    match (dom, json.as_f64()) {
        (Some(d), Some(j)) => assert!((d - j).abs() <= 1e-9 * j.abs().max(1.0), "{what}: DOM {d} vs JSON {j}"),
        (None, None) => {}
        (d, _) => panic!("{what}: DOM {d:?} vs JSON {json}"),
    }
}

async fn optional_value(c: &fantoccini::Client, css: &str) -> R<Option<f64>> {
    match c.find(Locator::Css(css)).await {
        Ok(_) => value(c, css).await,
        Err(_) => Ok(None),
    }
}

/// `converge --json` with the page's options on `text` (the real CLI binary, text on stdin).
fn cli_json(text: &str, options: &[String]) -> R<Value> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_converge"))
        .arg("--json")
        .args(options)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    child.stdin.take().ok_or("no stdin")?.write_all(text.as_bytes())?;
    let out = child.wait_with_output()?;
    Ok(serde_json::from_slice(&out.stdout)?)
}

/// The DOM against `converge --json` for whatever text the page holds now.
pub async fn dom_matches_json(c: &fantoccini::Client) -> R<Value> {
    let text = c.execute("return document.getElementById('paste').value", vec![]).await?;
    let text = text.as_str().unwrap_or_default().to_string();
    // What the page assumes beyond the text (an example sets it; the user may change it)
    // goes to the CLI as its flags: the page size, the platform, the link speed.
    let prop = async |css: &str| -> R<String> {
        Ok(c.find(Locator::Css(css)).await?.prop("value").await?.unwrap_or_default())
    };
    let mut options = vec!["--backing-page".to_string(), prop("#f-backing").await?];
    let platform = prop("#f-platform").await?;
    if !platform.is_empty() {
        options.extend(["--platform".to_string(), platform]);
    }
    if let Some(mbps) = converge::page::fields::number(&prop("#f-link").await?).filter(|v| *v > 0.0) {
        let bps = Mbps(mbps).to_bytes_per_ms().to_bytes_per_sec();
        options.extend(["--link-speed".to_string(), bps.0.to_string()]);
    }
    let j = cli_json(&text, &options)?;
    // The CLI prints what the library computes (the page runs the same library in wasm);
    // serde_json may read a printed float back 1 ulp off, hence `same`'s tolerance.
    let lib = report::json(&analyse_text(&text));
    assert_eq!(j["focus"]["index"], lib["focus"]["index"], "CLI and library focus differ");
    let focus = j["focus"]["index"].as_u64();
    let Some(i) = focus else {
        assert!(c.find(Locator::Css("#d-f1-value")).await.is_err(), "results shown for a paste without statistics");
        return Ok(j);
    };
    let s = &j["snapshots"][i as usize];
    let f = &s["formulas"];
    same(value(c, "#d-f1-value").await?, &f["f1_ms"], "F1");
    same(value(c, "#d-f2-value").await?, &f["f2_ms"], "F2");
    same(attr_value(c, "#formulas", "data-f2-decimal").await?, &f["f2_decimal_kb_ms"], "F2 decimal kB");
    same(value(c, "#d-f3-value").await?, &f["f3_ms"], "F3");
    same(value(c, "#d-today-value").await?, &f["today_ms"], "today");
    same(attr_value(c, "#formulas", "data-printed").await?, &s["expected_downtime_ms"], "printed expected downtime");
    // The switchover heading is the engine's verdict, not a comparison the page makes.
    let heading = c.find(Locator::Css("#d-switchover-value")).await?.text().await?;
    match f["switches_over_now"].as_bool() {
        Some(true) => assert_eq!(heading, SWITCHES_OVER),
        Some(false) => assert_eq!(heading, KEEPS_ITERATING),
        None => assert_eq!(heading, NOT_COMPUTABLE),
    }
    // The options are the plan's for the same options (the link speed changes them), in its order.
    let shown = c
        .execute("return [...document.querySelectorAll('#options-table tbody tr')].map(r => r.dataset.lever)", vec![])
        .await?;
    let want: Vec<Value> = j["plan"]["options"].as_array().into_iter().flatten().map(|o| o["lever"].clone()).collect();
    assert_eq!(shown, Value::Array(want), "options");
    let dialect = c.find(Locator::Css("#dialect")).await?.attr("data-key").await?;
    assert_eq!(dialect.as_deref(), s["dialect"].as_str(), "dialect");
    // One plan: its first step's setting and its pause, and nothing else beside them.
    let action = &j["plan"]["action"];
    match action["steps"].as_array().and_then(|s| s.first()) {
        None => assert!(c.find(Locator::Css("#plan-setting")).await.is_err(), "a step the engine did not plan"),
        Some(step) => same(optional_value(c, "#plan-setting").await?, &step["limit"], "the plan's limit"),
    }
    same(attr_value(c, "#plan-text", "data-pause-low").await?, &action["pause"]["low"], "pause, low end");
    same(attr_value(c, "#plan-text", "data-pause-high").await?, &action["pause"]["high"], "pause, high end");
    for gone in ["#results", "#advice", "#rec-limit", "#result-limit"] {
        assert!(c.find(Locator::Css(gone)).await.is_err(), "{gone}: a second answer beside the plan");
    }
    // The limit's derivation, when shown, is the recommendation's.
    if let Ok(d) = c.find(Locator::Css("#d-limit-value")).await {
        let v = d.attr("data-value").await?.and_then(|v| v.parse::<f64>().ok());
        same(v, &j["recommendation"]["downtime_limit_ms"], "the limit's derivation");
    }
    let errors = c.find_all(Locator::Css("#diagnostics li")).await?.len();
    assert_eq!(errors, j["errors"].as_array().map(|a| a.len()).unwrap_or(0), "diagnostics listed");
    Ok(j)
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn every_example_shows_the_numbers_of_converge_json() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        let keys = c
            .execute(
                "return [...document.querySelectorAll('#example option')].map(o => o.value).filter(v => v)",
                vec![],
            )
            .await?;
        let keys: Vec<String> =
            keys.as_array().into_iter().flatten().filter_map(|k| k.as_str().map(String::from)).collect();
        assert!(keys.len() >= 7, "examples menu: {keys:?}");
        let mut with_stats = 0;
        for k in &keys {
            c.find(Locator::Css("#example")).await?.select_by_value(k).await?;
            settle(c).await?;
            // The seed is a POWER8 hash-MMU guest on 16 MiB pages; the corpus guests are x86 TCG with 4 KiB pages.
            let backing = c.find(Locator::Css("#f-backing")).await?.prop("value").await?;
            let platform = c.find(Locator::Css("#f-platform")).await?.prop("value").await?;
            let want = if k == "seed" { ("16777216", "power-hash") } else { ("4096", "x86") };
            assert_eq!((backing.as_deref(), platform.as_deref()), (Some(want.0), Some(want.1)), "example {k}");
            let j = dom_matches_json(c).await.map_err(|e| format!("example {k}: {e}"))?;
            with_stats += j["focus"]["index"].is_u64() as usize;
            screenshot(c, &format!("example-{k}.png")).await?;
        }
        assert_eq!(with_stats, keys.len(), "every example has statistics to compute from");
        let problems = console_problems(c).await?;
        assert!(problems.is_empty(), "console: {problems:#?}");
        Ok(())
    });
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn pasted_capture_files_match_json_too() {
    let root = root().join("tests/data/corpus");
    let files = [
        "seed/as_pasted.txt",
        "runs/10.0.2-B/before/hmp_info_migrate.txt",
        "runs/10.2.2-B/after/hmp_info_migrate_final.txt",
        "virsh/02-dirty-32MiBps-abort/src_domjobinfo_completed.txt",
        "runs/7.2.22-B/after/qmp_query-migrate_final.json",
    ];
    run(Browser::default(), async |c| {
        open(c, "").await?;
        for f in files {
            let text = std::fs::read_to_string(root.join(f))?;
            paste(c, &text).await?;
            dom_matches_json(c).await.map_err(|e| format!("{f}: {e}"))?;
        }
        Ok(())
    });
}
