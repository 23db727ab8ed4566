//! Typing waits for a pause before re-analysing (src/ui/app.rs): nothing is
//! recomputed per key, and what was typed is analysed once the keys stop.

use crate::browser::with_browser;
use crate::harness::root;
use crate::net::Site;
use fantoccini::{key::Key, Locator};
use std::time::Duration;

#[test]
fn typed_text_is_analysed_after_the_keys_pause() {
    let site = Site::start(root().join("dist"), "/");
    with_browser(vec![], async |c| {
        c.goto(&site.url()).await?;
        let ta = c.wait().at_most(Duration::from_secs(30)).for_element(Locator::Css("#paste")).await?;
        let summary = async || c.find(Locator::Css("#parse-summary")).await?.text().await;
        let before = summary().await?;
        assert!(before.ends_with("0 not understood."), "the seed is fully understood: {before}");
        ta.click().await?;
        c.execute(
            "const t = document.getElementById('paste'); t.selectionStart = t.selectionEnd = t.value.length;",
            vec![],
        )
        .await?;
        ta.send_keys(&format!("{}no such line", char::from(Key::Enter))).await?;
        // Straight after the keys: not yet re-analysed, and the box kept every key.
        let typed =
            c.execute("return document.getElementById('paste').value.endsWith('\\nno such line')", vec![]).await?;
        assert_eq!(typed.as_bool(), Some(true), "the paste area lost keys");
        tokio::time::sleep(Duration::from_millis(800)).await;
        let after = summary().await?;
        assert!(after.ends_with("1 not understood:"), "the typed line was not analysed after the pause: {after}");
        let listed = c.find(Locator::Css("#diagnostics li")).await?.text().await?;
        assert!(listed.contains("\"no such line\""), "the typed line is not the one listed: {listed}");
        Ok(())
    });
}
