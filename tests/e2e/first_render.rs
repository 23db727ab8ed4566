//! The first render (issue 12): the paste and the plan paint first, the rest of the
//! page follows in the next task and is all there; charts draw only once scrolled
//! into view, without the page jumping when they do; chart labels are measured
//! without adding anything to the document.

use crate::harness::*;
use serde_json::json;

/// Run `js` in every new document before the page's own scripts.
async fn before_page_scripts(c: &fantoccini::Client, js: &str) -> R {
    cdp(c, "Page.addScriptToEvaluateOnNewDocument", json!({ "source": js })).await?;
    Ok(())
}

/// Wait `n` animation frames, then one task.
async fn frames(c: &fantoccini::Client, n: u32) -> R {
    c.execute_async(
        "const [n, done] = arguments; let k = n; const f = () => k-- > 0 ? requestAnimationFrame(f) : setTimeout(done, 0); f();",
        vec![json!(n)],
    )
    .await?;
    Ok(())
}

/// How many pixels of a canvas are not fully transparent (0: nothing drawn).
async fn inked(c: &fantoccini::Client, id: &str) -> R<u64> {
    let v = c
        .execute(
            "const cv = document.getElementById(arguments[0]); const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data; \
             let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n;",
            vec![json!(id)],
        )
        .await?;
    Ok(v.as_u64().unwrap_or(u64::MAX))
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn the_first_frame_has_the_plan_and_the_next_task_the_rest() {
    run(Browser::default(), async |c| {
        // At the first animation frame after the plan is in the document (the frame that
        // paints it), note which of the later sections are there too.
        before_page_scripts(
            c,
            "window.__firstFrame = null; new MutationObserver((_, o) => { if (document.getElementById('plan')) { o.disconnect(); \
               requestAnimationFrame(() => { window.__firstFrame = ['plan', 'paste', 'f-limit', 'options', 'formulas', 'charts', 'glossary'] \
                 .filter(id => document.getElementById(id)); }); } }) \
             .observe(document, { childList: true, subtree: true });",
        )
        .await?;
        open(c, "").await?;
        frames(c, 2).await?;
        let first = c.execute("return window.__firstFrame", vec![]).await?;
        assert_eq!(first, json!(["plan", "paste"]), "painted first");
        // Then every section the page has, in order, each with its contents.
        let sections = c
            .execute(
                "return [...document.querySelectorAll('main > section, main > div, main > .layout > section')].map(e => e.id || e.classList[0])",
                vec![],
            )
            .await?;
        assert_eq!(
            sections,
            json!([
                "layout", "paste", "plan", "form", "options", "actions", "formulas", "charts", "ramps", "levers",
                "glossary"
            ])
        );
        for css in [
            "#f-limit",
            "#f-backing",
            "#options tbody tr",
            "#copy-link",
            "#copy-report",
            "#copy-embed",
            "#d-f1-value",
            "#d-limit-value",
            "#canvas-passes",
            "#canvas-pagesize",
            "#canvas-bandwidth",
            "#ramps tbody tr",
            "#hugepage",
            "#glossary dt",
        ] {
            assert!(c.find(fantoccini::Locator::Css(css)).await.is_ok(), "{css} is missing after the first render");
        }
        assert!(value(c, "#d-f1-value").await?.is_some_and(|v| (v - 1475.94).abs() < 0.01), "the seed's F1");
        Ok(())
    });
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn a_chart_below_the_fold_draws_only_once_scrolled_into_view() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        frames(c, 5).await?;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(
            chart_draws(c).await?,
            json!({ "canvas-passes": 0, "canvas-pagesize": 0, "canvas-bandwidth": 0 }),
            "a chart drew before it was seen"
        );
        assert_eq!(inked(c, "canvas-bandwidth").await?, 0, "pixels on an undrawn canvas");
        let below = "return [document.getElementById('ramps').getBoundingClientRect().top + scrollY, document.getElementById('canvas-bandwidth').offsetHeight]";
        let before = c.execute(below, vec![]).await?;
        c.execute("document.getElementById('canvas-bandwidth').scrollIntoView({ block: 'center' })", vec![]).await?;
        frames(c, 3).await?;
        assert_eq!(chart_draws(c).await?["canvas-bandwidth"], json!(1), "the chart in view did not draw once");
        assert!(inked(c, "canvas-bandwidth").await? > 10_000, "the chart in view is blank");
        // Its height was reserved before it drew: nothing below it moved.
        assert_eq!(c.execute(below, vec![]).await?, before, "the page moved when the chart drew");
        // Scrolling away and back does not draw it again: nothing changed.
        c.execute("scrollTo(0, 0)", vec![]).await?;
        frames(c, 3).await?;
        show_charts(c).await?;
        assert_eq!(chart_draws(c).await?["canvas-bandwidth"], json!(1), "redrawn with nothing changed");
        Ok(())
    });
}

#[test]
#[ignore = "browser: needs dist/ and chromedriver (make test)"]
fn chart_labels_are_measured_without_adding_to_the_document() {
    run(Browser::default(), async |c| {
        // plotters measured each label with a <span> appended to <body> (a forced layout each).
        before_page_scripts(
            c,
            "window.__bodySpans = 0; new MutationObserver(ms => { for (const m of ms) if (m.target === document.body) \
               for (const n of m.addedNodes) if (n.nodeName === 'SPAN') window.__bodySpans++; }) \
             .observe(document, { childList: true, subtree: true });",
        )
        .await?;
        open(c, "").await?;
        c.find(fantoccini::Locator::Css("#example")).await?.select_by_value("never").await?;
        settle(c).await?;
        let draws = show_charts(c).await?;
        assert_eq!(c.execute("return window.__bodySpans", vec![]).await?, json!(0), "spans added to <body>");
        let drawn = draws.as_object().map(|m| m.values().filter(|v| v.as_u64() >= Some(1)).count());
        assert_eq!(drawn, Some(4), "every chart, the series too, drew: {draws}");
        Ok(())
    });
}
