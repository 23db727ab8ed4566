//! Screenshots of the desktop, 360 px and dark views (tests/artifacts/, looked
//! at by a person), layout checks that need no eyes, and axe-core.

use crate::harness::*;

/// Width the page needs beyond the viewport (0 = no sideways scrolling).
async fn overflow_x(c: &fantoccini::Client) -> R<f64> {
    let v =
        c.execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth", vec![]).await?;
    Ok(v.as_f64().unwrap_or(f64::NAN))
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn desktop_narrow_and_dark_views() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        full_screenshot(c, "desktop.png").await?;
        // The steps, opened with the keyboard (Enter on the summary).
        let summary = c.find(fantoccini::Locator::Css("#d-f3 summary")).await?;
        summary.send_keys(&char::from(fantoccini::key::Key::Enter).to_string()).await?;
        settle(c).await?;
        let open = c.execute("return document.querySelector('#d-f3 details').open", vec![]).await?;
        assert_eq!(open, serde_json::json!(true), "Enter on the summary opens the steps");
        element_screenshot(c, "#d-f3", "steps-f3.png").await?;
        c.execute("document.querySelector('.also-parsed').open = true", vec![]).await?;
        element_screenshot(c, ".form", "form-also-parsed.png").await?;
        c.execute("document.querySelector('.also-parsed').open = false", vec![]).await?;
        assert_eq!(overflow_x(c).await?, 0.0, "desktop scrolls sideways");

        emulate_width(c, 360, 780).await?;
        settle(c).await?;
        let w = c.execute("return document.documentElement.clientWidth", vec![]).await?;
        assert_eq!(w, serde_json::json!(360));
        screenshot(c, "narrow-360-top.png").await?;
        let wide = c.execute("const clipped = e => { for (let a = e.parentElement; a; a = a.parentElement) { if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; }; \
             return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361 && !clipped(e)).slice(0, 8).map(e => e.tagName + '#' + e.id + '.' + e.className)", vec![]).await?;
        assert_eq!(wide, serde_json::json!([]), "elements wider than 360 px");
        assert_eq!(overflow_x(c).await?, 0.0, "360 px view scrolls sideways");
        full_screenshot(c, "narrow-360-full.png").await?;
        cdp(c, "Emulation.clearDeviceMetricsOverride", serde_json::json!({})).await?;

        emulate_dark(c).await?;
        settle(c).await?;
        let bg = c.execute("return getComputedStyle(document.body).backgroundColor", vec![]).await?;
        assert_eq!(bg, serde_json::json!("rgb(13, 17, 23)"), "dark background from prefers-color-scheme");
        // The page hears the media query's change event and re-renders.
        let mut pressed = None;
        for _ in 0..40 {
            pressed = c.find(fantoccini::Locator::Css("#theme-toggle")).await?.attr("aria-pressed").await?;
            if pressed.as_deref() == Some("true") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(pressed.as_deref(), Some("true"), "the toggle shows dark mode is on");
        full_screenshot(c, "dark.png").await?;
        // A series: the time chart with its post-sync points, in dark and light.
        c.find(fantoccini::Locator::Css("#example")).await?.select_by_value("never").await?;
        settle(c).await?;
        assert!(c.find(fantoccini::Locator::Css("#canvas-series")).await.is_ok(), "no series chart for a series");
        element_screenshot(c, "#charts", "charts-series-dark.png").await?;
        cdp(
            c,
            "Emulation.setEmulatedMedia",
            serde_json::json!({ "features": [{ "name": "prefers-color-scheme", "value": "light" }] }),
        )
        .await?;
        element_screenshot(c, "#charts", "charts-series-light.png").await?;
        Ok(())
    });
}

/// axe-core (npm, injected into the page): serious or critical violations, as "id impact: help (n nodes)".
async fn axe(c: &fantoccini::Client) -> R<Vec<String>> {
    let path = root().join("node_modules/axe-core/axe.min.js");
    let src =
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e} (run `make setup` / `npm ci`)", path.display()))?;
    c.execute(&format!("{src}\nreturn typeof axe;"), vec![]).await?;
    let v = c
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations.map(v => \
               [v.id, v.impact, v.help, v.nodes.length, v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')])));",
            vec![],
        )
        .await?;
    // Proof that axe ran: it returns an array (possibly empty), not null.
    assert!(v.is_array(), "axe did not run: {v}");
    Ok(v.as_array()
        .into_iter()
        .flatten()
        .filter(|x| matches!(x[1].as_str(), Some("serious") | Some("critical")))
        .map(|x| format!("{} {}: {} ({} nodes: {})", x[0], x[1], x[2], x[3], x[4]))
        .collect())
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn axe_finds_no_serious_or_critical_violation() {
    run(Browser::default(), async |c| {
        c.update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(std::time::Duration::from_secs(60)),
            None,
            None,
        ))
        .await?;
        for (hash, dark) in [("", false), ("", true), ("#embed=1", false)] {
            if dark {
                emulate_dark(c).await?;
            }
            c.goto(&format!("{}{hash}", base_url())).await?;
            c.wait().at_most(std::time::Duration::from_secs(30)).for_element(fantoccini::Locator::Css("#plan")).await?;
            // Open every step list so axe sees them too.
            c.execute("document.querySelectorAll('details').forEach(d => d.open = true)", vec![]).await?;
            settle(c).await?;
            let v = axe(c).await?;
            assert!(v.is_empty(), "axe ({hash} dark={dark}): {v:#?}");
        }
        // The check can fail: an unlabelled input is a critical violation.
        c.execute("const i = document.createElement('input'); i.id = 'axe-probe'; document.body.append(i);", vec![])
            .await?;
        let v = axe(c).await?;
        assert!(v.iter().any(|x| x.contains("axe-probe")), "axe missed a planted violation: {v:#?}");
        Ok(())
    });
}

/// The colour of a canvas pixel near the top-left corner (the chart background).
async fn corner(c: &fantoccini::Client, id: &str) -> R<serde_json::Value> {
    Ok(c.execute(
        "const cv = document.getElementById(arguments[0]); const d = cv.getContext('2d').getImageData(2, 2, 1, 1).data; return [cv.width, d[0], d[1], d[2]]",
        vec![serde_json::Value::String(id.into())],
    )
    .await?)
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn charts_redraw_on_theme_change_and_resize() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        show_charts(c).await?;
        for id in ["canvas-passes", "canvas-pagesize"] {
            let light = corner(c, id).await?;
            assert_eq!(
                &light.as_array().map(|a| a[1..].to_vec()),
                &Some(vec![255.into(), 255.into(), 255.into()]),
                "{id} light: {light}"
            );
        }
        let passes = async |c: &fantoccini::Client| R::Ok(chart_draws(c).await?["canvas-passes"].as_u64().unwrap_or(0));
        // In view, a theme change redraws at once (clicked from script: a click would scroll to the button).
        c.execute("document.getElementById('canvas-passes').scrollIntoView({ block: 'center' })", vec![]).await?;
        settle(c).await?;
        let n = passes(c).await?;
        c.execute("document.getElementById('theme-toggle').click()", vec![]).await?;
        settle(c).await?;
        let dark = corner(c, "canvas-passes").await?;
        assert_eq!(
            dark.as_array().map(|a| a[1..].to_vec()),
            Some(vec![22.into(), 27.into(), 34.into()]),
            "dark redraw: {dark}"
        );
        assert_eq!(passes(c).await?, n + 1, "one redraw for the theme");
        // Out of view, a change waits until the chart is seen again.
        c.execute("scrollTo(0, 0)", vec![]).await?;
        settle(c).await?;
        c.find(fantoccini::Locator::Css("#theme-toggle")).await?.click().await?;
        settle(c).await?;
        assert_eq!(passes(c).await?, n + 1, "redrawn out of view");
        show_charts(c).await?;
        assert_eq!(passes(c).await?, n + 2, "not redrawn when seen again");
        let light = corner(c, "canvas-passes").await?;
        assert_eq!(
            light.as_array().map(|a| a[1..].to_vec()),
            Some(vec![255.into(), 255.into(), 255.into()]),
            "{light}"
        );
        let wide = light[0].as_f64().unwrap_or(0.0);
        c.set_window_size(700, 900).await?;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        show_charts(c).await?;
        let narrow = corner(c, "canvas-passes").await?[0].as_f64().unwrap_or(0.0);
        let laid_out = c
            .execute("return document.getElementById('canvas-passes').clientWidth", vec![])
            .await?
            .as_f64()
            .unwrap_or(-1.0);
        // The drawing buffer follows the new layout width (the grid goes from two columns to one).
        assert!(narrow != wide && narrow == laid_out, "canvas width {wide} -> {narrow}, laid out {laid_out}");
        // The series chart exists only for a series.
        assert!(c.find(fantoccini::Locator::Css("#canvas-series")).await.is_err(), "series chart for one snapshot");
        Ok(())
    });
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn recomputing_a_long_series_keeps_up_with_typing() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        c.find(fantoccini::Locator::Css("#example")).await?.select_by_value("autoconverge").await?;
        settle(c).await?;
        // One edit of the whole paste, timed until the next frame has been painted.
        let ms = c
            .execute_async(
                "const done = arguments[arguments.length - 1]; const t = document.getElementById('paste'); \
                 const t0 = performance.now(); t.value = t.value + '\\n'; t.dispatchEvent(new InputEvent('input', {bubbles: true})); \
                 requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0));",
                vec![],
            )
            .await?;
        let ms = ms.as_f64().unwrap_or(f64::MAX);
        eprintln!(
            "auto-converge example ({} lines): one edit re-rendered in {ms:.0} ms",
            c.execute("return document.getElementById('paste').value.split('\\n').length", vec![]).await?
        );
        assert!(ms < 500.0, "one edit took {ms} ms");
        Ok(())
    });
}
