//! Editing the form, the copy buttons, the URL round trip, embed mode,
//! localStorage (present and blocked), keyboard use.

use crate::examples::dom_matches_json;
use crate::harness::*;
use fantoccini::{key::Key, Locator};
use serde_json::json;

const SEED: &str = include_str!("../data/corpus/seed/as_pasted.txt");

fn tempfile_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("converge-e2e-{}-{name}", std::process::id()))
}

async fn type_into(c: &fantoccini::Client, css: &str, text: &str) -> R {
    let e = c.find(Locator::Css(css)).await?;
    e.click().await?;
    // Select all and overwrite, as a user would.
    e.send_keys(&format!("{}a", char::from(Key::Control))).await?;
    e.send_keys(&char::from(Key::Backspace).to_string()).await?;
    e.send_keys(text).await?;
    settle(c).await
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn editing_a_field_recomputes_and_reset_restores() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        let f2 = value(c, "#d-f2-value").await?.ok_or("no F2")?;
        type_into(c, "#f-throughput", "1733.66").await?;
        let f2_edit = value(c, "#d-f2-value").await?.ok_or("no F2 after edit")?;
        assert!((f2_edit - f2 / 2.0).abs() < 1e-6, "{f2} -> {f2_edit}");
        let f1 = value(c, "#d-f1-value").await?.ok_or("no F1")?;
        assert!((f1 - 1475.9454 / 2.0).abs() < 1e-3, "{f1}");
        let src = c.find(Locator::Css("#f-throughput-src")).await?.text().await?;
        assert!(src.starts_with("edited by you"), "{src}");
        // A half-typed number is kept as typed, flagged, and ignored.
        type_into(c, "#f-limit", "12x").await?;
        let inv = c.find(Locator::Css("#f-limit")).await?.attr("aria-invalid").await?;
        assert_eq!(inv.as_deref(), Some("true"));
        type_into(c, "#f-limit", "4000").await?;
        // The steps are collapsed (not rendered text): read textContent.
        let step = c.execute("return document.querySelector('#d-switchover .steps').textContent", vec![]).await?;
        assert!(step.as_str().unwrap_or_default().contains("4,000 ms"), "threshold uses the edited limit: {step}");
        // The HPT page size is an option of the analysis (64 KiB HPTEs: the seed is a hash-MMU guest).
        c.find(Locator::Css("#f-backing")).await?.select_by_value("65536").await?;
        settle(c).await?;
        c.find(Locator::Css("button.reset")).await?.click().await?;
        settle(c).await?;
        assert_eq!(value(c, "#d-f2-value").await?, Some(f2));
        let shown = c.find(Locator::Css("#f-throughput")).await?.prop("value").await?;
        assert_eq!(shown.as_deref(), Some("866.83"));
        dom_matches_json(c).await?;
        Ok(())
    });
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn copy_buttons_copy_the_commands() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        catch_copies(c).await?;
        let j = dom_matches_json(c).await?;
        // The commands are the plan's first step's (converge --json gives the same strings).
        let cmds = &j["plan"]["action"]["steps"][0]["commands"];
        let rec = &j["recommendation"]["commands"];
        // QEMU 2.12 has no avail-switchover-bandwidth, and no link speed was given: no command.
        assert_eq!(j["advice"]["switchover_bandwidth"]["commands"], json!([]));
        let mut expected = Vec::new();
        for (css, v) in [
            ("#copy-plan-hmp", &cmds[0]["text"]),
            ("#copy-plan-qmp", &cmds[1]["text"]),
            ("#copy-plan-virsh", &cmds[2]["text"]),
        ] {
            let text = v.as_str().ok_or(format!("no {css} command in the JSON"))?.to_string();
            expected.push((css, text));
        }
        // The seed's limit by hand: 3,561.8 ms + 25 % margin, rounded up to 4,500 ms; the
        // plan's commands are the recommendation's.
        assert_eq!(expected[0].1, "migrate_set_parameter downtime-limit 4500");
        assert_eq!([&rec["hmp"], &rec["qmp"], &rec["virsh"]], [&cmds[0]["text"], &cmds[1]["text"], &cmds[2]["text"]]);
        for (css, text) in expected {
            c.find(Locator::Css(css)).await?.click().await?;
            settle(c).await?;
            let got = c.execute("return window.__copied", vec![]).await?;
            assert_eq!(got, json!(text), "{css}");
            let status = c.find(Locator::Css(&format!("{css} + .copy-status"))).await?.text().await?;
            assert_eq!(status, "Copied", "{css}");
        }
        // The text report is the CLI's (`converge FILE` without --json).
        c.find(Locator::Css("#copy-report")).await?.click().await?;
        settle(c).await?;
        let report = c.execute("return window.__copied", vec![]).await?;
        let f = tempfile_path("seed.txt");
        std::fs::write(&f, SEED)?;
        // The seed opens as a POWER hash-MMU guest on 16 MiB pages (the CLI's default page size).
        let cli = std::process::Command::new(env!("CARGO_BIN_EXE_converge"))
            .args(["--platform", "power-hash"])
            .arg(&f)
            .output()?;
        assert_eq!(
            report.as_str(),
            Some(String::from_utf8_lossy(&cli.stdout).as_ref()),
            "report differs from the CLI's"
        );
        assert!(report.as_str().unwrap_or_default().contains("4,500 ms"), "the report carries the recommendation");
        let _ = std::fs::remove_file(&f);
        // The link reproduces the view.
        c.find(Locator::Css("#copy-link")).await?.click().await?;
        settle(c).await?;
        let link = c.execute("return [window.__copied, location.href]", vec![]).await?;
        assert_eq!(link[0], link[1]);
        let link = link[0].as_str().unwrap_or_default();
        assert!(link.contains("#platform=power-hash&z="), "{link}");
        // No clipboard (an iframe policy, an old browser): the command is selected for Ctrl+C.
        c.execute("Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined });", vec![])
            .await?;
        c.find(Locator::Css("#copy-plan-virsh")).await?.click().await?;
        settle(c).await?;
        let got = c.execute("return [String(window.getSelection()), document.querySelector('#copy-plan-virsh + .copy-status').textContent]", vec![]).await?;
        assert_eq!(got, json!([rec["virsh"], "Selected: press Ctrl+C"]));
        Ok(())
    });
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn url_round_trips_the_view_and_embed_shows_only_the_calculation() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        let text = SEED.replace("remaining ram: 376892 kbytes", "remaining ram: 200000 kbytes");
        paste(c, &text).await?;
        type_into(c, "#f-limit", "2500").await?;
        c.find(Locator::Css("#f-backing")).await?.select_by_value("65536").await?;
        settle(c).await?;
        let f2 = value(c, "#d-f2-value").await?;
        let plan = c.find(Locator::Css("#plan-text")).await?.text().await?;
        // Privacy: the pasted text reaches the address bar (and so history) only on request.
        let before = c.execute("return location.hash", vec![]).await?;
        assert_eq!(before.as_str(), Some(""), "the view went into the address bar unasked");
        c.find(Locator::Css("#copy-link")).await?.click().await?;
        settle(c).await?;
        let hash = c.execute("return location.hash", vec![]).await?.as_str().unwrap_or_default().to_string();
        assert!(hash.contains("z=") && hash.contains("limit=2500") && hash.contains("page=65536"), "{hash}");
        // A fresh browser (no localStorage) opening the link sees the same view.
        c.execute("localStorage.clear()", vec![]).await?;
        c.goto("about:blank").await?;
        open(c, &hash).await?;
        let got = c.execute("return document.getElementById('paste').value", vec![]).await?;
        assert_eq!(got.as_str().map(|s| s.replace("\r\n", "\n")), Some(text.replace("\r\n", "\n")));
        assert_eq!(value(c, "#d-f2-value").await?, f2);
        assert_eq!(c.find(Locator::Css("#f-limit")).await?.prop("value").await?.as_deref(), Some("2500"));
        assert_eq!(c.find(Locator::Css("#f-backing")).await?.prop("value").await?.as_deref(), Some("65536"));
        // Embed: the plan for this view, with the inputs it is for (issue 14).
        c.goto("about:blank").await?;
        c.goto(&format!("{}{}&embed=1", base_url(), hash)).await?;
        c.wait().at_most(std::time::Duration::from_secs(30)).for_element(Locator::Css("#plan")).await?;
        assert!(c.find(Locator::Css("#paste")).await.is_err(), "embed shows the paste area");
        assert!(c.find(Locator::Css("#f-limit")).await.is_err(), "embed shows the form");
        assert!(c.find(Locator::Css("#inputs-line")).await.is_ok(), "embed lacks the inputs line");
        assert_eq!(c.find(Locator::Css("#plan-text")).await?.text().await?, plan);
        full_screenshot(c, "embed.png").await?;
        let problems = console_problems(c).await?;
        assert!(problems.is_empty(), "console: {problems:#?}");
        Ok(())
    });
}

/// The link's `z=` as the page made it before it used the browser's compressor (issue 12):
/// miniz_oxide's raw deflate at level 9, base64url.
fn old_z(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(bytes, 9))
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn old_links_open_a_bomb_does_not_and_a_browser_without_compression_still_makes_links() {
    run(Browser::default(), async |c| {
        let paste_value = async || -> R<String> {
            let v = c.execute("return document.getElementById('paste').value", vec![]).await?;
            Ok(v.as_str().unwrap_or_default().replace("\r\n", "\n"))
        };
        // A link copied before opens on its text, with its platform.
        let text = SEED.replace("remaining ram: 376892 kbytes", "remaining ram: 300000 kbytes");
        open(c, &format!("#platform=x86&z={}", old_z(text.as_bytes()))).await?;
        assert_eq!(paste_value().await?, text.replace("\r\n", "\n"));
        assert_eq!(c.find(Locator::Css("#f-platform")).await?.prop("value").await?.as_deref(), Some("x86"));
        // Not deflate (a stored block whose length check fails), then 8 MiB of one byte,
        // which deflates to about 8 KiB: the inflater refuses the one and stops the other at
        // its 4 MiB cap, and the page opens on the seed (storage cleared), quietly.
        c.execute("localStorage.clear()", vec![]).await?;
        for z in ["AAAA".to_string(), old_z(&vec![b'a'; 8 << 20])] {
            c.goto("about:blank").await?;
            open(c, &format!("#z={z}")).await?;
            assert_eq!(paste_value().await?, SEED.replace("\r\n", "\n"));
        }
        let problems = console_problems(c).await?;
        assert!(problems.is_empty(), "console: {problems:#?}");
        // A settled text's link carries the browser's deflate: shorter than the text.
        open(c, "").await?;
        paste(c, &text).await?;
        catch_copies(c).await?;
        c.execute_async("setTimeout(arguments[arguments.length - 1], 600)", vec![]).await?;
        c.find(Locator::Css("#copy-link")).await?.click().await?;
        settle(c).await?;
        let link = c.execute("return window.__copied", vec![]).await?.as_str().unwrap_or_default().to_string();
        let z = link.split("z=").nth(1).unwrap_or_default().to_string();
        assert!(!z.is_empty() && z.len() < text.len(), "not deflated: {} of {}", z.len(), text.len());
        c.execute("localStorage.clear()", vec![]).await?;
        c.goto("about:blank").await?;
        open(c, &format!("#z={z}")).await?;
        assert_eq!(paste_value().await?, text.replace("\r\n", "\n"));
        // No CompressionStream (a browser before 2023): Copy link still makes a link, its
        // text in stored deflate blocks (longer), and it opens on the same text.
        cdp(c, "Page.addScriptToEvaluateOnNewDocument", json!({ "source": "delete window.CompressionStream;" }))
            .await?;
        c.goto("about:blank").await?;
        open(c, "").await?;
        paste(c, &text).await?;
        catch_copies(c).await?;
        c.find(Locator::Css("#copy-link")).await?.click().await?;
        settle(c).await?;
        let link = c.execute("return window.__copied", vec![]).await?.as_str().unwrap_or_default().to_string();
        let z = link.split("z=").nth(1).unwrap_or_default().to_string();
        assert!(z.len() > text.len(), "stored blocks are longer than the text: {} <= {}", z.len(), text.len());
        c.execute("localStorage.clear()", vec![]).await?;
        c.goto("about:blank").await?;
        open(c, &format!("#z={z}")).await?;
        assert_eq!(paste_value().await?, text.replace("\r\n", "\n"));
        Ok(())
    });
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn last_paste_is_remembered_and_blocked_storage_breaks_nothing() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        let text = SEED.replace("dirty pages rate: 39044 pages", "dirty pages rate: 1000 pages");
        paste(c, &text).await?;
        c.goto("about:blank").await?;
        open(c, "").await?;
        let got = c.execute("return document.getElementById('paste').value", vec![]).await?;
        assert_eq!(
            got.as_str().map(|s| s.replace("\r\n", "\n")),
            Some(text.replace("\r\n", "\n")),
            "last paste restored"
        );
        // Now storage throws on access, as in a sandboxed iframe.
        cdp(c, "Page.addScriptToEvaluateOnNewDocument", json!({ "source":
            "Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('blocked', 'SecurityError'); } });" })).await?;
        c.goto("about:blank").await?;
        open(c, "").await?;
        assert!(value(c, "#d-f1-value").await?.is_some(), "page works without storage");
        paste(c, SEED).await?;
        c.find(Locator::Css("#theme-toggle")).await?.click().await?;
        settle(c).await?;
        assert!((value(c, "#d-f1-value").await?.unwrap_or(0.0) - 1475.9454).abs() < 1e-3);
        Ok(())
    });
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn keyboard_reaches_every_control_with_a_visible_focus() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        c.execute("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)", vec![]).await?;
        let mut seen = Vec::new();
        for _ in 0..60 {
            c.active_element().await?.send_keys(&char::from(Key::Tab).to_string()).await.ok();
            let info = c
                .execute(
                    "const e = document.activeElement; const s = getComputedStyle(e); \
                     return [e.id || e.tagName + '.' + e.className, s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2]",
                    vec![],
                )
                .await?;
            let id = info[0].as_str().unwrap_or_default().to_string();
            if id == "BODY." {
                continue;
            }
            assert_eq!(info[1], json!(true), "no visible focus on {id}");
            seen.push(id);
        }
        for must in
            ["paste", "example", "f-remaining", "f-limit", "f-backing", "theme-toggle", "copy-plan-hmp", "copy-report"]
        {
            assert!(seen.iter().any(|s| s == must), "Tab never reached #{must}: {seen:?}");
        }
        // The examples menu steps through the examples with the arrow keys.
        let menu = c.find(Locator::Css("#example")).await?;
        assert_eq!(menu.prop("value").await?.as_deref(), Some("seed"), "the seed is the loaded example");
        menu.send_keys(&char::from(Key::Down).to_string()).await?;
        settle(c).await?;
        menu.send_keys(&char::from(Key::Down).to_string()).await?;
        settle(c).await?;
        assert_eq!(c.find(Locator::Css("#example")).await?.prop("value").await?.as_deref(), Some("never"));
        let hint = c.find(Locator::Css("#example-loaded")).await?.text().await?;
        assert!(hint.starts_with("Example: Never converging"), "{hint}");
        Ok(())
    });
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn unknown_lines_are_listed_by_line_and_jump_to_the_paste() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        let text = SEED.replacen("(qemu) info migrate\n", "(qemu) info migrate\nthis is not qemu output\n", 1);
        paste(c, &text).await?;
        let items = c
            .execute(
                "return [...document.querySelectorAll('#diagnostics li')].map(li => [li.dataset.line, li.textContent])",
                vec![],
            )
            .await?;
        let j = crate::examples::dom_matches_json(c).await?;
        let want: Vec<u64> = j["errors"].as_array().into_iter().flatten().filter_map(|e| e["line"].as_u64()).collect();
        assert!(want.contains(&14), "the parser should flag line 14: {}", j["errors"]);
        let got: Vec<u64> =
            items.as_array().into_iter().flatten().filter_map(|i| i[0].as_str().and_then(|s| s.parse().ok())).collect();
        assert_eq!(got, want, "{items}");
        // Its "line 14" button selects that line in the paste area.
        c.find(Locator::Css("#diagnostics li[data-line='14'] button.line")).await?.click().await?;
        settle(c).await?;
        let sel = c.execute("const t = document.getElementById('paste'); return [document.activeElement.id, t.value.substring(t.selectionStart, t.selectionEnd)]", vec![]).await?;
        assert_eq!(sel, json!(["paste", "this is not qemu output"]));
        Ok(())
    });
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn typing_does_not_move_the_layout() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        // The plan (issue 14) sits right of the paste and above the form, and its options
        // below the form: what is typed into and the plan's place stay put while the
        // answer below the form reflows with the numbers.
        // Page coordinates: clicking the field may scroll it into view.
        let boxes = "return ['#plan', '#paste', '#f-throughput'].map(s => { const r = document.querySelector(s).getBoundingClientRect(); return [Math.round(r.top + scrollY), Math.round(r.height)]; })";
        let before = c.execute(boxes, vec![]).await?;
        // Change a value digit by digit, as typing does: the numbers change, the boxes stay put.
        for t in ["8", "86", "866", "866.", "866.9"] {
            type_into(c, "#f-throughput", t).await?;
            let now = c.execute(boxes, vec![]).await?;
            assert_eq!(now[0][0], before[0][0], "the plan moved after typing {t:?}");
            assert_eq!(now[2][0], before[2][0], "the field typed into moved after typing {t:?}");
        }
        assert!(value(c, "#d-f2-value").await?.is_some());
        // Typing a new line in the paste: half a line is "not understood" for a moment.
        let ta = c.find(Locator::Css("#paste")).await?;
        ta.click().await?;
        ta.send_keys(&format!("{}", char::from(Key::End))).await?;
        c.execute(
            "const t = document.getElementById('paste'); t.selectionStart = t.selectionEnd = t.value.length;",
            vec![],
        )
        .await?;
        for ch in "\nxbzrle cache".chars() {
            ta.send_keys(&ch.to_string()).await?;
            settle(c).await?;
            let now = c.execute(boxes, vec![]).await?;
            assert_eq!(now[1], before[1], "the paste moved after typing {ch:?} in it");
            assert_eq!(now[2][0], before[2][0], "the form moved after typing {ch:?} in the paste");
        }
        Ok(())
    });
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn theme_toggle_is_remembered_and_print_hides_the_controls() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        let light = c.execute("return getComputedStyle(document.body).backgroundColor", vec![]).await?;
        assert_eq!(light, json!("rgb(255, 255, 255)"));
        c.find(Locator::Css("#theme-toggle")).await?.click().await?;
        settle(c).await?;
        let dark = c
            .execute(
                "return [document.documentElement.dataset.theme, getComputedStyle(document.body).backgroundColor]",
                vec![],
            )
            .await?;
        assert_eq!(dark, json!(["dark", "rgb(13, 17, 23)"]));
        c.refresh().await?;
        page_ready(c).await?;
        let again = c.execute("return document.documentElement.dataset.theme", vec![]).await?;
        assert_eq!(again, json!("dark"), "the choice survives a reload");
        cdp(c, "Emulation.setEmulatedMedia", json!({ "media": "print" })).await?;
        let hidden = c.execute("return ['#theme-toggle', '#example', '#copy-plan-hmp'].map(s => document.querySelector(s).getClientRects().length === 0)", vec![]).await?;
        assert_eq!(hidden, json!([true, true, true]), "print shows the controls");
        let bg = c.execute("return getComputedStyle(document.body).backgroundColor", vec![]).await?;
        assert_eq!(bg, json!("rgb(255, 255, 255)"), "print is on white even in dark mode");
        Ok(())
    });
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn a_failed_migration_shows_qemus_reason() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        paste(c, "(qemu) info migrate\nStatus: \t\tfailed (Unable to write to socket: Broken pipe)\n").await?;
        settle(c).await?;
        let said = c.find(Locator::Css("#failure")).await?.text().await?;
        assert_eq!(said, "Unable to write to socket: Broken pipe");
        Ok(())
    });
}
