//! Screenshots of the desktop, 360 px and dark views (tests/artifacts/, looked
//! at by a person), layout checks that need no eyes, and axe-core.

use crate::harness::*;

/// Width the page needs beyond the viewport (0 = no sideways scrolling).
async fn overflow_x(c: &fantoccini::Client) -> R<f64> {
    let v = c.execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth", vec![]).await?;
    Ok(v.as_f64().unwrap_or(f64::NAN))
}

#[test]
fn desktop_narrow_and_dark_views() {
    run(Browser::default(), async |c| {
        open(c, "").await?;
        full_screenshot(c, "desktop.png").await?;
        assert_eq!(overflow_x(c).await?, 0.0, "desktop scrolls sideways");

        emulate_width(c, 360, 780).await?;
        settle(c).await?;
        let w = c.execute("return document.documentElement.clientWidth", vec![]).await?;
        assert_eq!(w, serde_json::json!(360));
        screenshot(c, "narrow-360-top.png").await?;
        let wide = c.execute("return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361).slice(0, 8).map(e => e.tagName + '#' + e.id + '.' + e.className)", vec![]).await?;
        assert_eq!(wide, serde_json::json!([]), "elements wider than 360 px");
        assert_eq!(overflow_x(c).await?, 0.0, "360 px view scrolls sideways");
        full_screenshot(c, "narrow-360-full.png").await?;
        cdp(c, "Emulation.clearDeviceMetricsOverride", serde_json::json!({})).await?;

        emulate_dark(c).await?;
        settle(c).await?;
        let bg = c.execute("return getComputedStyle(document.body).backgroundColor", vec![]).await?;
        assert_eq!(bg, serde_json::json!("rgb(13, 17, 23)"), "dark background from prefers-color-scheme");
        let pressed = c.find(fantoccini::Locator::Css("#theme-toggle")).await?.attr("aria-pressed").await?;
        assert_eq!(pressed.as_deref(), Some("true"), "the toggle shows dark mode is on");
        full_screenshot(c, "dark.png").await?;
        Ok(())
    });
}
